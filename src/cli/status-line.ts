/**
 * One self-overwriting status line on stderr, redrawn at most ten times a second; `end` shows the last
 * text even when the throttle skipped it. Drawn only when
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
  // The newest text, when it was skipped by the throttle: `end` shows it, so the line never ends stale.
  let pending: string | undefined;
  const write = (text: string) => {
    lastMs = Date.now();
    shown = true;
    pending = undefined;
    stream.write(stream.isTTY ? `\r\x1b[2K${text}` : `${text}\n`);
  };
  return {
    draw(text: string, always = false): void {
      if (!enabled) return;
      if (!always && Date.now() - lastMs < 100) {
        pending = text;
        return;
      }
      write(text);
    },
    end(): void {
      if (enabled && pending !== undefined) write(pending);
      if (enabled && shown && stream.isTTY) stream.write('\n');
      shown = false;
    },
  };
}
