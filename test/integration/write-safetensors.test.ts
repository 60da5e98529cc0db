import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeSafetensors } from '../../src/gan/safetensors';
import { OutputError } from '../../src/pipeline/errors';
import { runWithFileSizeLimit } from './file-size-limit';
import { tempDir } from './helpers';

const tensor = (bytes: number) => [{ name: 'w', dtype: 'U8' as const, shape: [bytes], bytes: new Uint8Array(bytes).fill(7) }];

describe('writeSafetensors', () => {
  it('gives an OutputError and leaves no temporary file when the disk refuses a write halfway', () => {
    const dir = tempDir();
    const file = join(dir, 'model.safetensors');
    // 1 MiB of tensor data against a 32 KiB file-size limit: write(2) fails with EFBIG mid-file, as a
    // full disk fails with ENOSPC.
    const result = runWithFileSizeLimit<{ name: string; code: string; errno: string; message: string; files: string[] }>(
      `const { writeSafetensors } = require(repo('src/gan/safetensors'));
       const { readdirSync } = require('node:fs');
       const bytes = new Uint8Array(1 << 20);
       try {
         await writeSafetensors(${JSON.stringify(file)}, [{ name: 'w', dtype: 'U8', shape: [bytes.length], bytes }], {});
         report({ name: 'none', files: readdirSync(${JSON.stringify(dir)}) });
       } catch (e: any) {
         report({ name: e.constructor.name, code: e.code, errno: e.errno, message: e.message, files: readdirSync(${JSON.stringify(dir)}) });
       }`,
      32 * 1024,
    );
    expect(result).toEqual({
      name: 'OutputError',
      code: 'OUTPUT_FAILED',
      errno: 'EFBIG',
      message:
        `Could not write ${file}: EFBIG: file too large, write (EFBIG). Nothing half-written was left behind. ` +
        'Free some space, or choose another output folder, and run again.',
      files: [],
    });
  });

  it('gives an OutputError and removes its temporary file when the finished file cannot be renamed into place', async () => {
    const dir = tempDir();
    const file = join(dir, 'model.safetensors');
    mkdirSync(file); // a folder where the file should go: the rename fails with EISDIR, even as root
    const error = await writeSafetensors(file, tensor(4096), { note: 'x' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OutputError);
    expect(error).toMatchObject({ code: 'OUTPUT_FAILED', errno: 'EISDIR', path: file });
    expect((error as Error).message).toBe(
      `Could not write ${file}: it is a folder (EISDIR). Nothing half-written was left behind. ` +
        'Free some space, or choose another output folder, and run again.',
    );
    expect(readdirSync(dir)).toEqual(['model.safetensors']);
    expect(readdirSync(file)).toEqual([]);
  });

  it('gives an OutputError when the folder does not exist', async () => {
    const file = join(tempDir(), 'missing', 'model.safetensors');
    await expect(writeSafetensors(file, tensor(8), {})).rejects.toMatchObject({
      constructor: OutputError,
      code: 'OUTPUT_FAILED',
      errno: 'ENOENT',
      message: `Could not write ${file}: its folder does not exist (ENOENT). Nothing half-written was left behind. Free some space, or choose another output folder, and run again.`,
    });
  });
});
