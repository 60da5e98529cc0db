/**
 * One self-overwriting status line on stderr, redrawn at most ten times a second. Drawn only when
 * stderr is a terminal, or when `force` is set (`--progress`), so logs and pipes stay clean.
 *
 * @example
 * const line = statusLine();
 * line.draw('training [#####-----] step 40/100');
 * line.end();
 */
export function statusLine(options: { force?: boolean; stream?: NodeJS.WriteStream } = {}) {
  const stream = options.stream ?? process.stderr;
  const enabled = options.force === true || stream.isTTY === true;
  let lastMs = 0;
  let shown = false;
  return {
    draw(text: string, always = false): void {
      if (!enabled) return;
      const now = Date.now();
      if (!always && now - lastMs < 100) return;
      lastMs = now;
      shown = true;
      stream.write(stream.isTTY ? `\r\x1b[2K${text}` : `${text}\n`);
    },
    end(): void {
      if (enabled && shown && stream.isTTY) stream.write('\n');
      shown = false;
    },
  };
}
