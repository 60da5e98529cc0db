import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeBatchJob } from '../../../../src/jobs/batch/batch-job';
import { contentHashes, type QueueJobData, queueJobId } from '../../../../src/jobs/queue/queue-job';
import { BadInputError } from '../../../../src/pipeline/errors';

const hashes = { video: 'a'.repeat(64), model: 'b'.repeat(64) };
const job = makeBatchJob({ video: '/v/a.mp4', out: '/o/a.mp4', model: '/m.safetensors' });
const data = (over: Partial<QueueJobData> = {}): QueueJobData => ({ version: 1, job, hashes, options: { crop: 64, training: { steps: 3 } }, ...over });

describe('queueJobId', () => {
  it('is the same for the same output, contents and options, whatever the key order', () => {
    expect(queueJobId(data())).toMatch(/^v1-[0-9a-f]{16}$/);
    expect(queueJobId(data({ options: { training: { steps: 3 }, crop: 64 } }))).toBe(queueJobId(data()));
    // overwrite says what may be replaced, not what is made
    expect(queueJobId(data({ options: { crop: 64, training: { steps: 3 }, overwrite: true } }))).toBe(queueJobId(data()));
  });

  it('changes with the output, a file content or an option', () => {
    const ids = [
      queueJobId(data()),
      queueJobId(data({ job: { ...job, out: '/o/other.mp4' } })),
      queueJobId(data({ hashes: { ...hashes, video: 'c'.repeat(64) } })),
      queueJobId(data({ hashes: { ...hashes, model: 'c'.repeat(64) } })),
      queueJobId(data({ options: { crop: 128, training: { steps: 3 } } })),
      queueJobId(data({ options: { crop: 64, training: { steps: 4 } } })),
    ];
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('contentHashes', () => {
  it('hashes the video, the model, and the picks file with the images it names', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vidgan-unit-'));
    writeFileSync(join(dir, 'a.mp4'), 'video bytes');
    writeFileSync(join(dir, 'edit.png'), 'first edit');
    writeFileSync(join(dir, 'picks.txt'), '3 edit.png\n');
    const trained = makeBatchJob({ video: 'a.mp4', out: 'out/a.mp4', picks: 'picks.txt', base: 'none' }, dir);
    const first = await contentHashes(trained);
    expect(first.video).toBe('96b050b919f3fca2fc8b6923537136a197ad13c583beb1438d1a12ccbc999c42'); // sha256sum of the bytes
    expect(Object.keys(first).sort()).toEqual(['picks', 'video']);
    writeFileSync(join(dir, 'edit.png'), 'second edit');
    const second = await contentHashes(trained);
    expect(second.video).toBe(first.video);
    expect(second.picks).not.toBe(first.picks);
  });

  it('names a file it cannot read', async () => {
    const missing = makeBatchJob({ video: '/nonexistent/a.mp4', out: '/o/a.mp4', model: '/m.safetensors' });
    await expect(contentHashes(missing)).rejects.toThrow(BadInputError);
    await expect(contentHashes(missing)).rejects.toThrow('Cannot read /nonexistent/a.mp4: ENOENT');
  });
});
