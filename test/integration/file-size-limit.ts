import { execFileSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tempDir } from './helpers';

// A real write failure in the middle of a file, without a full disk: a process whose file-size limit
// (`ulimit -f`, in 512-byte blocks here) is reached gets EFBIG from write(2), just as a full disk gives
// ENOSPC. SIGXFSZ is ignored (`trap '' XFSZ`, inherited through exec) so the write fails instead of
// killing the process. Works as root, unlike a read-only folder.

const repoRoot = resolve(__dirname, '../..');

/**
 * Runs TypeScript `body` (an async function body; `repo(path)` gives a path in this repository and
 * `report(value)` prints the JSON result) in a child Node whose files may not grow past `limitBytes`.
 */
export function runWithFileSizeLimit<T>(body: string, limitBytes: number): T {
  const script = join(tempDir(), 'limited.ts');
  writeFileSync(
    script,
    `const repo = (p: string) => ${JSON.stringify(repoRoot)} + '/' + p;\n` +
      `const report = (v: unknown) => process.stdout.write(JSON.stringify(v));\n` +
      `(async () => {\n${body}\n})().catch((e) => { console.error(e); process.exit(3); });\n`,
  );
  const out = execFileSync(
    'sh',
    ['-c', `trap '' XFSZ; ulimit -f ${Math.ceil(limitBytes / 512)}; exec node -r ts-node/register/transpile-only "$0"`, script],
    { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, TS_NODE_TRANSPILE_ONLY: '1' } },
  );
  return JSON.parse(out) as T;
}

/** An ffmpeg stand-in that runs the real one with files limited to `limitBytes` (see above). */
export function sizeLimitedFfmpeg(limitBytes: number): string {
  const real = (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;
  const path = join(tempDir(), 'ffmpeg-limited.sh');
  writeFileSync(path, `#!/bin/sh\ntrap '' XFSZ\nulimit -f ${Math.ceil(limitBytes / 512)}\nexec "${real}" "$@"\n`);
  chmodSync(path, 0o755);
  return path;
}

