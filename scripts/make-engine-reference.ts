/**
 * Makes fixtures/engine/: what the two bundled bases generate for a fixture frame, against which
 * test/native/engine-reference.test.ts holds the engine (fixtures/engine/README.md says how the stored
 * outputs were made: by the engine as it was before the sub-pixel decoder).
 *
 * Usage: npx ts-node scripts/make-engine-reference.ts [--out fixtures/engine]
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { Pix2Pix } from '../src/gan/pix2pix';

const ROOT = join(__dirname, '..');

/** One reference: a bundled base, the frame, and the guide planes it takes (file or a constant). */
export const ENGINE_CASES = [
  { name: 'interview-28s-400.base', model: 'models/base.safetensors', frame: 'fixtures/prior/interview-28s-400.png', guides: [] as Array<string | number> },
  {
    name: 'interview-28s-400.base-guided',
    model: 'models/base-guided.safetensors',
    frame: 'fixtures/prior/interview-28s-400.png',
    // The prior as MediaPipe's own runtime gives it, and no edits carried (128: no information).
    guides: ['fixtures/prior/interview-28s-400.general.png', 128] as Array<string | number>,
  },
] as const;

/** The case's frame (RGB24) and guide planes (packed, plane after plane), from the repository root `root`. */
export async function caseInputs(root: string, c: (typeof ENGINE_CASES)[number]) {
  const { data, info } = await sharp(join(root, c.frame)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const size = info.width * info.height;
  const guides = new Uint8Array(size * c.guides.length);
  for (const [i, g] of c.guides.entries()) {
    const plane = typeof g === 'number' ? new Uint8Array(size).fill(g) : new Uint8Array(await sharp(join(root, g)).extractChannel(0).raw().toBuffer());
    guides.set(plane, i * size);
  }
  return { rgb: new Uint8Array(data), width: info.width, height: info.height, guides: c.guides.length > 0 ? guides : undefined };
}

async function main() {
  const outIndex = process.argv.indexOf('--out');
  const out = outIndex > 0 ? process.argv[outIndex + 1]! : join(ROOT, 'fixtures', 'engine');
  await mkdir(out, { recursive: true });
  for (const c of ENGINE_CASES) {
    const model = await Pix2Pix.load(join(ROOT, c.model));
    const { rgb, width, height, guides } = await caseInputs(ROOT, c);
    const result = await model.generate(rgb, 1, height, width, { alpha: true, guides });
    model.dispose();
    const rgba = Buffer.alloc(width * height * 4);
    for (let p = 0; p < width * height; p++) {
      rgba.set(result.rgb.subarray(p * 3, p * 3 + 3), p * 4);
      rgba[p * 4 + 3] = result.alpha![p]!;
    }
    await sharp(rgba, { raw: { width, height, channels: 4 } }).png().toFile(join(out, `${c.name}.png`));
    console.log(`${c.name}.png`);
  }
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
