import { BadInputError } from '../../pipeline/errors';
import { FrameSplitter } from './frame-splitter';
import { ffmpegFailure, spawnFfmpeg, type FfmpegProcess } from './spawn-ffmpeg';

/** Frames a {@link FrameReader} decodes ahead of what was asked for before it pauses ffmpeg. */
const READ_AHEAD = 2;

/**
 * Reads raw frames from an ffmpeg that writes them to stdout, one `read()` at a time: a pull source,
 * for a second input that must keep pace with the stream (a background video). It decodes at most
 * {@link READ_AHEAD} frames ahead, then pauses ffmpeg's stdout, so memory stays flat however long
 * the input is (or however often it loops).
 *
 * @example
 * const reader = new FrameReader(buildBackgroundArgs({ input: 'waves.mp4', width: 400, height: 400, video: { fps: 10, loop: true } }), 400 * 400 * 3, 'waves.mp4');
 * const first = await reader.read();
 * await reader.close();
 * @throws {FfmpegError} when no ffmpeg binary can be found.
 */
export class FrameReader {
  private readonly proc: FfmpegProcess;
  private readonly queue: Buffer[] = [];
  private readonly waiters: Array<{ resolve: (frame: Buffer | undefined) => void; reject: (error: unknown) => void }> = [];
  private ended = false;
  private failure: unknown;
  private closing = false;
  private framesRead = 0;

  /**
   * @param args ffmpeg arguments writing raw frames to `pipe:1`.
   * @param frameBytes bytes of one frame.
   * @param input the file, for messages.
   */
  constructor(args: readonly string[], frameBytes: number, private readonly input: string, options: { ffmpegPath?: string } = {}) {
    const splitter = new FrameSplitter(frameBytes);
    this.proc = spawnFfmpeg(args, { ffmpegPath: options.ffmpegPath });
    this.proc.stdout.on('data', (chunk: Buffer) => {
      this.queue.push(...splitter.push(chunk));
      this.settle();
    });
    this.proc.stdout.once('end', () => {
      void this.proc.exit.then((exit) => {
        if (exit.code !== 0 && !this.closing) this.failure = ffmpegFailure(this.proc.command, exit, `decoding ${input} (after ${this.framesRead} frames)`);
        this.ended = true;
        this.settle();
      });
    });
  }

  /**
   * The next frame; `undefined` once the input has ended.
   *
   * @throws {FfmpegError} (as a rejection) when ffmpeg failed.
   */
  read(): Promise<Buffer | undefined> {
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.settle();
    });
  }

  /** Kills ffmpeg (the input is cut where it stands) and resolves once it has exited. Never rejects. */
  async close(): Promise<void> {
    this.closing = true;
    this.proc.kill();
    await this.proc.exit;
    // kill() dropped the unread output, so no 'end' comes: a read still waiting gets the end.
    this.ended = true;
    this.settle();
  }

  private settle(): void {
    while (this.waiters.length > 0 && (this.queue.length > 0 || this.ended)) {
      const waiter = this.waiters.shift()!;
      const frame = this.queue.shift();
      if (frame !== undefined) {
        this.framesRead++;
        waiter.resolve(frame);
      } else if (this.failure !== undefined) waiter.reject(this.failure);
      else if (this.framesRead === 0 && !this.closing) waiter.reject(new BadInputError(`${this.input} gave no frames: it is not a picture or video ffmpeg can read.`, { path: this.input }));
      else waiter.resolve(undefined);
    }
    if (this.queue.length >= READ_AHEAD) this.proc.stdout.pause();
    else if (!this.ended) this.proc.stdout.resume();
  }
}
