import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expandVideos, globToRegExp, hasGlob, isVideoFileName } from '../../../../src/jobs/batch/expand-videos';
import { BadInputError } from '../../../../src/pipeline/errors';

describe('globToRegExp', () => {
  it('matches *, ? and classes within one name, everything else literally', () => {
    expect(globToRegExp('*.mp4').test('week 1.mp4')).toBe(true);
    expect(globToRegExp('*.mp4').test('week1.mp4.txt')).toBe(false);
    expect(globToRegExp('*.mp4').test('week1xmp4')).toBe(false);
    expect(globToRegExp('week-?.mov').test('week-3.mov')).toBe(true);
    expect(globToRegExp('week-?.mov').test('week-13.mov')).toBe(false);
    expect(globToRegExp('w[0-2].mp4').test('w2.mp4')).toBe(true);
    expect(globToRegExp('w[!0-2].mp4').test('w2.mp4')).toBe(false);
    expect(globToRegExp('w[!0-2].mp4').test('w7.mp4')).toBe(true);
    expect(globToRegExp('a(1)+.mp4').test('a(1)+.mp4')).toBe(true);
  });
});

describe('isVideoFileName and hasGlob', () => {
  it('recognise video extensions in any case, and glob characters', () => {
    expect(isVideoFileName('Talk.MOV')).toBe(true);
    expect(isVideoFileName('notes.txt')).toBe(false);
    expect(hasGlob('talks/*.mp4')).toBe(true);
    expect(hasGlob('talks/a.mp4')).toBe(false);
  });
});

describe('expandVideos', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vidgan-expand-'));
  mkdirSync(join(dir, 'talks'));
  for (const name of ['b.mp4', 'a.MOV', 'notes.txt', 'c.mkv']) writeFileSync(join(dir, 'talks', name), 'x');
  mkdirSync(join(dir, 'talks', 'sub.mp4'));
  mkdirSync(join(dir, 'empty'));

  it('takes files as they are, folders by their videos sorted, globs by name, without duplicates', async () => {
    const t = (name: string) => join(dir, 'talks', name);
    expect(await expandVideos([join(dir, 'talks')])).toEqual([t('a.MOV'), t('b.mp4'), t('c.mkv')]);
    expect(await expandVideos([t('c.mkv'), join(dir, 'talks', '*.mp4'), join(dir, 'talks')])).toEqual([t('c.mkv'), t('b.mp4'), t('a.MOV')]);
  });

  it('says when an argument names nothing', async () => {
    await expect(expandVideos([join(dir, 'nope.mp4')])).rejects.toThrow(new BadInputError(`${join(dir, 'nope.mp4')} does not exist. Name a video file, a folder of videos, or a glob such as 'talks/*.mp4'.`));
    await expect(expandVideos([join(dir, 'empty')])).rejects.toThrow(/^The folder .*empty holds no video files \(\.mp4 /);
    await expect(expandVideos([join(dir, 'talks', '*.webm')])).rejects.toThrow(/\*\.webm matches no file\./);
    await expect(expandVideos([join(dir, '*', 'a.mp4')])).rejects.toThrow(/glob characters are only understood in the file name/);
  });
});
