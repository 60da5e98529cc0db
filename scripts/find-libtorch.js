#!/usr/bin/env node
'use strict';
/**
 * Finds the libtorch that the native engine builds against.
 *
 * Order: env `LIBTORCH` (a libtorch folder, or a PyTorch installation's `torch` folder: both have
 * include/ and lib/), then Debian's `libtorch-dev` (headers under /usr/include, libraries in the
 * multiarch folder). binding.gyp calls this file with one flag to get compiler and linker arguments:
 *
 *   node scripts/find-libtorch.js --include   include folders
 *   node scripts/find-libtorch.js --libs      -l flags (CUDA libraries when present)
 *   node scripts/find-libtorch.js --ldflags   rpath and --no-as-needed
 *   node scripts/find-libtorch.js --defines   _GLIBCXX_USE_CXX11_ABI matching the libraries
 *   node scripts/find-libtorch.js --describe  one line for people
 *
 * `findLibtorch()` (used by scripts/build-native.js and `vidgan doctor`) returns the same facts, with
 * the version of the headers (torch/version.h).
 */
const fs = require('fs');
const path = require('path');

const HOW_TO_GET =
  'Install one of:\n' +
  '  - Debian/Ubuntu: apt-get install libtorch-dev\n' +
  '  - a libtorch download from https://pytorch.org/get-started/locally/ (C++/Java, cxx11 ABI),\n' +
  '    unpacked anywhere, then: LIBTORCH=/path/to/libtorch npm run build:native\n' +
  '  - an existing PyTorch installation: LIBTORCH=$(python3 -c "import torch, os; print(os.path.dirname(torch.__file__))") npm run build:native';

const DEBIAN_MULTIARCH = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib'];

/** Describes a libtorch installation: include folders, library folder, libraries to link. */
function findLibtorch(env = process.env) {
  if (env.LIBTORCH) {
    const root = path.resolve(env.LIBTORCH);
    const include = path.join(root, 'include');
    const api = path.join(include, 'torch', 'csrc', 'api', 'include');
    const lib = path.join(root, 'lib');
    const problems = [];
    if (!fs.existsSync(path.join(api, 'torch', 'torch.h'))) problems.push(`${api}/torch/torch.h is missing`);
    if (!hasLib(lib, 'torch_cpu') && !hasLib(lib, 'torch')) problems.push(`${lib} has no libtorch_cpu.so`);
    if (problems.length > 0) {
      throw new Error(
        `LIBTORCH=${env.LIBTORCH} is not a libtorch folder (${problems.join('; ')}). ` +
          `It must hold include/ and lib/ (a libtorch download, or a PyTorch installation's torch folder).\n${HOW_TO_GET}`,
      );
    }
    return describe('LIBTORCH', [include, api], lib);
  }
  const api = '/usr/include/torch/csrc/api/include';
  if (fs.existsSync(path.join(api, 'torch', 'torch.h'))) {
    const lib = DEBIAN_MULTIARCH.find((dir) => hasLib(dir, 'torch_cpu'));
    if (lib) return describe('libtorch-dev', [api], lib);
  }
  throw new Error(`No libtorch found: LIBTORCH is not set and Debian's libtorch-dev is not installed.\n${HOW_TO_GET}`);
}

function hasLib(dir, name) {
  return fs.existsSync(path.join(dir, `lib${name}.so`));
}

function describe(source, includeDirs, libDir) {
  const libs = ['torch', 'torch_cpu', 'c10'].filter((name) => hasLib(libDir, name));
  const cudaLibs = ['torch_cuda', 'c10_cuda'].filter((name) => hasLib(libDir, name));
  return { source, includeDirs, libDir, libs, cudaLibs, cxx11Abi: usesCxx11Abi(libDir), version: headerVersion(includeDirs) };
}

/** `major.minor.patch` from torch/version.h (the TORCH_VERSION_* macros), or undefined. */
function headerVersion(includeDirs) {
  for (const dir of includeDirs) {
    let text;
    try {
      text = fs.readFileSync(path.join(dir, 'torch', 'version.h'), 'utf8');
    } catch {
      continue;
    }
    const part = (name) => (text.match(new RegExp(`#define TORCH_VERSION_${name}\\s+(\\d+)`)) || [])[1];
    if (part('MAJOR') !== undefined && part('MINOR') !== undefined && part('PATCH') !== undefined) {
      return `${part('MAJOR')}.${part('MINOR')}.${part('PATCH')}`;
    }
  }
  return undefined;
}

/** pip wheels of PyTorch before 2.7 use the old C++ ABI; the symbols of libc10 tell which one. */
function usesCxx11Abi(libDir) {
  try {
    return fs.readFileSync(path.join(libDir, 'libc10.so')).includes('B5cxx11');
  } catch {
    return true;
  }
}

function main(flag) {
  const found = findLibtorch();
  const out = {
    '--include': () => found.includeDirs,
    '--libs': () => [...found.libs, ...found.cudaLibs].map((name) => `-l${name}`),
    // CUDA kernels register themselves in static initialisers: keep the CUDA libraries even though
    // no symbol of ours references them, or `cuda` silently stays unavailable.
    '--ldflags': () => [
      `-L${found.libDir}`,
      `-Wl,-rpath,${found.libDir}`,
      ...(found.cudaLibs.length > 0 ? ['-Wl,--no-as-needed'] : []),
    ],
    '--defines': () => [`_GLIBCXX_USE_CXX11_ABI=${found.cxx11Abi ? 1 : 0}`],
    '--describe': () => [
      `libtorch${found.version ? ` ${found.version}` : ''} from ${found.source}: headers ${found.includeDirs.join(', ')}; libraries ${found.libDir} ` +
        `(${[...found.libs, ...found.cudaLibs].join(', ')}${found.cudaLibs.length ? ', CUDA' : ', CPU only'})`,
    ],
  }[flag];
  if (!out) throw new Error(`Unknown flag ${flag}; use --include, --libs, --ldflags, --defines or --describe.`);
  process.stdout.write(out().join(' ') + '\n');
}

module.exports = { findLibtorch, HOW_TO_GET };

if (require.main === module) {
  try {
    main(process.argv[2] || '--describe');
  } catch (err) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
}
