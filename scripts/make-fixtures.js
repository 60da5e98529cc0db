#!/usr/bin/env node
// Generates the small clips in fixtures/videos/ with ffmpeg's lavfi sources (no downloads).
// Provenance of each file: fixtures/videos/README.md. Files that already exist are kept.
// Usage: node scripts/make-fixtures.js [--force]
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync, mkdirSync, readFileSync, writeFileSync, renameSync } = require('node:fs');
const { join } = require('node:path');

const dir = join(__dirname, '..', 'fixtures', 'videos');

function ffmpegPath() {
  if (process.env.FFMPEG_PATH) return process.env.FFMPEG_PATH;
  return require('@ffmpeg-installer/ffmpeg').path;
}

function ffmpeg(args) {
  const result = spawnSync(ffmpegPath(), ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', ...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`ffmpeg ${args.join(' ')} failed: ${result.stderr || result.error}`);
}

// A red square moving on a sine path over testsrc2's textured, animated pattern.
function movingShape(width, height, rate, seconds) {
  return (
    `testsrc2=size=${width}x${height}:rate=${rate}:duration=${seconds}[bg];` +
    `color=c=red:size=${Math.round(height / 6)}x${Math.round(height / 6)}:rate=${rate}:duration=${seconds}[fg];` +
    `[bg][fg]overlay=x='(W-w)*(0.5+0.45*sin(2*PI*t/${seconds}))':y='(H-h)*(0.5+0.4*cos(2*PI*t/${seconds}))'[v]`
  );
}

const fixtures = {
  // 640x480, 3 s at 25 fps with a 440 Hz tone: 30 frames at 10 fps.
  'clip-640x480.mp4': (out) =>
    ffmpeg([
      '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100:duration=3',
      '-filter_complex', movingShape(640, 480, 25, 3),
      '-map', '[v]', '-map', '0:a',
      '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-pix_fmt', 'yuv420p',
      '-c:a', 'aac', '-b:a', '64k', '-shortest', '-movflags', '+faststart', out,
    ]),
  // 320x240, 2 s at 30 fps, no audio: smaller than 400 on both sides, so crop scales it up.
  'small-320x240.mp4': (out) =>
    ffmpeg([
      '-filter_complex', movingShape(320, 240, 30, 2),
      '-map', '[v]', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-pix_fmt', 'yuv420p', out,
    ]),
  // 320x240, 40 s at 10 fps, no audio: long enough to interrupt an extraction half-way.
  'long-320x240.mp4': (out) =>
    ffmpeg([
      '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=10:duration=40',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '30', '-pix_fmt', 'yuv420p', out,
    ]),
  // 2 s of a tone and nothing else: a file with no video stream.
  'audio-only.mp4': (out) =>
    ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=330:duration=2', '-c:a', 'aac', '-b:a', '64k', out]),
  // Text with a video extension: not a video at all.
  'not-a-video.mp4': (out) => writeFileSync(out, 'This is a text file, not a video.\n'.repeat(50)),
  // The first third of a faststart clip: the header promises 3 s, the data stops after about 1 s.
  'truncated.mp4': (out) => {
    const whole = `${out}.whole.mp4`;
    ffmpeg([
      '-filter_complex', movingShape(320, 240, 25, 3),
      '-map', '[v]', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-pix_fmt', 'yuv420p',
      '-g', '25', '-movflags', '+faststart', whole,
    ]);
    const bytes = readFileSync(whole);
    writeFileSync(out, bytes.subarray(0, Math.floor(bytes.length / 3)));
    require('node:fs').rmSync(whole);
  },
};

/** Makes every missing fixture (all of them with force) and returns the folder. */
function makeFixtures({ force = false } = {}) {
  mkdirSync(dir, { recursive: true });
  for (const [name, make] of Object.entries(fixtures)) {
    const out = join(dir, name);
    if (existsSync(out) && !force) continue;
    const temporary = join(dir, `tmp-${process.pid}-${name}`);
    make(temporary);
    renameSync(temporary, out);
  }
  return dir;
}

module.exports = { makeFixtures, fixturesDir: dir };

if (require.main === module) {
  const started = Date.now();
  makeFixtures({ force: process.argv.includes('--force') });
  console.log(`fixtures ready in ${dir} (${Date.now() - started} ms)`);
}
