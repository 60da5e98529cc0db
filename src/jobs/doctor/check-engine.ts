import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { loadBinding, type NativeBinding } from '../../gan/binding';
import type { DoctorCheck } from './doctor-check';

/** The oldest libtorch vidgan is built and tested with: Debian bookworm's libtorch-dev, 1.13. */
export const MIN_LIBTORCH = [1, 13] as const;

/** What scripts/find-libtorch.js reports about the libtorch it finds. */
interface FoundLibtorch {
  readonly source: 'LIBTORCH' | 'libtorch-dev';
  readonly includeDirs: readonly string[];
  readonly libDir: string;
  readonly cudaLibs: readonly string[];
  /** TORCH_VERSION of its headers (torch/version.h). */
  readonly version?: string;
}

const ROOT = join(__dirname, '..', '..', '..');
const ADDON = join(ROOT, 'build', 'Release', 'vidgan_native.node');

/**
 * Checks the native engine: where libtorch was found (scripts/find-libtorch.js: `LIBTORCH`, else
 * Debian's libtorch-dev), the version the engine runs on, whether the build the engine links has CUDA
 * and whether a GPU is seen (a CUDA build without a GPU leaves the GPU unused), and libtorch's
 * threads against the cores.
 *
 * @example
 * const [libtorch, cuda, threads] = checkEngine();
 */
export function checkEngine(env: NodeJS.ProcessEnv = process.env): DoctorCheck[] {
  const found = findLibtorch(env);
  let binding: NativeBinding;
  try {
    binding = loadBinding();
  } catch (error) {
    const summary = (error as Error).message;
    return [
      {
        id: 'libtorch',
        status: 'fail',
        required: true,
        summary,
        fix:
          found.error === undefined
            ? `Rebuild the engine against the libtorch found in ${found.value.libDir} (${found.value.source}): npm run build:native`
            : `${found.error} Then rebuild the engine: npm run build:native`,
        code: 'ENGINE_LOAD_FAILED',
        details: { found: found.value ?? null, addon: ADDON },
      },
      { id: 'cuda', status: 'warn', required: false, summary: 'Not checked: the engine does not load.', details: {} },
      checkThreads(undefined, env),
    ];
  }
  return [checkLibtorch(binding, found), checkCuda(binding, found.value, env), checkThreads(binding, env)];
}

function checkLibtorch(binding: NativeBinding, found: Found): DoctorCheck {
  const version = binding.torchVersion;
  const headers = found.value?.version;
  const where = found.value === undefined ? 'no libtorch found now' : `${found.value.source}, ${found.value.libDir}`;
  const details = { version, addon: ADDON, found: found.value ?? null, headerVersion: headers ?? null };
  const numbers = /^(\d+)\.(\d+)/.exec(version);
  if (numbers !== null && (Number(numbers[1]) < MIN_LIBTORCH[0] || (Number(numbers[1]) === MIN_LIBTORCH[0] && Number(numbers[2]) < MIN_LIBTORCH[1]))) {
    return {
      id: 'libtorch',
      status: 'fail',
      required: true,
      summary: `libtorch ${version} (${where}) is older than ${MIN_LIBTORCH.join('.')}.`,
      fix: 'Install a newer libtorch (apt-get install libtorch-dev, or a download from https://pytorch.org), point LIBTORCH at it and run npm run build:native.',
      code: 'ENGINE_LOAD_FAILED',
      details,
    };
  }
  if (found.error !== undefined || (headers !== undefined && headers !== version.split('+')[0])) {
    return {
      id: 'libtorch',
      status: 'warn',
      required: true,
      summary:
        `The engine runs on libtorch ${version}, but ` +
        (found.error !== undefined ? 'scripts/find-libtorch.js finds no libtorch now' : `the libtorch found now (${where}) is ${headers}`) +
        ': the next npm install or npm run build:native builds against something else.',
      fix: found.error ?? 'Rebuild the engine against the libtorch found now (npm run build:native), or set LIBTORCH back to the one it was built with.',
      details,
    };
  }
  return { id: 'libtorch', status: 'ok', required: true, summary: `libtorch ${version} from ${where}.`, details };
}

