import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { temporaryPathFor } from '../../../../src/io/write-file-atomic';
import { removeStaleTemporaries, temporaryNamePid } from '../../../../src/jobs/batch/remove-stale-temporaries';

describe('temporaryNamePid', () => {
  it('reads the process id of names made by temporaryPathFor, and nothing else', () => {
    expect(temporaryNamePid('.talk.mp4.4711.a1b2c3d4.tmp.mp4')).toBe(4711);
    expect(temporaryNamePid('.week.2024.mp4.4711.a1b2c3d4.tmp')).toBe(4711);
    expect(temporaryNamePid(temporaryPathFor('/out/talk.mp4', '.tmp.mp4'))).toBe(process.pid);
    expect(temporaryNamePid('talk.partial.mp4')).toBeUndefined();
    expect(temporaryNamePid('talk.4711.a1b2c3d4.tmp.mp4')).toBeUndefined();
    expect(temporaryNamePid('.vidgan-batch.lock')).toBeUndefined();
  });
});

describe('removeStaleTemporaries', () => {
  it('removes the temporary files of dead processes only, never outputs or a live run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vidgan-stale-'));
    const dead = spawnSync(process.execPath, ['-e', '']).pid as number;
    const names = {
      deadVideo: `.talk.mp4.${dead}.0badc0de.tmp.mp4`,
      deadManifest: `.vidgan-batch.json.${dead}.12345678.tmp`,
      ours: `.b.mp4.${process.pid}.abcdef01.tmp.mp4`,
      parent: `.c.mp4.${process.ppid}.abcdef02.tmp.mp4`,
      output: 'talk.partial.mp4',
      other: 'notes.txt',
    };
    for (const name of Object.values(names)) writeFileSync(join(dir, name), 'x');
    expect(await removeStaleTemporaries(dir)).toEqual([names.deadVideo, names.deadManifest].sort());
    expect(readdirSync(dir).sort()).toEqual([names.ours, names.parent, names.output, names.other].sort());
    expect(await removeStaleTemporaries(dir)).toEqual([]);
  });
});
