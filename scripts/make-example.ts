/**
 * Makes the bundled example in examples/interview/: a 30-second synthetic interview clip (a procedural
 * person in a room, 300 frames at 10 fps), 6 edited frames (2%) listed in picks.txt, and every frame's
 * true mask for scoring. Deterministic: running it again writes the same frames.
 *
 * Usage: npx ts-node scripts/make-example.ts [dir]
 */
import { join } from 'node:path';
import { writeSynthClip } from '../src/data/synth/write-synth-clip';

const dir = process.argv[2] ?? join(__dirname, '..', 'examples', 'interview');
writeSynthClip(dir, { frames: 300, seed: 11, truth: false, crf: 24 }).then(
  (clip) => console.log(`Wrote ${clip.video} with ${clip.picks.length} picks (${clip.picks.join(', ')}) and masks in ${clip.masksDir}.`),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
