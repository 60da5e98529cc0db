import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BadInputError, OutputExistsError } from '../../../src/pipeline/errors';
import { prepareOutputFile, prepareOutputFolder } from '../../../src/stages/output-path';
import { tempDir } from '../../integration/helpers';

describe('prepareOutputFile', () => {
  it('creates the folder and leaves nothing in it (the write check removes its file)', async () => {
    const dir = join(tempDir(), 'a', 'b');
    await prepareOutputFile(join(dir, 'clip.mp4'), { overwrite: false });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses an existing file unless told to overwrite it', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'clip.mp4'), 'x');
    await expect(prepareOutputFile(join(dir, 'clip.mp4'), { overwrite: false })).rejects.toBeInstanceOf(OutputExistsError);
    await prepareOutputFile(join(dir, 'clip.mp4'), { overwrite: true });
    expect(readdirSync(dir)).toEqual(['clip.mp4']);
  });

  // /proc takes no new files, whatever its permissions say: root passes `access(W_OK)` there. vidgan
  // runs on Linux only (Debian's libtorch-dev and libopencv-dev), so /proc is always there.
  it('refuses a folder that takes no files before any work, even where its permissions allow writing', async () => {
    const error = await prepareOutputFile('/proc/vidgan-output-check.mp4', { overwrite: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadInputError);
    expect((error as Error).message).toMatch(/^Cannot write to output folder \/proc \((ENOENT|EACCES|EPERM)\)\. Choose a folder you can write to/);
  });
});

describe('prepareOutputFolder', () => {
  it('refuses a folder that holds PNG files, and a file where the folder should be', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, '000001.png'), 'x');
    await expect(prepareOutputFolder(dir, { overwrite: false })).rejects.toBeInstanceOf(OutputExistsError);
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'file'), 'x');
    await expect(prepareOutputFolder(join(dir, 'file'), { overwrite: true })).rejects.toBeInstanceOf(BadInputError);
    await prepareOutputFolder(join(dir, 'sub'), { overwrite: false });
    expect(readdirSync(join(dir, 'sub'))).toEqual([]);
  });
});
