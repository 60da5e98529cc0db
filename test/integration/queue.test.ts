import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, copyFileSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { Pix2Pix } from '../../src/gan/pix2pix';
import type { QueueStatusReport } from '../../src/jobs/queue/queue-status';
import type { Frame } from '../../src/pipeline/frame';
import { decodeVideo } from '../../src/stages/decode-video';
import { crashingFfmpeg, fixture, psnr, realTimeFfmpeg, tempDir, writeWhitenedPicks } from './helpers';
import { killGroup, startTestRedis, type TestRedis } from './redis-server';

// Queue tests use REDIS_URL when given (.ci/run starts a redis-server on 127.0.0.1 and sets it), each
// test on a queue name of its own; without it they start their own redis-server on a free port. The
// crash test always starts its own, since it kills it.
const root = join(__dirname, '..', '..');
const cli = ['-r', 'ts-node/register/transpile-only', join(root, 'src', 'cli', 'main.ts')];
const vidgan = (...args: string[]) => spawnSync(process.execPath, [...cli, ...args], { cwd: root, encoding: 'utf8' });

// A small crop and a tiny untrained model: these tests check the queue, not quality.
const CROP = '64';
let model: string;
let shared: TestRedis | undefined;
let url: string;
const started: ChildProcess[] = [];

beforeAll(async () => {
  model = join(tempDir(), 'model.safetensors');
  const created = await Pix2Pix.create({ preset: 'fast', ngf: 8, threads: 2 });
  await created.save(model);
  created.dispose();
  if (process.env.REDIS_URL) url = process.env.REDIS_URL;
  else {
    shared = await startTestRedis();
    url = shared.url;
  }
});

// Every worker and follower a test started is killed (its whole process group: ffmpeg too) and reaped.
afterEach(async () => {
  for (const child of started.splice(0)) await killGroup(child, 'SIGKILL');
});

afterAll(async () => {
  await shared?.stop();
});

/** A CLI process whose stderr lines a test waits on, started in its own process group. */
interface CliProcess {
  readonly child: ChildProcess;
  readonly lines: string[];
  /** Resolves with the first stderr line (seen before or after the call) matching `pattern`; rejects if the process exits first. */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
  /** Resolves with the exit status and stdout. */
  readonly exited: Promise<{ status: number | null; stdout: string }>;
}

function startCli(args: readonly string[], env: NodeJS.ProcessEnv = process.env): CliProcess {
  const child = spawn(process.execPath, [...cli, ...args], { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  const lines: string[] = [];
  const waiters: Array<{ pattern: RegExp; resolve: (m: RegExpMatchArray) => void }> = [];
  let stdout = '';
  let buffered = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const complete = buffered.split(/\r?\n/);
    buffered = complete.pop() ?? '';
    for (const line of complete) {
      lines.push(line);
      // QUEUE_TEST_LOG=<file> keeps every line of every process, to see where a failing run stood.
      if (process.env.QUEUE_TEST_LOG) appendFileSync(process.env.QUEUE_TEST_LOG, `${child.pid} ${line}\n`);
      for (const waiter of [...waiters]) {
        const match = waiter.pattern.exec(line);
        if (match !== null) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(match);
        }
      }
    }
  });
  const exited = new Promise<{ status: number | null; stdout: string }>((resolve) => child.once('close', (status) => resolve({ status, stdout })));
  return {
    child,
    lines,
    exited,
    waitFor(pattern) {
      const seen = lines.map((line) => pattern.exec(line)).find((m) => m !== null);
      if (seen) return Promise.resolve(seen);
      return Promise.race([
        new Promise<RegExpMatchArray>((resolve) => waiters.push({ pattern, resolve })),
        exited.then(({ status }) => {
          throw new Error(`exited with ${status} before a line matched ${pattern}:\n${lines.join('\n')}`);
        }),
      ]);
    },
  };
}

function videoFolder(files: Record<string, string>): string {
  const dir = join(tempDir(), 'videos');
  mkdirSync(dir);
  for (const [name, source] of Object.entries(files)) copyFileSync(fixture(source), join(dir, name));
  return dir;
}

const decodeAll = (path: string): Promise<Frame[]> => lastValueFrom(decodeVideo(path, { fps: 10, crop: Number(CROP) }).pipe(toArray()));

