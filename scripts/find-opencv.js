#!/usr/bin/env node
'use strict';
/**
 * Finds the OpenCV 4 that the native engine's optical flow (native/flow.cpp) builds against: only its
 * core, imgproc and video modules. Order: `pkg-config opencv4` (honours PKG_CONFIG_PATH), then
 * Debian's libopencv-dev layout. binding.gyp calls this file with one flag:
 *
 *   node scripts/find-opencv.js --include   include folders
 *   node scripts/find-opencv.js --libs      -L and -l flags for core, imgproc, video
 *   node scripts/find-opencv.js --describe  one line for people
 */
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const HOW_TO_GET =
  'Install OpenCV 4 (its core, imgproc and video modules):\n' +
  '  - Debian/Ubuntu: apt-get install libopencv-dev\n' +
  '  - elsewhere: an OpenCV 4 build with an opencv4.pc file, its folder in PKG_CONFIG_PATH; then npm run build:native';

const MODULES = ['core', 'imgproc', 'video'];
const DEBIAN_MULTIARCH = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib'];

function pkgConfig(args) {
  const result = spawnSync('pkg-config', [...args, 'opencv4'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

/** Describes an OpenCV installation: include folders and library folders holding the three modules. */
function findOpencv() {
  const cflags = pkgConfig(['--cflags-only-I']);
  if (cflags !== undefined) {
    const includeDirs = cflags.split(/\s+/).filter(Boolean).map((flag) => flag.replace(/^-I/, ''));
    const libDirs = (pkgConfig(['--libs-only-L']) || '').split(/\s+/).filter(Boolean).map((flag) => flag.replace(/^-L/, ''));
    const version = pkgConfig(['--modversion']);
    if (includeDirs.some((dir) => fs.existsSync(path.join(dir, 'opencv2', 'video', 'tracking.hpp')))) {
      return { source: `pkg-config opencv4 ${version}`, includeDirs, libDirs };
    }
  }
  const include = '/usr/include/opencv4';
  if (fs.existsSync(path.join(include, 'opencv2', 'video', 'tracking.hpp'))) {
    const lib = DEBIAN_MULTIARCH.find((dir) => MODULES.every((m) => fs.existsSync(path.join(dir, `libopencv_${m}.so`))));
    if (lib) return { source: 'libopencv-dev', includeDirs: [include], libDirs: [lib] };
  }
  throw new Error(`No OpenCV 4 found for the optical flow (pkg-config knows no opencv4, and ${include} is missing).\n${HOW_TO_GET}`);
}

function main(flag) {
  const found = findOpencv();
  const out = {
    '--include': () => found.includeDirs,
    '--libs': () => [...found.libDirs.map((dir) => `-L${dir}`), ...MODULES.map((m) => `-lopencv_${m}`)],
    '--describe': () => [`OpenCV from ${found.source}: headers ${found.includeDirs.join(', ')}`],
  }[flag];
  if (!out) throw new Error(`Unknown flag ${flag}; use --include, --libs or --describe.`);
  process.stdout.write(out().join(' ') + '\n');
}

module.exports = { findOpencv, HOW_TO_GET };

if (require.main === module) {
  try {
    main(process.argv[2] || '--describe');
  } catch (err) {
    process.stderr.write(`vidgan: ${err.message}\n`);
    process.exit(1);
  }
}
