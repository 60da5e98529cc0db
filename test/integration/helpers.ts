import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { collectFrames } from '../../src/stages/collect-frames';
import type { Frame } from '../../src/pipeline/frame';
import { pngFileName } from '../../src/stages/write-png-sequence';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { makeFixtures, fixturesDir } = require('../../scripts/make-fixtures.js') as {
  makeFixtures: () => string;
  fixturesDir: string;
};

/** Path of a fixture clip, generating the fixtures first if they are missing (fast, idempotent). */
export function fixture(name: string): string {
  makeFixtures();
  return join(fixturesDir, name);
}

/** A fresh temporary folder. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'vidgan-test-'));
}

/** Copies a fixture into its own folder so that processes using it can be found by path. */
export function privateCopy(name: string): string {
  const path = join(tempDir(), name);
  copyFileSync(fixture(name), path);
  return path;
}

/** Command lines of running ffmpeg processes that mention `marker`. */
export function ffmpegProcessesWith(marker: string): string[] {
  const out = execFileSync('ps', ['-eo', 'args='], { encoding: 'utf8' });
  return out.split('\n').filter((line) => line.includes('ffmpeg') && line.includes(marker) && !line.includes('ps -eo'));
}

/**
 * A training time limit (in seconds, about 11 days) that no test run reaches: tests bound training
 * by `steps` alone, so what they train, and so what they assert, does not depend on the machine's
 * speed or load, and the learning-rate schedule follows the steps exactly.
 */
export const NO_TIME_LIMIT_S = 1_000_000;

/**
 * Polls `check` until it returns true or `timeoutMs` passes; returns the last result. It returns as
 * soon as `check` holds, so the limit is only a hang-catcher: keep it long (a loaded machine is slow),
 * and always assert the result. Prefer an event, or a `Counter` or `deferred` from `test/deferred.ts`.
 */
export async function eventually(check: () => boolean, timeoutMs = 60_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check();
}

/**
 * Writes an executable stand-in for ffmpeg that runs the real one for probing but, when asked to
 * decode (`pipe:1`) or encode (`pipe:0`), passes a little data and then exits 1.
 */
export function crashingFfmpeg(): string {
  return ffmpegStandIn('ffmpeg-crash.sh', [
    '*pipe:1*) head -c 1500000 /dev/zero; echo "simulated decoder crash" >&2; exit 1 ;;',
    '*pipe:0*) head -c 1500000 >/dev/null; echo "simulated encoder crash" >&2; exit 1 ;;',
  ]);
}

/**
 * Writes an executable stand-in for ffmpeg that decodes (`pipe:1`) at the video's own speed (`-re`),
 * and runs the real one otherwise: a 40 s clip then takes 40 s to decode, so a test can stop a
 * decode in the middle without racing it to the end.
 */
export function realTimeFfmpeg(): string {
  return ffmpegStandIn('ffmpeg-real-time.sh', ['*pipe:1*) exec "${REAL}" -re "$@" ;;']);
}

/**
 * Writes an executable shell script standing in for ffmpeg: the given `case` branches over its
 * arguments (`${REAL}` in them is the real binary), and the real ffmpeg for anything else.
 */
export function ffmpegStandIn(name: string, branches: readonly string[]): string {
  const real = (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;
  const path = join(tempDir(), name);
  const lines = branches.map((branch) => `  ${branch.split('${REAL}').join(real)}`);
  writeFileSync(path, ['#!/bin/sh', 'case "$*" in', ...lines, `  *) exec "${real}" "$@" ;;`, 'esac', ''].join('\n'));
  chmodSync(path, 0o755);
  return path;
}

/** Peak signal-to-noise ratio of two RGB frames of the same size, in dB. */
export function psnr(a: Frame, b: Frame): number {
  if (a.data.length !== b.data.length) throw new Error(`size mismatch ${a.width}x${a.height} vs ${b.width}x${b.height}`);
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) {
    const d = (a.data[i] as number) - (b.data[i] as number);
    sum += d * d;
  }
  const mse = sum / a.data.length;
  return mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse);
}

/** Mean absolute difference of two frames' bytes. */
export function meanAbsDiff(a: Frame, b: Frame): number {
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) sum += Math.abs((a.data[i] as number) - (b.data[i] as number));
  return sum / a.data.length;
}

/**
 * Writes a picks file for frames 2, 9 and 16 of `video`, "edited" by whitening the left half of each
 * crop, into `dir` (default: a fresh folder). Returns the picks file's path.
 */
export async function writeWhitenedPicks(video: string, crop: number, dir = tempDir()): Promise<string> {
  mkdirSync(join(dir, 'edited'), { recursive: true });
  const frames = await collectFrames(video, [2, 9, 16], { fps: 10, crop });
  for (const frame of frames.values()) {
    const edited = new Uint8Array(frame.data);
    for (let y = 0; y < crop; y++) edited.fill(255, y * crop * 3, (y * crop + crop / 2) * 3);
    await sharp(edited, { raw: { width: crop, height: crop, channels: 3 } }).png().toFile(join(dir, 'edited', pngFileName(frame.index)));
  }
  const picks = join(dir, 'picks.txt');
  writeFileSync(picks, [2, 9, 16].map((i) => `edited/${pngFileName(i)}`).join('\n') + '\n');
  return picks;
}
