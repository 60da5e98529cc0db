/**
 * The value after `--<name>` on a benchmark's command line, or `fallback`.
 *
 * @example arg('seconds', '150') // '60' for `bench/x.ts --seconds 60`
 */
export function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}