function checkCuda(binding: NativeBinding, found: FoundLibtorch | undefined, env: NodeJS.ProcessEnv): DoctorCheck {
  const available = binding.cudaAvailable();
  const linked = addonLinksCuda();
  const details = { available, engineLinksCuda: linked, foundCudaLibs: found?.cudaLibs ?? [], CUDA_VISIBLE_DEVICES: env.CUDA_VISIBLE_DEVICES ?? null };
  if (available) return { id: 'cuda', status: 'ok', required: false, summary: 'CUDA available: run with --device cuda to use the GPU.', details };
  if (linked) {
    return {
      id: 'cuda',
      status: 'warn',
      required: false,
      summary: 'The engine is built on a CUDA libtorch but sees no GPU: the GPU is unused and everything runs on the CPU.',
      fix:
        'Check that nvidia-smi lists the GPU, that the driver supports the CUDA version of the libtorch build' +
        `${env.CUDA_VISIBLE_DEVICES !== undefined ? `, and CUDA_VISIBLE_DEVICES (now '${env.CUDA_VISIBLE_DEVICES}')` : ''}.`,
      details,
    };
  }
  if (found !== undefined && found.cudaLibs.length > 0) {
    return {
      id: 'cuda',
      status: 'warn',
      required: false,
      summary: `The libtorch in ${found.libDir} has CUDA, but the engine was built without it: the GPU is unused.`,
      fix: 'Rebuild the engine against it: npm run build:native',
      details,
    };
  }
  return {
    id: 'cuda',
    status: 'ok',
    required: false,
    summary: 'CPU only (this libtorch has no CUDA). To use a GPU: LIBTORCH=/path/to/libtorch-with-cuda npm run build:native.',
    details,
  };
}

function checkThreads(binding: NativeBinding | undefined, env: NodeJS.ProcessEnv): DoctorCheck {
  const cores = availableParallelism();
  // A model sets its thread count on the torch thread when it is built (native/model.cpp
  // defaultThreads): OMP_NUM_THREADS when set, else every core. The JavaScript thread's own OpenMP
  // count (getNumThreads) says nothing about it, so it is not asked.
  const fromEnv = Number.parseInt(env.OMP_NUM_THREADS ?? '', 10);
  const torchThreads = binding === undefined ? undefined : fromEnv > 0 ? fromEnv : cores;
  const details = { cores, libtorchThreads: torchThreads ?? null, OMP_NUM_THREADS: env.OMP_NUM_THREADS ?? null, OMP_WAIT_POLICY: env.OMP_WAIT_POLICY ?? null };
  const torch = torchThreads === undefined ? '' : `; libtorch uses ${torchThreads} by default (--threads sets it)`;
  const omp = env.OMP_NUM_THREADS === undefined ? '' : `; OMP_NUM_THREADS=${env.OMP_NUM_THREADS}`;
  if (torchThreads !== undefined && torchThreads > cores) {
    return {
      id: 'threads',
      status: 'warn',
      required: false,
      summary: `${cores} cores available${torch}${omp}: more threads than cores slows training down.`,
      fix: `Pass --threads ${cores} or less, or unset OMP_NUM_THREADS.`,
      details,
    };
  }
  return { id: 'threads', status: 'ok', required: false, summary: `${cores} cores available${torch}${omp}.`, details };
}

type Found = { value: FoundLibtorch; error?: undefined } | { value?: undefined; error: string };

function findLibtorch(env: NodeJS.ProcessEnv): Found {
  try {
    // scripts/ ships with the package, beside src/ and dist/; it is plain JavaScript run by node-gyp.
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const script = require(join(ROOT, 'scripts', 'find-libtorch.js')) as { findLibtorch(env: NodeJS.ProcessEnv): FoundLibtorch };
    return { value: script.findLibtorch(env) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** Whether the built engine names libtorch_cuda among its libraries (it is linked with --no-as-needed). */
function addonLinksCuda(): boolean {
  try {
    return readFileSync(ADDON).includes('libtorch_cuda.so');
  } catch {
    return false;
  }
}
