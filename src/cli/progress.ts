/**
 * A one-line progress display on stderr, drawn only when stderr is a terminal (so logs and pipes
 * stay clean).
 *
 * @example
 * const progress = createProgress('extract', 300);
 * progress.update(42);
 * progress.done();
 */
export function createProgress(label: string, total?: number, stream: NodeJS.WriteStream = process.stderr) {
  let lastDrawMs = 0;
  let expected = total;
  const draw = (count: number) => {
    const of = expected !== undefined && expected > 0 ? `/${expected} (${Math.min(100, Math.floor((count * 100) / expected))}%)` : '';
    stream.write(`\r${label}: ${count}${of} frames`);
  };
  return {
    /** Sets the expected number of frames once it is known. */
    setTotal(value: number | undefined): void {
      expected = value;
    },
    update(count: number): void {
      if (!stream.isTTY) return;
      const now = Date.now();
      if (now - lastDrawMs < 100) return;
      lastDrawMs = now;
      draw(count);
    },
    done(count?: number): void {
      if (!stream.isTTY) return;
      if (count !== undefined) draw(count);
      stream.write('\n');
    },
  };
}
