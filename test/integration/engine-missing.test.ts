import { spawnSync } from 'node:child_process';
import { cpSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './helpers';

const root = join(__dirname, '..', '..');

describe('a missing native engine', () => {
  it('exits 5 with the reason and the fixes, without a stack', () => {
    // A copy of the package without build/: what a user has when the addon was never built.
    const copy = tempDir();
    cpSync(join(root, 'src'), join(copy, 'src'), { recursive: true });
    cpSync(join(root, 'tsconfig.json'), join(copy, 'tsconfig.json'));
    cpSync(join(root, 'package.json'), join(copy, 'package.json'));
    symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'));
    const result = spawnSync(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', 'src/cli/main.ts', 'process', join(root, 'examples', 'interview', 'clip.mp4'), '--model', join(root, 'models', 'base.safetensors'), '--out', join(copy, 'o.mp4')],
      // A hang-catcher: the run itself takes seconds (it stops when the engine fails to load).
      { cwd: copy, encoding: 'utf8', timeout: 240_000 },
    );
    expect(result.status).toBe(5);
    expect(result.stderr).toMatch(/^vidgan: The native engine could not be loaded from .*build\/Release\/vidgan_native\.node/);
    expect(result.stderr).toMatch(/apt-get install libtorch-dev/);
    expect(result.stderr).toMatch(/LIBTORCH/);
    expect(result.stderr).toMatch(/npm run build:native/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
