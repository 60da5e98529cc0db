import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BATCH_LOCK_NAME, lockBatchFolder } from '../../../../src/jobs/batch/lock-batch-folder';
import { OutputError } from '../../../../src/pipeline/errors';

/** The id of a process that has exited (ids are not reused this soon). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid as number;
}

const folder = () => mkdtempSync(join(tmpdir(), 'vidgan-lock-'));

describe('lockBatchFolder', () => {
  it('creates the lock with this process, refuses a second holder naming it, and frees the folder on release', async () => {
    const dir = folder();
    const lock = await lockBatchFolder(dir);
    const path = join(dir, BATCH_LOCK_NAME);
    expect(lock.path).toBe(path);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ pid: process.pid, host: hostname(), startedAt: lock.owner.startedAt, token: lock.owner.token });

    const second = lockBatchFolder(dir);
    await expect(second).rejects.toThrow(OutputError);
    await expect(second).rejects.toMatchObject({ code: 'OUTPUT_FAILED', path });
    await expect(second).rejects.toThrow(
      `${dir} is in use by another vidgan batch: process ${process.pid} on this machine, started ${lock.owner.startedAt} (lock file ${path}). ` +
        'Wait for that run to finish or stop it, or write to another output folder. ' +
        `If no vidgan batch is running there any more, remove ${path} and run again.`,
    );

    await lock.release();
    expect(readdirSync(dir)).toEqual([]);
    const again = await lockBatchFolder(dir);
    await again.release();
    await again.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('takes over a lock whose process is dead, with a warning naming it', async () => {
    const dir = folder();
    const path = join(dir, BATCH_LOCK_NAME);
    const pid = deadPid();
    writeFileSync(path, JSON.stringify({ pid, host: hostname(), startedAt: '2024-05-01T10:00:00.000Z', token: 'feed' }));
    const warnings: string[] = [];
    const lock = await lockBatchFolder(dir, { onWarning: (m) => warnings.push(m) });
    expect(warnings).toEqual([
      `Took over the lock ${path} left by process ${pid} (started 2024-05-01T10:00:00.000Z), which is no longer running: that run was killed. Its unfinished jobs run again.`,
    ]);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: process.pid });
    expect(readdirSync(dir)).toEqual([BATCH_LOCK_NAME]);
    await lock.release();
  });

  it('refuses a lock held on another machine, which it cannot check, and one it cannot read', async () => {
    const dir = folder();
    const path = join(dir, BATCH_LOCK_NAME);
    writeFileSync(path, JSON.stringify({ pid: deadPid(), host: 'render-07', startedAt: '2024-05-01T10:00:00.000Z', token: 'feed' }));
    await expect(lockBatchFolder(dir)).rejects.toThrow(
      /^.* is in use by another vidgan batch: process \d+ on host render-07, started 2024-05-01T10:00:00\.000Z \(lock file .*\) \(vidgan cannot check a process on another machine\)\. /,
    );
    writeFileSync(path, '');
    await expect(lockBatchFolder(dir)).rejects.toThrow(`${dir} is in use by another vidgan batch: a lock file it cannot read (${path}). `);
    expect(readFileSync(path, 'utf8')).toBe('');
  });

  it('leaves a lock that is not its own in place on release', async () => {
    const dir = folder();
    const lock = await lockBatchFolder(dir);
    const path = join(dir, BATCH_LOCK_NAME);
    writeFileSync(path, '{"someone": "else"}');
    await lock.release();
    expect(existsSync(path)).toBe(true);
  });

  it('is released when the process exits without releasing it', () => {
    const dir = folder();
    const script = `require(${JSON.stringify(require.resolve('../../../../src/jobs/batch/lock-batch-folder'))}).lockBatchFolder(${JSON.stringify(dir)}).then(() => process.exit(3));`;
    const child = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], { encoding: 'utf8' });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(3);
    expect(readdirSync(dir)).toEqual([]);
  });
});
