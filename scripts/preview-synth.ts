/**
 * Writes a contact sheet PNG of synthetic training pairs, to look at the data generator's output:
 * each column shows a photo above its background-erased target.
 *
 *   npx ts-node scripts/preview-synth.ts /tmp/synth.png [--seed 1] [--count 16] [--scene]
 *
 * `--scene` shows consecutive frames (every 5th) of one synthetic clip instead of independent pairs.
 */
import sharp from 'sharp';
import { synthPortrait } from '../src/data/synth/synth-portrait';
import { synthScene } from '../src/data/synth/synth-scene';
import { mixSeed } from '../src/data/synth/synth-rng';
import type { SynthPair } from '../src/data/synth/synth-pair';

const SIZE = 400;
const TILE = 200;
const COLUMNS = 8;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const out = args.find((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1].startsWith('--') && args[i - 1] !== '--scene'));
  if (!out) {
    console.error('usage: preview-synth.ts <out.png> [--seed N] [--count N] [--scene]');
    process.exit(2);
  }
  const seed = Number(option(args, '--seed') ?? 1);
  const count = Number(option(args, '--count') ?? 16);
  const scene = args.includes('--scene') ? synthScene(seed, { width: SIZE, height: SIZE }) : undefined;
  const rows = Math.ceil(count / COLUMNS);
  const sheetWidth = TILE * Math.min(COLUMNS, count);
  const sheetHeight = TILE * 2 * rows;
  const sheet = new Uint8Array(sheetWidth * sheetHeight * 3).fill(255);
  const started = performance.now();
  for (let k = 0; k < count; k++) {
    const pair = scene ? scene.frameAt(k * 5) : synthPortrait(mixSeed(seed, k), { width: SIZE, height: SIZE });
    const x = (k % COLUMNS) * TILE;
    const y = Math.floor(k / COLUMNS) * TILE * 2;
    paste(sheet, sheetWidth, pair, 'input', x, y);
    paste(sheet, sheetWidth, pair, 'target', x, y + TILE);
  }
  const ms = (performance.now() - started) / count;
  await sharp(sheet, { raw: { width: sheetWidth, height: sheetHeight, channels: 3 } }).png().toFile(out);
  console.log(`wrote ${out}: ${count} pairs, ${ms.toFixed(1)} ms per ${SIZE}x${SIZE} pair`);
}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

/** Pastes a 2x downscaled (box-filtered) picture of the pair into the sheet at (x, y). */
function paste(sheet: Uint8Array, sheetWidth: number, pair: SynthPair, which: 'input' | 'target', x: number, y: number): void {
  const src = pair[which];
  for (let ty = 0; ty < TILE; ty++) {
    for (let tx = 0; tx < TILE; tx++) {
      for (let c = 0; c < 3; c++) {
        const a = ((ty * 2) * SIZE + tx * 2) * 3 + c;
        const sum = src[a] + src[a + 3] + src[a + SIZE * 3] + src[a + SIZE * 3 + 3];
        sheet[((y + ty) * sheetWidth + x + tx) * 3 + c] = Math.round(sum / 4);
      }
    }
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
