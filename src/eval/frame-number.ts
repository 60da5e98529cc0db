/**
 * The frame index written in an image's file name: the last run of digits in its name without the
 * extension (`000123.png` → 123, `mask_00123.png` → 123, `frames/12.jpg` → 12), so files numbered
 * with different paddings match by their integer. Undefined when the name holds no digits.
 *
 * @example
 * frameNumberOf('out/000123.png'); // 123
 */
export function frameNumberOf(path: string): number | undefined {
  const base = path.split(/[\\/]/).pop() ?? path;
  const stem = base.replace(/\.[^.]*$/, '');
  const numbers = stem.match(/\d+/g);
  return numbers ? Number(numbers[numbers.length - 1]) : undefined;
}
