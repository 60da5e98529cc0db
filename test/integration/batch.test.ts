import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Pix2Pix } from '../../src/gan/pix2pix';
import type { BatchManifest, ManifestEntry } from '../../src/jobs/batch/manifest';
import { makeBatchJob } from '../../src/jobs/batch/batch-job';
import { loadJobsFile } from '../../src/jobs/batch/parse-jobs-file';
import { type BatchJobStart, runBatch } from '../../src/jobs/batch/run-batch';
import { CancelledError } from '../../src/pipeline/errors';
import { sampledFrameCount } from '../../src/stages/ffmpeg/parse-probe';
import { probeVideo } from '../../src/stages/ffmpeg/probe-video';
import { ffmpegProcessesWith, fixture, tempDir, writeWhitenedPicks } from './helpers';

const root = join(__dirname, '..', '..');
const cli = ['-r', 'ts-node/register/transpile-only', join(root, 'src', 'cli', 'main.ts')];
const vidgan = (...args: string[]) => spawnSync(process.execPath, [...cli, ...args], { cwd: root, encoding: 'utf8' });

// A small crop and a tiny untrained model: these tests check the batch's bookkeeping, not quality.
const CROP = 64;
let model: string;

beforeAll(async () => {
  model = join(tempDir(), 'model.safetensors');
  const created = await Pix2Pix.create({ preset: 'fast', ngf: 8, threads: 2 });
  await created.save(model);
  created.dispose();
});

/** A folder holding copies of fixtures under new names. */
function videoFolder(files: Record<string, string>): string {
  const dir = join(tempDir(), 'videos');
  mkdirSync(dir);
  for (const [name, source] of Object.entries(files)) copyFileSync(fixture(source), join(dir, name));
  return dir;
}

function readJson(path: string): BatchManifest {
  return JSON.parse(readFileSync(path, 'utf8')) as BatchManifest;
}

function entry(manifest: BatchManifest, out: string): ManifestEntry {
  const found = manifest.jobs.find((e) => e.out === out);
  if (found === undefined) throw new Error(`no manifest entry for ${out}`);
  return found;
}

/**
 * Calls `onLine` with each complete line a stream writes (chunks may split or join lines), so a
 * pattern is matched against whole lines only.
 */
function onLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split(/[\r\n]/);
    buffered = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
}

/** Frames in an output, from its duration at 10 fps. */
async function framesIn(video: string): Promise<number> {
  return sampledFrameCount((await probeVideo(video)).durationSec ?? 0, 10);
}