/** Asserts that two videos hold the same frames: as many, each identical or at least 45 dB apart. */
async function expectSameFrames(mine: string, theirs: string): Promise<void> {
  const [a, b] = [await decodeAll(mine), await decodeAll(theirs)];
  expect([mine, a.length]).toEqual([mine, b.length]);
  const worst = Math.min(...a.map((frame, i) => psnr(frame, b[i] as Frame)));
  expect([mine, worst]).toEqual([mine, worst >= 45 ? worst : '>= 45 dB']);
}

function status(queueUrl: string, queueName: string): QueueStatusReport {
  const run = vidgan('queue', 'status', '--queue', queueUrl, '--queue-name', queueName, '--json');
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout) as QueueStatusReport;
}

const newQueueName = () => `vidgan-test-${randomBytes(4).toString('hex')}`;

describe('vidgan worker and vidgan batch --queue', () => {
  it('converts three videos on two workers, one killed mid-job, exactly as a local batch does', async () => {
    const videos = videoFolder({ 'a.mp4': 'small-320x240.mp4', 'b.mp4': 'long-320x240.mp4', 'c.mp4': 'clip-640x480.mp4' });
    const local = join(tempDir(), 'local');
    const reference = vidgan('batch', videos, '--model', model, '--out', local, '--crop', CROP, '--threads', '1');
    expect(reference.status).toBe(0);

    const out = join(tempDir(), 'out');
    const queueName = newQueueName();
    const queue = ['--queue', url, '--queue-name', queueName];
    const worker = (name: string, env?: NodeJS.ProcessEnv) => startCli(['worker', ...queue, '--name', name, '--lock-seconds', '4', '--threads', '1', '--progress'], env);
    const batchArgs = ['batch', videos, '--model', model, '--out', out, '--crop', CROP, ...queue];
    const follower = startCli(batchArgs);
    const [, idB] = (await follower.waitFor(/^added +(v1-[0-9a-f]{16}) .*\/b\.mp4$/)) as string[];
    await follower.waitFor(/^added +v1-[0-9a-f]{16} .*\/c\.mp4$/);

    // The first worker decodes at the video's own pace, so it is surely in the middle of b (40 s)
    // when it is killed; it has taken a and b, and c waits for the second.
    const first = worker('first', { ...process.env, FFMPEG_PATH: realTimeFfmpeg() });
    await first.waitFor(new RegExp(`^progress ${idB} \\d+/400 frames`));
    const second = worker('second');
    await second.waitFor(/^Worker second takes jobs from /);
    await killGroup(first.child, 'SIGKILL');

    const followed = await follower.exited;
    expect(followed.stdout).toMatch(/^Batch: 3 done, 0 failed, 0 skipped \(done before\) in \d+s; queue vidgan-test-[0-9a-f]+ on redis:/);
    expect(followed.status).toBe(0);
    // The second worker took b again once the first's lock expired, and removed what the killed attempt left.
    const again = await second.waitFor(new RegExp(`^start ${idB} .*b\\.mp4 -> .*b\\.mp4 \\(attempt 2\\)(.*)$`));
    expect(again[1]).toMatch(new RegExp(`^; removed \\.b\\.mp4\\.${first.child.pid}\\.[0-9a-f]{8}\\.tmp\\.mp4 left by the killed attempt$`));

    // Every output equals the local batch's, frame by frame.
    expect(readdirSync(out).sort()).toEqual(['a.mp4', 'b.mp4', 'c.mp4']);
    for (const name of ['a.mp4', 'b.mp4', 'c.mp4']) await expectSameFrames(join(out, name), join(local, name));

    // The queue's record: three completed, b in two attempts finished by the second worker; only it is connected.
    const record = status(url, queueName);
    expect(record.counts).toMatchObject({ completed: 3, failed: 0, active: 0, waiting: 0, delayed: 0 });
    const b = record.jobs.find((j) => j.id === idB);
    expect(b).toMatchObject({ state: 'completed', attemptsStarted: 2, result: { worker: 'second', frames: 400 } });
    expect(record.jobs.filter((j) => j.id !== idB).map((j) => j.attemptsStarted)).toEqual([1, 1]);
    expect(record.workers.map((w) => w.name)).toEqual(['second']);

    // Enqueueing the same batch again redoes nothing.
    const written = ['a.mp4', 'b.mp4', 'c.mp4'].map((name) => statSync(join(out, name)).mtimeMs);
    const rerun = vidgan(...batchArgs);
    expect(rerun.stdout).toMatch(/^Batch: 0 done, 0 failed, 3 skipped \(done before\)/);
    expect(rerun.status).toBe(0);
    expect(['a.mp4', 'b.mp4', 'c.mp4'].map((name) => statSync(join(out, name)).mtimeMs)).toEqual(written);

    // Ctrl-C: an idle worker stops at once and exits 0.
    second.child.kill('SIGINT');
    await second.waitFor(/^Worker second stopped\.$/);
    expect((await second.exited).status).toBe(0);
  }, 300_000); // a local batch and a queued one of 450 frames, a lock to expire, on a shared 2-core machine

  it('turns a job with picks into a flow: training, frame ranges on two workers (one killed), one assembly equal to the local run', async () => {
    const dir = tempDir();
    copyFileSync(fixture('long-320x240.mp4'), join(dir, 'talk.mp4'));
    const picks = await writeWhitenedPicks(join(dir, 'talk.mp4'), Number(CROP), dir);
    writeFileSync(join(dir, 'jobs.jsonl'), `{"video": "talk.mp4", "picks": "${picks}", "base": "none"}\n`);
    const training = ['--steps', '3', '--batch-size', '1', '--train-seconds', '1000000'];
    const local = join(tempDir(), 'local');
    const reference = vidgan('batch', '--jobs', join(dir, 'jobs.jsonl'), '--out', local, '--crop', CROP, '--threads', '1', ...training);
    expect(reference.status).toBe(0);

    const out = join(tempDir(), 'out');
    const queueName = newQueueName();
    const queue = ['--queue', url, '--queue-name', queueName];
    const worker = (name: string, env?: NodeJS.ProcessEnv) => startCli(['worker', ...queue, '--name', name, '--lock-seconds', '4', '--threads', '1', '--progress'], env);
    const follower = startCli(['batch', '--jobs', join(dir, 'jobs.jsonl'), '--out', out, '--crop', CROP, ...training, ...queue, '--range-frames', '100']);
    const [, id] = (await follower.waitFor(/^added +(v1-[0-9a-f]{16}) .*\/talk\.mp4$/)) as string[];

    // The first worker trains, then takes the first range and is killed at its first progress line
    // there (a range of 100 frames takes seconds); the second, started then, takes the other ranges,
    // the killed one once its lock has expired, and the assembly.
    const first = worker('first');
    await first.waitFor(new RegExp(`^done ${id} `));
    const [, range] = (await first.waitFor(new RegExp(`^progress (${id}-r\\d+) \\d+/\\d+ frames`))) as string[];
    await killGroup(first.child, 'SIGKILL');
    const second = worker('second');

    const followed = await follower.exited;
    expect(followed.stdout).toMatch(/^Batch: 1 done, 0 failed, 0 skipped/);
    expect(followed.status).toBe(0);
    await second.waitFor(new RegExp(`^start ${range} frames \\d+…\\S+ of .*talk\\.mp4 \\(attempt 2\\)`));
    await expectSameFrames(join(out, 'talk.mp4'), join(local, 'talk.mp4'));
    // The range folders are gone; the trained model is kept, as a local batch keeps it.
    expect(readdirSync(out).sort()).toEqual(['talk.mp4', 'talk.mp4.model.safetensors']);

    const record = status(url, queueName);
    expect(record.counts).toMatchObject({ completed: 6, failed: 0, active: 0, waiting: 0, 'waiting-children': 0 });
    expect(record.jobs.map((j) => j.id).sort()).toEqual([id, `${id}-assemble`, `${id}-r0`, `${id}-r100`, `${id}-r200`, `${id}-r300`].sort());
    expect(record.jobs.find((j) => j.id === `${id}-assemble`)?.result).toMatchObject({ frames: 400, worker: 'second' });
  }, 400_000); // a local run and a queued one, each training and streaming 400 frames, on a shared 2-core machine

  it('lets the running job finish on Ctrl-C, and hands it back to the queue on SIGTERM', async () => {
    const videos = videoFolder({ 'a.mp4': 'small-320x240.mp4', 'b.mp4': 'long-320x240.mp4' });
    const out = join(tempDir(), 'out');
    const queueName = newQueueName();
    const queue = ['--queue', url, '--queue-name', queueName];
    const enqueue = (name: string) => {
      const run = vidgan('batch', join(videos, name), '--model', model, '--out', out, '--crop', CROP, ...queue, '--detach', '--json');
      expect(run.status).toBe(0);
      return (JSON.parse(run.stdout) as { jobs: Array<{ id: string }> }).jobs[0]?.id as string;
    };
    // Decoding at the video's own pace, so each signal surely lands while the job runs.
    const env = { ...process.env, FFMPEG_PATH: realTimeFfmpeg() };
    const worker = () => startCli(['worker', ...queue, '--lock-seconds', '4', '--threads', '1', '--progress'], env);

    const a = enqueue('a.mp4');
    const finishing = worker();
    await finishing.waitFor(new RegExp(`^progress ${a} \\d+/20 frames`));
    finishing.child.kill('SIGINT');
    await finishing.waitFor(new RegExp(`^done ${a} a\\.mp4 \\(20 frames`));
    expect((await finishing.exited).status).toBe(0);

    const b = enqueue('b.mp4');
    const handing = worker();
    await handing.waitFor(new RegExp(`^progress ${b} \\d+/400 frames`));
    handing.child.kill('SIGTERM');
    await handing.waitFor(new RegExp(`^handed back ${b}$`));
    expect((await handing.exited).status).toBe(130);

    const record = status(url, queueName);
    // b went back without using an attempt (BullMQ counts a's finished one).
    expect(record.jobs.map((j) => [j.id, j.state, j.attemptsMade])).toEqual([
      [b, 'delayed', 0],
      [a, 'completed', 1],
    ]);
    // Nothing of b was left: its ffmpeg was stopped and its temporary file removed.
    expect(readdirSync(out)).toEqual(['a.mp4']);
  }, 300_000);

  it('keeps queued jobs across a Redis crash, and reports a job that used up its attempts with its reason', async () => {
    const redis = await startTestRedis();
    try {
      const videos = videoFolder({ 'a.mp4': 'small-320x240.mp4', 'c.mp4': 'not-a-video.mp4' });
      const out = join(tempDir(), 'out');
      const queue = ['--queue', redis.url, '--queue-name', 'vidgan'];
      const batchArgs = ['batch', videos, '--model', model, '--out', out, '--crop', CROP, ...queue];
      const detached = vidgan(...batchArgs, '--detach', '--json');
      expect(detached.status).toBe(0);
      const ids = (JSON.parse(detached.stdout) as { jobs: Array<{ id: string; action: string }> }).jobs;
      expect(ids.map((j) => j.action)).toEqual(['added', 'added']);

      await redis.crashAndRestart();
      const kept = status(redis.url, 'vidgan');
      expect(kept.counts).toMatchObject({ waiting: 2 });
      expect(kept.jobs.map((j) => j.id).sort()).toEqual(ids.map((j) => j.id).sort());

      // An ffmpeg that always crashes: a fails three times (retried with backoff), c once (bad input is final).
      const worker = startCli(['worker', ...queue, '--name', 'crashing', '--threads', '1'], { ...process.env, FFMPEG_PATH: crashingFfmpeg() });
      const followed = await startCli(batchArgs).exited;
      expect(followed.status).toBe(1); // two different failures
      expect(followed.stdout).toMatch(/^Batch: 0 done, 2 failed, 0 skipped/);
      expect(followed.stdout).toMatch(/failed +.*\/a\.mp4: FFMPEG_FAILED: /);
      expect(followed.stdout).toMatch(/failed +.*\/c\.mp4: BAD_INPUT: .*c\.mp4 is not a video ffmpeg can read/);
      const record = status(redis.url, 'vidgan');
      expect(record.counts).toMatchObject({ failed: 2, completed: 0 });
      expect(record.jobs.map((j) => [j.job.video.endsWith('a.mp4') ? 'a' : 'c', j.state, j.attemptsMade, j.failedReason?.split(':')[0]]).sort()).toEqual([
        ['a', 'failed', 3, 'FFMPEG_FAILED'],
        ['c', 'failed', 1, 'BAD_INPUT'],
      ]);
      await worker.waitFor(/^failed v1-[0-9a-f]{16}: FFMPEG_FAILED: .*[^)]$/); // the last attempt: not to be retried
      await worker.waitFor(/^failed v1-[0-9a-f]{16}: BAD_INPUT: .*[^)]$/);
      expect(worker.lines.filter((line) => line.endsWith('(will be retried)')).map((line) => line.split(': ')[1])).toEqual(['FFMPEG_FAILED', 'FFMPEG_FAILED']);
      expect(readdirSync(out)).toEqual([]);
    } finally {
      for (const child of started.splice(0)) await killGroup(child, 'SIGKILL');
      await redis.stop();
    }
  }, 300_000); // five CLI runs, and retries 2 s and 4 s apart
});
