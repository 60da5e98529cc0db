import { StderrTail } from '../../../../src/stages/ffmpeg/stderr-tail';

describe('StderrTail', () => {
  it('keeps only the last lines across chunk boundaries', () => {
    const tail = new StderrTail(2);
    tail.push('first\nsec');
    tail.push('ond\nthird\n');
    tail.push('fourth (no newline)');
    expect(tail.text()).toBe('third\nfourth (no newline)');
  });

  it('drops blank lines and handles carriage returns from progress output', () => {
    const tail = new StderrTail(5);
    tail.push('frame=1\rframe=2\r\n\nError: boom\n');
    expect(tail.text()).toBe('frame=1\nframe=2\nError: boom');
  });
});
