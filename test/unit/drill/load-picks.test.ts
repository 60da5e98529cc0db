import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { loadPicks } from '../../../src/drill/load-picks';
import { BadInputError } from '../../../src/pipeline/errors';

const size = 16;
let dir: string;

async function writeImage(path: string, width: number, height: number, rgb: [number, number, number]) {
  await sharp({ create: { width, height, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } })
    .png()
    .toFile(path);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vidgan-picks-'));
  mkdirSync(join(dir, 'edited'));
  await writeImage(join(dir, 'edited', '000003.png'), size, size, [10, 20, 30]);
  await writeImage(join(dir, 'edited', '000007.png'), size, size, [200, 100, 50]);
  await writeImage(join(dir, 'edited', 'wide.png'), size * 2, size, [0, 0, 0]);
  writeFileSync(join(dir, 'edited', 'broken.png'), 'not an image');
});

function picksFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('loadPicks', () => {
  it('decodes the edited images relative to the picks file', async () => {
    const path = picksFile('ok.txt', 'edited/000003.png\n7 edited/000007.png\n');
    const picks = await loadPicks(path, { size, frameCount: 10 });
    expect(picks.map((p) => p.frame)).toEqual([3, 7]);
    expect(picks[0]!.imagePath).toBe(join(dir, 'edited', '000003.png'));
    expect(picks[1]!.target.length).toBe(size * size * 3);
    expect(Array.from(picks[1]!.target.slice(0, 3))).toEqual([200, 100, 50]);
  });

  it('says when the picks file is missing', async () => {
    const run = loadPicks(join(dir, 'nope.txt'));
    await expect(run).rejects.toBeInstanceOf(BadInputError);
    await expect(run).rejects.toThrow(/Picks file .*nope\.txt does not exist\./);
  });

  it('says when the picks file is a folder', async () => {
    await expect(loadPicks(dir)).rejects.toThrow(/is a folder\./);
  });

  it('names a frame past the end of the video and the frame count', async () => {
    const path = picksFile('late.txt', '3 edited/000003.png\n# late\n1290 edited/000007.png\n');
    await expect(loadPicks(path, { size, frameCount: 1185 })).rejects.toThrow(
      'late.txt line 3: frame 1290 is past the end of the video (1185 frames at 10 fps, numbered 0 to 1184).',
    );
  });

  it('names a missing edited image', async () => {
    const path = picksFile('missing.txt', '3 edited/000099.png\n');
    await expect(loadPicks(path, { size })).rejects.toThrow(/missing\.txt line 1: edited image .*000099\.png does not exist/);
  });

  it('names an unreadable edited image', async () => {
    const path = picksFile('broken.txt', '3 edited/broken.png\n');
    await expect(loadPicks(path, { size })).rejects.toThrow(/broken\.png is not a readable PNG or JPEG\./);
  });

  it('names an edited image of the wrong size', async () => {
    const path = picksFile('wide.txt', '3 edited/wide.png\n');
    const run = loadPicks(path, { size });
    await expect(run).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(run).rejects.toThrow(/wide\.png is 32x16, but edited frames must be 16x16/);
  });
});
