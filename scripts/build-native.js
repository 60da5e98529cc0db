#!/usr/bin/env node
'use strict';
/**
 * Builds the native engine (build/Release/vidgan_native.node) with node-gyp against the libtorch
 * that scripts/find-libtorch.js finds. Run by `npm install` and `npm run build:native`.
 */
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { findLibtorch } = require('./find-libtorch');
const { findOpencv } = require('./find-opencv');

const root = path.resolve(__dirname, '..');

function nodeGypScript() {
  const candidates = [
    process.env.npm_config_node_gyp,
    tryResolve('node-gyp/bin/node-gyp.js'),
    path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  const found = candidates.find((file) => file && fs.existsSync(file));
  if (!found) {
    throw new Error('node-gyp was not found. It ships with npm; install npm (apt-get install npm) or run: npm install -g node-gyp');
  }
  return found;
}

function tryResolve(id) {
  try {
    return require.resolve(id);
  } catch {
    return undefined;
  }
}

/** Node's own headers, when installed next to the binary (Debian's nodejs), so no download is needed. */
function localNodeDir() {
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  const header = path.join(prefix, 'include', 'node', 'node_version.h');
  if (!fs.existsSync(header)) return undefined;
  const text = fs.readFileSync(header, 'utf8');
  const part = (name) => (text.match(new RegExp(`#define NODE_${name}_VERSION (\\d+)`)) || [])[1];
  const version = `v${part('MAJOR')}.${part('MINOR')}.${part('PATCH')}`;
  return version === process.version ? prefix : undefined;
}

function main() {
  let found;
  try {
    found = findLibtorch();
    findOpencv();
  } catch (err) {
    process.stderr.write(`vidgan: cannot build the native engine.\n${err.message}\n`);
    process.exit(1);
  }
  process.stdout.write(
    `vidgan: building the native engine against libtorch from ${found.source} (${found.libDir}` +
      `${found.cudaLibs.length ? ', with CUDA' : ', CPU only'})\n`,
  );
  const args = [nodeGypScript(), 'rebuild', `--jobs=${process.env.JOBS || 2}`];
  const nodedir = localNodeDir();
  if (nodedir) args.push(`--nodedir=${nodedir}`);
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write(
      `vidgan: the native engine failed to build (node-gyp exit ${result.status}). ` +
        'Check the compiler output above; a C++17 compiler (apt-get install g++ make python3) is needed.\n',
    );
    process.exit(result.status || 1);
  }
}

main();