describe('vidgan batch', () => {
  it('converts the good videos of a folder, reports the corrupt one, and a second run redoes nothing', async () => {
    const videos = videoFolder({ 'a.mp4': 'small-320x240.mp4', 'b.mp4': 'clip-640x480.mp4', 'c.mp4': 'not-a-video.mp4' });
    const out = join(tempDir(), 'out');
    const args = ['batch', videos, '--model', model, '--out', out, '--crop', String(CROP)];

    const first = vidgan(...args);
    expect(first.status).toBe(3); // the one failure is bad input
    expect(first.stdout).toMatch(/^Batch: 2 done, 1 failed, 0 skipped \(done before\) in \d+s; manifest .*vidgan-batch\.json\.\n/);
    expect(first.stdout).toContain(`done     ${join(videos, 'a.mp4')} -> ${join(out, 'a.mp4')} (H.264 .mp4, 20 frames, `);
    expect(first.stdout).toContain(`done     ${join(videos, 'b.mp4')} -> ${join(out, 'b.mp4')} (H.264 .mp4, 30 frames, `);
    expect(first.stdout).toContain(`failed   ${join(videos, 'c.mp4')}: BAD_INPUT: ${join(videos, 'c.mp4')} is not a video ffmpeg can read`);
    expect(first.stderr).toContain('vidgan: 1 of 3 jobs failed (see the summary above); fix them and run the same command again.');
    expect(readdirSync(out).sort()).toEqual(['a.mp4', 'b.mp4', 'vidgan-batch.json']);
    expect(await framesIn(join(out, 'a.mp4'))).toBe(20);
    expect(await framesIn(join(out, 'b.mp4'))).toBe(30);

    const manifest = readJson(join(out, 'vidgan-batch.json'));
    expect(manifest.jobs.map((e) => [e.video, e.state, e.attempts, e.error?.code])).toEqual([
      [join(videos, 'a.mp4'), 'done', 1, undefined],
      [join(videos, 'b.mp4'), 'done', 1, undefined],
      [join(videos, 'c.mp4'), 'failed', 1, 'BAD_INPUT'],
    ]);
    expect(entry(manifest, join(out, 'b.mp4'))).toMatchObject({ frames: 30, model });
    expect(entry(manifest, join(out, 'c.mp4')).error?.message).toMatch(/is not a video ffmpeg can read/);

    // Again: the done jobs are not touched, the failed one is tried again and fails the same way.
    const written = ['a.mp4', 'b.mp4'].map((name) => statSync(join(out, name)).mtimeMs);
    const second = vidgan(...args);
    expect(second.status).toBe(3);
    expect(second.stdout).toMatch(/^Batch: 0 done, 1 failed, 2 skipped \(done before\)/);
    expect(second.stdout).toContain(`skipped  ${join(videos, 'a.mp4')} -> ${join(out, 'a.mp4')} (done before)`);
    expect(['a.mp4', 'b.mp4'].map((name) => statSync(join(out, name)).mtimeMs)).toEqual(written);
    const again = readJson(join(out, 'vidgan-batch.json'));
    expect(again.jobs.map((e) => [e.state, e.attempts])).toEqual([
      ['done', 1],
      ['done', 1],
      ['failed', 2],
    ]);
  });

  it('refuses a second run into a folder in use, and finishes a run that was killed midway', async () => {
    const videos = videoFolder({ 'a.mp4': 'small-320x240.mp4', 'b.mp4': 'long-320x240.mp4' });
    const out = join(tempDir(), 'out');
    const args = ['batch', videos, '--model', model, '--out', out, '--crop', String(CROP)];
    const manifestPath = join(out, 'vidgan-batch.json');
    const lockPath = join(out, '.vidgan-batch.lock');

    // Stopped (SIGSTOP) once the second job has written frames: its first complete progress line says so.
    const child = spawn(process.execPath, [...cli, ...args, '--progress'], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const midway = new Promise<void>((resolve) => {
      onLines(child.stderr, (line) => {
        if (/^\[2\/2\] b\.mp4 \[[#-]+\] \d+\/400 /.test(line)) resolve();
      });
    });
    await Promise.race([midway, exited]);
    expect(child.kill('SIGSTOP')).toBe(true);

    // A second run into the same folder meanwhile is refused, naming the holder; nothing of the first is touched.
    const second = vidgan(...args);
    expect(second.status).toBe(10);
    expect(second.stderr).toContain(`vidgan: ${out} is in use by another vidgan batch: process ${child.pid} on this machine, started `);
    expect(second.stderr).toContain(`If no vidgan batch is running there any more, remove ${lockPath} and run again.`);
    expect(entry(readJson(manifestPath), join(out, 'b.mp4')).state).toBe('running');

    // Killed with no chance to clean up: the lock and the manifest's 'running' are left behind.
    child.kill('SIGKILL');
    await exited;
    const killed = readJson(manifestPath);
    expect(entry(killed, join(out, 'a.mp4')).state).toBe('done');
    expect(entry(killed, join(out, 'b.mp4')).state).toBe('running');
    expect(existsSync(join(out, 'b.mp4'))).toBe(false); // nothing half-written looks done
    expect(existsSync(lockPath)).toBe(true);
    const aWritten = statSync(join(out, 'a.mp4')).mtimeMs;

    const rerun = vidgan(...args);
    expect(rerun.stderr).not.toMatch(/vidgan: /);
    expect(rerun.stderr).toContain(`Note: Took over the lock ${lockPath} left by process ${child.pid} (started `);
    expect(rerun.status).toBe(0);
    expect(rerun.stdout).toMatch(/^Batch: 1 done, 0 failed, 1 skipped \(done before\)/);
    expect(await framesIn(join(out, 'b.mp4'))).toBe(400);
    expect(statSync(join(out, 'a.mp4')).mtimeMs).toBe(aWritten);
    // The killed run's temporary files (its process is dead) are gone, and so is the lock.
    expect(readdirSync(out).sort()).toEqual(['a.mp4', 'b.mp4', 'vidgan-batch.json']);
    expect(entry(readJson(manifestPath), join(out, 'b.mp4'))).toMatchObject({ state: 'done', attempts: 2, frames: 400 });
  });

  it('refuses two videos with one output name before doing anything', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'x'));
    mkdirSync(join(dir, 'y'));
    copyFileSync(fixture('small-320x240.mp4'), join(dir, 'x', 'talk.mp4'));
    copyFileSync(fixture('small-320x240.mp4'), join(dir, 'y', 'talk.mov'));
    const out = join(dir, 'out');
    const run = vidgan('batch', join(dir, 'x'), join(dir, 'y'), '--model', model, '--out', out);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`vidgan: ${join(dir, 'x', 'talk.mp4')} and ${join(dir, 'y', 'talk.mov')} would both be written to ${join(out, 'talk.mp4')}.`);
    expect(existsSync(out)).toBe(false);
  });
});

