import { formatDuration, progressBar } from '../../../src/cli/format-duration';

describe('formatDuration', () => {
  it('writes seconds, minutes and hours', () => {
    expect(formatDuration(42.4)).toBe('42s');
    expect(formatDuration(185)).toBe('3m05s');
    expect(formatDuration(3720)).toBe('1h02m');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('?');
    expect(formatDuration(Number.NaN)).toBe('?');
  });
});

describe('progressBar', () => {
  it('fills in proportion and clamps', () => {
    expect(progressBar(0.5, 10)).toBe('[#####-----]');
    expect(progressBar(0, 4)).toBe('[----]');
    expect(progressBar(2, 4)).toBe('[####]');
  });
});
