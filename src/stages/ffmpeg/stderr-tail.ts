/**
 * Keeps the last lines that a child process wrote to stderr, so that an error can quote them
 * without holding an hour of ffmpeg logging in memory.
 *
 * @example
 * const tail = new StderrTail(20);
 * child.stderr.on('data', (chunk) => tail.push(chunk));
 * tail.text(); // the last 20 lines
 */
export class StderrTail {
  private lines: string[] = [];
  private partial = '';

  /** @param maxLines how many complete lines to keep (default 20). */
  constructor(private readonly maxLines = 20) {}

  /** Adds a chunk of stderr output. */
  push(chunk: Buffer | string): void {
    const parts = (this.partial + chunk.toString()).split(/\r?\n|\r/);
    this.partial = parts.pop() ?? '';
    for (const line of parts) if (line.trim() !== '') this.lines.push(line);
    if (this.lines.length > this.maxLines) this.lines = this.lines.slice(-this.maxLines);
    // A progress line without a newline must not grow forever.
    if (this.partial.length > 4096) this.partial = this.partial.slice(-4096);
  }

  /** The kept lines, oldest first, including an unterminated last line. */
  text(): string {
    const all = this.partial.trim() === '' ? this.lines : [...this.lines, this.partial];
    return all.slice(-this.maxLines).join('\n');
  }
}
