import { spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './helpers';

const root = join(__dirname, '..', '..');

/**
 * A package with vidgan's build scripts and a one-file addon in place of the engine: the script's
 * behaviour (one line, log, incremental builds, failure report) without minutes of compiling libtorch.
 */
function tinyPackage(): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'scripts'));
  for (const name of ['build-native.js', 'find-libtorch.js', 'find-opencv.js']) copyFileSync(join(root, 'scripts', name), join(dir, 'scripts', name));
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  writeFileSync(join(dir, 'binding.gyp'), '{ "targets": [ { "target_name": "tiny", "sources": ["tiny.c"] } ] }\n');
  writeFileSync(
    join(dir, 'tiny.c'),
    '#include <node_api.h>\nstatic napi_value Init(napi_env env, napi_value exports) { return exports; }\nNAPI_MODULE(NODE_GYP_MODULE_NAME, Init)\n',
  );
  return dir;
}

const build = (dir: string, env: NodeJS.ProcessEnv, ...args: string[]) =>
  spawnSync(process.execPath, [join(dir, 'scripts', 'build-native.js'), ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, npm_lifecycle_event: undefined, npm_command: undefined, ...env },
    timeout: 300_000,
  });

describe('scripts/build-native.js', () => {
  it('prints one line when the build works, keeps the node-gyp output in build/native-build.log, and builds incrementally for build:native', () => {
    const dir = tinyPackage();
    const install = build(dir, { npm_lifecycle_event: 'install' });
    expect(install.stderr).toBe('');
    expect(install.status).toBe(0);
    expect(install.stdout).toMatch(/^vidgan: native engine against libtorch .* built in \d+s; log: build\/native-build\.log\n$/);
    expect(existsSync(join(dir, 'build', 'Release', 'tiny.node'))).toBe(true);
    const log = readFileSync(join(dir, 'build', 'native-build.log'), 'utf8');
    expect(log).toMatch(/from scratch \(npm install\)/);
    expect(log).toMatch(/node-gyp\.js configure/);
    expect(log).toMatch(/gyp info ok/);

    const again = build(dir, { npm_lifecycle_event: 'build:native' });
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/built in \d+s \(incremental; --rebuild for a clean build\); log: build\/native-build\.log\n$/);
    expect(readFileSync(join(dir, 'build', 'native-build.log'), 'utf8')).not.toMatch(/node-gyp\.js configure/);

    // `npx vidgan` in a clone runs the install script again (npm_command exec): no rebuild from scratch.
    const npx = build(dir, { npm_lifecycle_event: 'install', npm_command: 'exec' });
    expect(npx.status).toBe(0);
    expect(npx.stdout).toMatch(/\(incremental; --rebuild for a clean build\)/);
    expect(readFileSync(join(dir, 'build', 'native-build.log'), 'utf8')).not.toMatch(/node-gyp\.js configure/);

    const forced = build(dir, { npm_lifecycle_event: 'build:native' }, '--rebuild');
    expect(forced.status).toBe(0);
    expect(readFileSync(join(dir, 'build', 'native-build.log'), 'utf8')).toMatch(/from scratch \(--rebuild\)/);
  });

  it('prints the whole log and the fixes when the build fails, with a non-zero exit', () => {
    const dir = tinyPackage();
    appendFileSync(join(dir, 'tiny.c'), 'int broken( {\n');
    const run = build(dir, { npm_lifecycle_event: 'install' });
    expect(run.status).not.toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('tiny.c');
    expect(run.stderr).toContain('gyp ERR!');
    expect(run.stderr).toContain(readFileSync(join(dir, 'build', 'native-build.log'), 'utf8'));
    expect(run.stderr).toMatch(/vidgan: the native engine failed to build \(node-gyp exit 1\); the log above is also in build\/native-build\.log\.\nFixes:\n/);
    expect(run.stderr).toContain('apt-get install g++ make python3');
    expect(run.stderr).toContain('apt-get install libtorch-dev');
    expect(run.stderr).toContain('npm run build:native -- --rebuild');
  });
});
