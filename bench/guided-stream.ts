/**
 * Streaming speed with and without guides: applies a model to examples/interview/clip.mp4 (300
 * frames, 400x400) through processVideo and prints frames per second of the stream, for a model
 * without guides (the bundled base) and the same base widened to the default guides (person prior and
 * the picks' alpha carried by optical flow), which adds the prior, two DIS flows a frame and a second
 * decode of the video.
 *
 * Usage: node -r ts-node/register bench/guided-stream.ts [--frames-limit 300]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pix2Pix } from '../src/gan/pix2pix';
import { defaultBasePath } from '../src/gan/default-base';
import { DEFAULT_GUIDES } from '../src/guides/guide-kit';
import { processVideo } from '../src/jobs/process-video';

async function main() {
  const work = mkdtempSync(join(tmpdir(), 'vidgan-guided-'));
  const widened = join(work, 'guided.safetensors');
  const model = await Pix2Pix.loadWithGuides(defaultBasePath(), { guides: DEFAULT_GUIDES.guides, alphaPriorGuide: DEFAULT_GUIDES.alphaPriorGuide });
  await model.save(widened, { generatorOnly: true });
  model.dispose();
  const video = join(__dirname, '..', 'examples', 'interview', 'clip.mp4');
  const picks = join(__dirname, '..', 'examples', 'interview', 'picks.txt');
  for (const [name, file] of [['no guides', defaultBasePath()], ['guides', widened]] as const) {
    const report = await processVideo({ video, model: file, picks, out: join(work, `${name.replace(' ', '-')}.mp4`), overwrite: true });
    console.log(`${name.padEnd(10)} ${report.frames} frames  stream ${report.framesPerSecond.toFixed(1)} frames/s  (${report.processSeconds.toFixed(1)} s)  peak RSS ${report.peakRssMB} MB`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
