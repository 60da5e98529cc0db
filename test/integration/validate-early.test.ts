import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runBatch } from '../../src/jobs/batch/run-batch';
import { enqueueBatch } from '../../src/jobs/queue/enqueue-batch';
import { holdoutScores } from '../../src/jobs/holdout-scores';
import { processVideo } from '../../src/jobs/process-video';
import { InvalidOptionError } from '../../src/pipeline/errors';
import { tempDir } from './helpers';

const root = join(__dirname, '..', '..');
const cli = ['-r', 'ts-node/register/transpile-only', join(root, 'src', 'cli', 'main.ts')];
const vidgan = (...args: string[]) => spawnSync(process.execPath, [...cli, ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });
const clip = join(root, 'examples', 'interview', 'clip.mp4');
const picks = join(root, 'examples', 'interview', 'picks.txt');

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('processVideo', () => {
  // A video that does not exist: an option checked after the probe would be reported as bad input.
  it.each([
    [{ crf: 52 }, 'Expected integer between 0 and 51 for crf but received 52'],
    [{ crf: Number.NaN }, 'Expected integer between 0 and 51 for crf but received NaN'],
    [{ training: { steps: -1 } }, 'Expected integer between 0 and 100000000 for steps but received -1'],
    [{ training: { trainSeconds: Number.NaN } }, 'Expected number between 0.001 and 1000000000 for trainSeconds but received NaN'],
    [{ roundTrip: 2.5 }, 'Expected integer between 0 and 100 for roundTrip but received 2.5'],
    [{ neighbours: 11 }, 'Expected integer between 0 and 10 for neighbours but received 11'],
    [{ training: { learningRate: 0 } }, 'Expected number between 1e-12 and 1 for learningRate but received 0'],
    [{ dropStrays: 'all' as unknown as boolean }, "Expected one of 'regions', 'pixels' for dropStrays but received 'all'"],
  ])('refuses %p before it probes the video', async (options, message) => {
    const out = join(tempDir(), 'out.mp4');
    const error = await rejection(processVideo({ video: '/no/such/video.mp4', picks, out, ...options }));
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error).toMatchObject({ code: 'INVALID_OPTION', message });
  });
});

describe('holdoutScores', () => {
  it('refuses a bad training option before it probes the video', async () => {
    const error = await rejection(holdoutScores('/no/such/video.mp4', picks, { k: 2, training: { learningRate: 2 } }));
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error).toMatchObject({ message: 'Expected number between 1e-12 and 1 for learningRate but received 2' });
  });
});

describe('enqueueBatch', () => {
  it('refuses a bad training option before it connects (it would fail on every worker)', async () => {
    const jobs = [{ id: 'a', video: clip, out: join(tempDir(), 'a.mp4'), picks }];
    // Port 1: nothing answers there, so only a check made before connecting can give this error.
    const error = await rejection(enqueueBatch(jobs, { connection: { host: '127.0.0.1', port: 1, db: 0 }, training: { learningRate: Number.NaN } }));
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error).toMatchObject({ message: 'Expected number between 1e-12 and 1 for learningRate but received NaN' });
    const neighbours = await rejection(enqueueBatch(jobs, { connection: { host: '127.0.0.1', port: 1, db: 0 }, neighbours: -1 }));
    expect(neighbours).toMatchObject({ code: 'INVALID_OPTION', message: 'Expected integer between 0 and 10 for neighbours but received -1' });
  });
});

describe('runBatch', () => {
  it('refuses a bad crf or training option before it creates the output folder or the manifest', async () => {
    const out = join(tempDir(), 'out');
    const jobs = [{ id: 'a', video: clip, out: join(out, 'a.mp4'), picks }];
    const crf = await rejection(runBatch(jobs, { manifest: join(out, 'vidgan-batch.json'), crf: 99 }));
    expect(crf).toBeInstanceOf(InvalidOptionError);
    expect(crf).toMatchObject({ message: 'Expected integer between 0 and 51 for crf but received 99' });
    const steps = await rejection(runBatch(jobs, { manifest: join(out, 'vidgan-batch.json'), training: { steps: -1 } }));
    expect(steps).toMatchObject({ code: 'INVALID_OPTION', message: 'Expected integer between 0 and 100000000 for steps but received -1' });
    const roundTrip = await rejection(runBatch(jobs, { manifest: join(out, 'vidgan-batch.json'), roundTrip: -1 }));
    expect(roundTrip).toMatchObject({ code: 'INVALID_OPTION', message: 'Expected integer between 0 and 100 for roundTrip but received -1' });
    const neighbours = await rejection(runBatch(jobs, { manifest: join(out, 'vidgan-batch.json'), neighbours: 1.5 }));
    expect(neighbours).toMatchObject({ code: 'INVALID_OPTION', message: 'Expected integer between 0 and 10 for neighbours but received 1.5' });
    expect(existsSync(out)).toBe(false);
  });
});

describe('vidgan process and batch', () => {
  it('exit 2 on a bad --crf before any training: one line, no checkpoint', () => {
    const dir = tempDir();
    const run = vidgan('process', clip, '--train-frames', picks, '--out', join(dir, 'o.mp4'), '--crf', '99', '--steps', '1');
    expect(run.stderr).toBe('vidgan: Expected integer between 0 and 51 for crf but received 99\n');
    expect(run.status).toBe(2);
    expect(readdirSync(dir)).toEqual([]);
  });

  it.each([
    [['--steps', '-1'], 'Expected integer between 0 and 100000000 for steps but received -1'],
    [['--neighbours', '11'], 'Expected integer between 0 and 10 for neighbours but received 11'],
    // Before the hold-out's folds train, not after them.
    [['--holdout', '2', '--neighbours', '11'], 'Expected integer between 0 and 10 for neighbours but received 11'],
    [['--holdout', '2', '--crf', '99'], 'Expected integer between 0 and 51 for crf but received 99'],
  ])('exit 2 on %p', (args, message) => {
    const dir = tempDir();
    const run = vidgan('process', clip, '--train-frames', picks, '--out', join(dir, 'o.mp4'), ...args);
    expect(run.stderr).toBe(`vidgan: ${message}\n`);
    expect(run.status).toBe(2);
    expect(readdirSync(dir)).toEqual([]);
  });

  it.each([
    [['--crf', '-1'], 'Expected integer between 0 and 51 for crf but received -1'],
    [['--neighbours', '11'], 'Expected integer between 0 and 10 for neighbours but received 11'],
  ])('batch: exit 2 on %p, nothing written', (args, message) => {
    const dir = tempDir();
    const run = vidgan('batch', clip, '--model', join(root, 'models', 'base.safetensors'), '--out', join(dir, 'out'), ...args);
    expect(run.stderr).toBe(`vidgan: ${message}\n`);
    expect(run.status).toBe(2);
    expect(readdirSync(dir)).toEqual([]);
  });
});
