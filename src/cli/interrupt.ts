let controller: AbortController | undefined;

/**
 * An AbortSignal that fires on the first Ctrl-C (SIGINT), so a command can kill ffmpeg and remove
 * partial files before exiting. A second Ctrl-C exits at once with status 130.
 *
 * @example
 * decodeVideo(video, { signal: interruptSignal() })
 */
export function interruptSignal(): AbortSignal {
  if (controller === undefined) {
    const current = new AbortController();
    controller = current;
    process.once('SIGINT', () => {
      process.once('SIGINT', () => process.exit(130));
      current.abort();
    });
  }
  return controller.signal;
}
