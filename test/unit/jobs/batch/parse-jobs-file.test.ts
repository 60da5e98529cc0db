import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { batchJobId } from '../../../../src/jobs/batch/batch-job';
import { loadJobsFile, parseJobsFile } from '../../../../src/jobs/batch/parse-jobs-file';
import { BadInputError } from '../../../../src/pipeline/errors';

const at = { source: 'jobs.jsonl', baseDir: '/talks' };

function failure(text: string, options = {}): BadInputError {
  try {
    parseJobsFile(text, { ...at, ...options });
  } catch (error) {
    expect(error).toBeInstanceOf(BadInputError);
    expect((error as BadInputError).code).toBe('BAD_INPUT');
    return error as BadInputError;
  }
  throw new Error('parseJobsFile did not throw');
}

describe('parseJobsFile', () => {
  it('reads one job per line, resolving paths against the jobs file folder, skipping blanks and comments', () => {
    const jobs = parseJobsFile(
      [
        '# semester 1',
        '{"video": "week-1.mp4", "picks": "week-1/picks.txt", "out": "out/w1.mp4"}',
        '',
        '  {"video": "/abs/week-2.mov", "model": "m.safetensors", "out": "/o/w2.mp4"}  ',
        '{"video": "week-3.mp4", "picks": "p3.txt", "base": "none", "out": "w3.mp4"}',
      ].join('\n'),
      at,
    );
    expect(jobs.map(({ id: _id, ...spec }) => spec)).toEqual([
      { video: '/talks/week-1.mp4', out: '/talks/out/w1.mp4', picks: '/talks/week-1/picks.txt' },
      { video: '/abs/week-2.mov', out: '/o/w2.mp4', model: '/talks/m.safetensors' },
      { video: '/talks/week-3.mp4', out: '/talks/w3.mp4', picks: '/talks/p3.txt', base: 'none' },
    ]);
    expect(jobs[0]?.id).toBe(batchJobId({ video: '/talks/week-1.mp4', out: '/talks/out/w1.mp4', picks: '/talks/week-1/picks.txt' }));
    expect(jobs[0]?.id).toMatch(/^[0-9a-f]{16}$/);
  });

  it('fills "out" from the output folder and "model" from the shared model, both relative to the current folder', () => {
    const [job] = parseJobsFile('{"video": "a.mov"}\r\n', { ...at, outDir: 'out', model: 'm.safetensors' });
    expect(job).toMatchObject({ video: '/talks/a.mov', out: resolve('out', 'a.mp4'), model: resolve('m.safetensors') });
    const [trained] = parseJobsFile('{"video": "a.mov", "picks": "p.txt"}', { ...at, outDir: 'out', model: 'm.safetensors' });
    expect(trained?.model).toBeUndefined();
  });

  it('names the line and the rule of every malformed line', () => {
    expect(failure('\n{"video": "a.mp4", "model": "m"\n').message).toMatch(/^jobs\.jsonl line 2: not valid JSON \(.*\)\. Write one object per line/);
    expect(failure('["a.mp4"]').message).toBe('jobs.jsonl line 1: expected a JSON object such as {"video": "a.mp4"} but found an array.');
    expect(failure('{"video": "a.mp4", "model": "m", "fps": 5}').message).toBe(
      'jobs.jsonl line 1: unknown key "fps". The keys are "video", "out", "picks", "model", "base".',
    );
    expect(failure('{"video": 3, "model": "m", "out": "o.mp4"}').message).toBe('jobs.jsonl line 1: "video" must be a non-empty string (a path) but is 3.');
    expect(failure('{"model": "m", "out": "o.mp4"}').message).toMatch(/^jobs\.jsonl line 1: "video" is missing\./);
    expect(failure('{"video": "a.mp4", "model": "m"}').message).toMatch(/^jobs\.jsonl line 1: "out" is missing\. .*--out/);
    expect(failure('{"video": "a.mp4", "out": "o.mp4"}').message).toMatch(/^jobs\.jsonl line 1: the job has neither "picks" nor "model"\./);
    expect(failure('{"video": "a.mp4", "out": "o.mp4", "picks": "p", "model": "m"}').message).toMatch(/both "picks" and "model".*use "base"/);
  });

  it('refuses a file without jobs, and two jobs with one output', () => {
    expect(failure('# nothing\n\n').message).toMatch(/^jobs\.jsonl has no jobs\./);
    const twice = failure('{"video": "a/talk.mp4"}\n{"video": "b/talk.mov"}\n', { outDir: '/out', model: 'm' });
    expect(twice.message).toBe(
      'jobs.jsonl: /talks/a/talk.mp4 and /talks/b/talk.mov would both be written to /out/talk.mp4. ' +
        'Rename one of the videos, convert them in separate batches, or give each its own "out" in a jobs file.',
    );
  });
});

describe('loadJobsFile', () => {
  it('resolves paths against the file and says when it cannot be read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vidgan-jobs-'));
    const file = join(dir, 'jobs.jsonl');
    writeFileSync(file, '{"video": "v.mp4", "model": "m.safetensors", "out": "o.mp4"}\n');
    const [job] = await loadJobsFile(file);
    expect(job).toMatchObject({ video: join(dir, 'v.mp4'), out: join(dir, 'o.mp4'), model: join(dir, 'm.safetensors') });
    writeFileSync(file, 'nonsense\n');
    await expect(loadJobsFile(file)).rejects.toThrow(/^jobs\.jsonl line 1: not valid JSON/);
    await expect(loadJobsFile(join(dir, 'missing.jsonl'))).rejects.toThrow(`Cannot read the jobs file ${join(dir, 'missing.jsonl')} (ENOENT). Check the path.`);
  });
});
