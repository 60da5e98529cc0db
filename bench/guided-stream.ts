/**
 * Streaming speed with and without guides: applies a model to examples/interview/clip.mp4 (300
 * frames, 400x400) through processVideo and prints frames per second of the stream, for a model
 * without guides (the bundled base) and the same base widened to the default guides (person prior and
 * the picks' alpha carried by optical flow), which adds the prior, four DIS flows a frame (two beyond
 * 300 frames: docs/PROPAGATION.md) and a second decode of the video; then the guided model with no
 * picks (the prior alone in the stream, as `vidgan batch --model` runs).
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
  // The last row applies the guided model with no picks, as `vidgan batch --model` does: the person
  // prior runs in the stream and the flow guide is 128 (no data), so no optical flow is computed.
  const runs = [['no guides', defaultBasePath(), picks], ['guides', widened, picks], ['no picks', widened, undefined]] as const;
  for (const [name, file, withPicks] of runs) {
    const report = await processVideo({ video, model: file, ...(withPicks ? { picks: withPicks } : {}), out: join(work, `${name.replace(' ', '-')}.mp4`), overwrite: true });
    console.log(`${name.padEnd(10)} ${report.frames} frames  stream ${report.framesPerSecond.toFixed(1)} frames/s  (${report.processSeconds.toFixed(1)} s)  peak RSS ${report.peakRssMB} MB`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