describe('runBatch', () => {
  it('runs a jobs file (one job trains on its picks), stops cleanly when aborted, and resumes', async () => {
    const dir = tempDir();
    copyFileSync(fixture('small-320x240.mp4'), join(dir, 'trained.mp4'));
    copyFileSync(fixture('clip-640x480.mp4'), join(dir, 'applied.mp4'));
    const picks = await writeWhitenedPicks(join(dir, 'trained.mp4'), CROP, dir);
    writeFileSync(
      join(dir, 'jobs.jsonl'),
      `# one job drill-trains, one applies the shared model\n{"video": "trained.mp4", "picks": "${picks}", "base": "none", "out": "out/t.mp4"}\n{"video": "applied.mp4"}\n`,
    );
    const jobs = await loadJobsFile(join(dir, 'jobs.jsonl'), { outDir: join(dir, 'out'), model });
    const manifestPath = join(dir, 'out', 'vidgan-batch.json');
    const options = { manifest: manifestPath, crop: CROP, threads: 2, training: { steps: 3, batchSize: 1 } };

    const controller = new AbortController();
    const starts: BatchJobStart[] = [];
    const phases: string[] = [];
    const guideFrames: number[] = [];
    const run = runBatch(jobs, {
      ...options,
      signal: controller.signal,
      onJobStart: (e) => starts.push(e),
      // Stop midway through the second job's frames.
      onProgress: (p) => {
        if (p.index === 0 && phases.at(-1) !== p.phase) phases.push(p.phase);
        if (p.index === 0 && p.phase === 'guides') guideFrames.push(p.guideFrames!);
        if (p.index === 1 && p.frames >= 5) controller.abort();
      },
    });
    await expect(run).rejects.toThrow(CancelledError);
    // The training job reads its video once for the guides (every frame, reported), then trains, then streams.
    expect(phases).toEqual(['guides', 'train', 'frames']);
    expect(guideFrames).toEqual([...Array(20).keys()].map((i) => i + 1));
    await expect(run).rejects.toThrow(`Batch interrupted after 1 of 2 jobs; the manifest ${manifestPath} is up to date. Run the same command again to continue.`);
    expect(starts.map((s) => [s.index, s.count, s.totalFrames, s.restart])).toEqual([
      [0, 2, 20, undefined],
      [1, 2, 30, undefined],
    ]);
    const stopped = readJson(manifestPath);
    expect(stopped.jobs.map((e) => [e.state, e.attempts, e.error?.code])).toEqual([
      ['done', 1, undefined],
      ['pending', 1, 'CANCELLED'],
    ]);
    expect(existsSync(join(dir, 'out', 't.mp4.model.safetensors'))).toBe(true);
    expect(readdirSync(join(dir, 'out')).sort()).toEqual(['t.mp4', 't.mp4.model.safetensors', 'vidgan-batch.json']);

    const restarts: BatchJobStart[] = [];
    const report = await runBatch(jobs, { ...options, onJobStart: (e) => restarts.push(e) });
    expect(report.skipped.map((r) => r.job.out)).toEqual([join(dir, 'out', 't.mp4')]);
    expect(report.succeeded.map((r) => [r.job.out, r.frames, r.restart])).toEqual([[join(dir, 'out', 'applied.mp4'), 30, 'interrupted']]);
    expect(report.failed).toEqual([]);
    expect(restarts.map((s) => [s.index, s.count])).toEqual([[0, 1]]);
    expect(await framesIn(join(dir, 'out', 'applied.mp4'))).toBe(30);
    expect(readJson(manifestPath).jobs.map((e) => [e.state, e.attempts])).toEqual([
      ['done', 1],
      ['done', 2],
    ]);
  });

  it('stops and awaits the other running jobs before it rejects on a run-level error', async () => {
    const videos = videoFolder({ 'a.mp4': 'small-320x240.mp4', 'b.mp4': 'long-320x240.mp4' });
    const out = join(tempDir(), 'out');
    const jobs = ['a', 'b'].map((name) => makeBatchJob({ video: join(videos, `${name}.mp4`), out: join(out, `${name}.mp4`), model }));
    const ended: string[] = [];
    const run = runBatch(jobs, {
      manifest: join(out, 'vidgan-batch.json'),
      concurrency: 2,
      crop: CROP,
      threads: 2,
      // A caller's callback failing is a run-level error, as a manifest write failing would be.
      onJobEnd: (r) => {
        ended.push(r.job.out);
        throw new Error(`the caller failed on ${basename(r.job.out)}`);
      },
    });
    await expect(run).rejects.toThrow(/^the caller failed on [ab]\.mp4$/);
    // By then the other job has been stopped: no ffmpeg of this batch runs, no temporary file or lock
    // is left, and its entry is back to pending (cancelled), not 'running'.
    expect(ffmpegProcessesWith(out)).toEqual([]);
    expect(ffmpegProcessesWith(videos)).toEqual([]);
    expect(ended).toHaveLength(1);
    const finished = basename(ended[0] as string);
    const other = finished === 'a.mp4' ? 'b.mp4' : 'a.mp4';
    expect(readdirSync(out).sort()).toEqual([finished, 'vidgan-batch.json']);
    const manifest = readJson(join(out, 'vidgan-batch.json'));
    expect(entry(manifest, join(out, finished))).toMatchObject({ state: 'done', attempts: 1 });
    expect(entry(manifest, join(out, other))).toMatchObject({ state: 'pending', attempts: 1, error: { code: 'CANCELLED' } });
  });

  it('runs two jobs at once with --concurrency 2, each recorded once, the failure among them', async () => {
    const videos = videoFolder({ 'a.mp4': 'small-320x240.mp4', 'b.mp4': 'truncated.mp4', 'c.mp4': 'clip-640x480.mp4' });
    const out = join(tempDir(), 'out');
    const jobs = ['a', 'b', 'c'].map((name) => makeBatchJob({ video: join(videos, `${name}.mp4`), out: join(out, `${name}.mp4`), model }));
    const running = new Set<string>();
    let most = 0;
    const report = await runBatch(jobs, {
      manifest: join(out, 'vidgan-batch.json'),
      concurrency: 2,
      crop: CROP,
      threads: 2,
      onJobStart: (e) => {
        running.add(e.job.id);
        most = Math.max(most, running.size);
      },
      onJobEnd: (r) => running.delete(r.job.id),
    });
    expect(most).toBe(2);
    expect(report.succeeded.map((r) => [r.job.out, r.frames])).toEqual([
      [join(out, 'a.mp4'), 20],
      [join(out, 'c.mp4'), 30],
    ]);
    expect(report.failed.map((r) => [r.job.out, r.error?.code])).toEqual([[join(out, 'b.mp4'), 'BAD_INPUT']]);
    expect(report.failed[0]?.error?.message).toMatch(/b\.mp4 is truncated: decoded 10 frames at 10 fps but its header promises 30/);
    expect(readJson(join(out, 'vidgan-batch.json')).jobs.map((e) => [e.state, e.attempts])).toEqual([
      ['done', 1],
      ['failed', 1],
      ['done', 1],
    ]);
    expect(readdirSync(out).sort()).toEqual(['a.mp4', 'c.mp4', 'vidgan-batch.json']);
  });
});
