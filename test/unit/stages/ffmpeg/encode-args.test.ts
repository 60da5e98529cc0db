import { buildEncodeArgs } from '../../../../src/stages/ffmpeg/encode-args';

const base = { output: 'out.partial.mp4', width: 400, height: 400, fps: 10, crf: 20, preset: 'veryfast' };
const after = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

describe('buildEncodeArgs', () => {
  it('reads RGB24 at the sampling rate from stdin and writes H.264 yuv420p with faststart', () => {
    const args = buildEncodeArgs(base);
    expect(after(args, '-s')).toBe('400x400');
    expect(after(args, '-framerate')).toBe('10');
    expect(after(args, '-i')).toBe('pipe:0');
    expect(after(args, '-c:v')).toBe('libx264');
    expect(after(args, '-crf')).toBe('20');
    expect(after(args, '-preset')).toBe('veryfast');
    expect(args.filter((a) => a === 'yuv420p')).toHaveLength(1);
    expect(after(args, '-movflags')).toBe('+faststart');
    expect(args.at(-1)).toBe('out.partial.mp4');
    expect(args).not.toContain('-shortest');
  });

  it('maps optional audio from a second input, padded then trimmed to the video', () => {
    const args = buildEncodeArgs({ ...base, crf: 28, audioFrom: 'src.mp4' });
    expect(args.filter((a) => a === '-i')).toHaveLength(2);
    expect(args[args.lastIndexOf('-i') + 1]).toBe('src.mp4');
    expect(args).toContain('1:a:0?');
    expect(after(args, '-af')).toBe('apad');
    expect(args).toContain('-shortest');
    expect(after(args, '-crf')).toBe('28');
  });
});
