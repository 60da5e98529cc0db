import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { FfmpegError } from '../../pipeline/errors';
import { missingBinary, resolveFfmpegPath } from './ffmpeg-path';
import { StderrTail } from './stderr-tail';

/** How an ffmpeg child ended. */
export interface FfmpegExit {
  /** Exit status, or null when it was killed or never started. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The last lines of stderr. */
  readonly stderrTail: string;
  /** Set when the binary could not be started at all (ENOENT, EACCES). */
  readonly spawnError?: Error;
}

/** A running ffmpeg child with its pipes and the tail of its stderr. */
export interface FfmpegProcess {
  /** The binary followed by the arguments, for error messages. */
  readonly command: readonly string[];
  readonly stdin: Writable;
  readonly stdout: Readable;
  /** Resolves (never rejects) when the child has exited and its pipes have closed. */
  readonly exit: Promise<FfmpegExit>;
  /**
   * Kills the child with SIGKILL if it is still running and drops its unread output: cancelled work
   * leaves nothing to finish, and `exit` settles even when stdout was paused with data in the pipe.
   */
  kill(): void;
  /** True once the child has exited. */
  readonly exited: boolean;
}

/** Options of {@link spawnFfmpeg}. */
export interface SpawnFfmpegOptions {
  /** Binary to run; default {@link resolveFfmpegPath}. */
  readonly ffmpegPath?: string;
  /** Lines of stderr kept for errors (default 20). */
  readonly stderrLines?: number;
}

/**
 * Starts ffmpeg with an argument array (no shell). This and {@link runFfmpeg} are the only places
 * in vidgan that spawn ffmpeg.
 *
 * @example
 * const proc = spawnFfmpeg(buildDecodeArgs({ input: 'a.mp4', fps: 10, width: 640, height: 480 }));
 * proc.stdout.on('data', onChunk);
 * const exit = await proc.exit;
 * @throws {FfmpegError} when no ffmpeg binary can be found.
 */
export function spawnFfmpeg(args: readonly string[], options: SpawnFfmpegOptions = {}): FfmpegProcess {
  const binary = options.ffmpegPath ?? resolveFfmpegPath();
  const command = [binary, ...args];
  const tail = new StderrTail(options.stderrLines ?? 20);
  const child: ChildProcess = spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
  let exited = false;
  // A child that dies while we write gives EPIPE on stdin; the exit status tells the real story.
  child.stdin?.on('error', () => undefined);
  child.stderr?.on('data', (chunk: Buffer) => tail.push(chunk));
  const exit = new Promise<FfmpegExit>((resolve) => {
    child.once('error', (spawnError) => {
      exited = true;
      resolve({ code: null, signal: null, stderrTail: tail.text(), spawnError });
    });
    child.once('close', (code, signal) => {
      exited = true;
      resolve({ code, signal, stderrTail: tail.text() });
    });
  });
  return {
    command,
    stdin: child.stdin as Writable,
    stdout: child.stdout as Readable,
    exit,
    get exited() {
      return exited;
    },
    kill() {
      if (!exited && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      // Output nobody will read: a paused stdout with data still in the pipe never reads to its end,
      // so the child's 'close' (and `exit`) would never come.
      child.stdout?.destroy();
    },
  };
}

/**
 * Runs ffmpeg to completion and returns its exit and full stderr (for short runs such as probing).
 *
 * @example
 * const { stderr } = await runFfmpeg(['-hide_banner', '-i', 'a.mp4']);
 * @throws {FfmpegError} (as a rejection) when the binary cannot be found or started.
 */
export async function runFfmpeg(
  args: readonly string[],
  options: SpawnFfmpegOptions & { signal?: AbortSignal } = {},
): Promise<FfmpegExit & { stderr: string }> {
  const proc = spawnFfmpeg(args, { ...options, stderrLines: 10_000 });
  proc.stdin.end();
  proc.stdout.resume();
  const onAbort = () => proc.kill();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const exit = await proc.exit;
  options.signal?.removeEventListener('abort', onAbort);
  if (exit.spawnError !== undefined) throw spawnFailure(proc.command, exit.spawnError);
  return { ...exit, stderr: exit.stderrTail };
}

/**
 * Turns a failed ffmpeg run into an error that quotes the command, exit status and stderr tail.
 *
 * @example
 * if (exit.code !== 0) subscriber.error(ffmpegFailure(proc.command, exit, 'decoding a.mp4'));
 */
export function ffmpegFailure(command: readonly string[], exit: FfmpegExit, task: string): FfmpegError {
  if (exit.spawnError !== undefined) return spawnFailure(command, exit.spawnError);
  const status = exit.code !== null ? `exit code ${exit.code}` : `signal ${exit.signal ?? 'unknown'}`;
  const lastLine = exit.stderrTail.split('\n').filter(Boolean).pop();
  return new FfmpegError(
    `ffmpeg failed while ${task} (${status})${lastLine !== undefined ? `: ${lastLine.trim()}` : ''}. ` +
      `Command: ${command.join(' ')}. Check the input file, the free disk space and the ffmpeg binary (FFMPEG_PATH).`,
    { command, exitCode: exit.code, stderrTail: exit.stderrTail },
  );
}

function spawnFailure(command: readonly string[], error: Error): FfmpegError {
  return missingBinary(command[0] ?? 'ffmpeg', 'could not start', error);
}
