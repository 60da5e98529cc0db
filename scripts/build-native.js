#!/usr/bin/env node
'use strict';
/**
 * Builds the native engine (build/Release/vidgan_native.node) with node-gyp against the libtorch
 * that scripts/find-libtorch.js finds. Run by `npm install` / `npm ci` and `npm run build:native`.
 *
 * node-gyp's output goes to build/native-build.log. A build that works prints one line; one that
 * fails prints the whole log and the fixes.
 *
 * `npm install` and `npm ci` always build from scratch (node-gyp clean, configure, build).
 * `npm run build:native` rebuilds only what changed when build/ is configured already for the same
 * libtorch; `npm run build:native -- --rebuild` builds from scratch.
 */
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { findLibtorch, HOW_TO_GET } = require('./find-libtorch');
const { findOpencv } = require('./find-opencv');

const root = path.resolve(__dirname, '..');
const buildDir = path.join(root, 'build');
const LOG = path.join(buildDir, 'native-build.log');
// What build/ was configured for: another libtorch needs a fresh configure.
const STAMP = path.join(buildDir, 'vidgan-libtorch.json');

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

/**
 * Whether to build from scratch: always for `npm install` / `npm ci` (the `install` lifecycle), with
 * `--rebuild`, when build/ was never configured, or when it was configured for another libtorch.
 * Not for the install that `npx vidgan` runs in a clone (`npm_command` exec): npx links the clone into
 * its cache and runs its install script again, which rebuilt the engine `npm ci` had just built (1m47s
 * more on the README's first command); the build there is incremental.
 */
function wantsRebuild(argv, env, libtorchStamp) {
  if (argv.includes('--rebuild')) return { rebuild: true, why: '--rebuild' };
  if (env.npm_lifecycle_event === 'install' && env.npm_command !== 'exec') return { rebuild: true, why: 'npm install' };
  if (!fs.existsSync(path.join(buildDir, 'config.gypi')) || !fs.existsSync(path.join(buildDir, 'Makefile'))) {
    return { rebuild: true, why: 'build/ is not configured' };
  }
  let previous;
  try {
    previous = fs.readFileSync(STAMP, 'utf8');
  } catch {
    previous = undefined;
  }
  if (previous !== libtorchStamp) return { rebuild: true, why: 'libtorch changed' };
  return { rebuild: false, why: 'build/ is configured' };
}

/** Runs node-gyp with one command, appending its output to the log; returns the exit status. */
function nodeGyp(command, extra, logFd) {
  const args = [nodeGypScript(), command, ...extra];
  fs.writeSync(logFd, `\n$ node ${args.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ')}\n`);
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', logFd, logFd] });
  if (result.error) fs.writeSync(logFd, `${result.error.message}\n`);
  return result.status === null ? 1 : result.status;
}

function formatSeconds(ms) {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
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
  const libtorch =
    `libtorch${found.version ? ` ${found.version}` : ''} from ${found.source} (${found.libDir}` +
    `${found.cudaLibs.length ? ', with CUDA' : ', CPU only'})`;
  const libtorchStamp = JSON.stringify({ source: found.source, libDir: found.libDir, includeDirs: found.includeDirs, cudaLibs: found.cudaLibs });
  const { rebuild, why } = wantsRebuild(process.argv.slice(2), process.env, libtorchStamp);
  const started = Date.now();
  const relLog = path.relative(process.cwd(), LOG) || LOG;

  const extra = [`--jobs=${process.env.JOBS || 2}`];
  const nodedir = localNodeDir();
  if (nodedir) extra.push(`--nodedir=${nodedir}`);

  // `clean` removes build/, log included, so it runs before the log is opened; its own output is
  // only kept when it fails.
  let cleanFailure = '';
  if (rebuild) {
    const clean = spawnSync(process.execPath, [nodeGypScript(), 'clean'], { cwd: root, encoding: 'utf8' });
    if (clean.status !== 0) cleanFailure = `${clean.stdout || ''}${clean.stderr || ''}`;
  }
  fs.mkdirSync(buildDir, { recursive: true });
  const logFd = fs.openSync(LOG, 'w');
  fs.writeSync(logFd, `vidgan native build, ${new Date().toISOString()}: ${rebuild ? `from scratch (${why})` : `incremental (${why})`} against ${libtorch}\n`);
  if (cleanFailure) fs.writeSync(logFd, `node-gyp clean failed:\n${cleanFailure}\n`);

  const interactive = Boolean(process.stdout.isTTY);
  if (interactive) process.stdout.write(`vidgan: building the native engine against ${libtorch}… `);
  let status = cleanFailure ? 1 : 0;
  if (status === 0 && rebuild) status = nodeGyp('configure', extra, logFd);
  if (status === 0) status = nodeGyp('build', extra, logFd);
  fs.closeSync(logFd);

  if (status === 0) {
    fs.writeFileSync(STAMP, libtorchStamp);
    const done = `built in ${formatSeconds(Date.now() - started)}${rebuild ? '' : ' (incremental; --rebuild for a clean build)'}; log: ${relLog}`;
    process.stdout.write(interactive ? `${done}\n` : `vidgan: native engine against ${libtorch} ${done}\n`);
    return;
  }
  if (interactive) process.stdout.write('failed.\n');
  // The stamp goes, so that the next build:native configures afresh.
  fs.rmSync(STAMP, { force: true });
  process.stderr.write(`${fs.readFileSync(LOG, 'utf8')}\n`);
  process.stderr.write(
    `vidgan: the native engine failed to build (node-gyp exit ${status}); the log above is also in ${relLog}.\n` +
      'Fixes:\n' +
      '  - a C++17 compiler, make and python3: apt-get install g++ make python3\n' +
      `  - libtorch headers and libraries (found now: ${libtorch}):\n` +
      `${HOW_TO_GET.replace(/^/gm, '    ')}\n` +
      '  - OpenCV for the optical-flow code: apt-get install libopencv-dev\n' +
      '  - then build from scratch: npm run build:native -- --rebuild\n',
  );
  process.exit(status || 1);
}

if (require.main === module) main();

module.exports = { wantsRebuild };
