import { buildDecodeArgs } from '../../../../src/stages/ffmpeg/decode-args';

const filterOf = (args: string[]) => args[args.indexOf('-vf') + 1];

describe('buildDecodeArgs', () => {
  it('samples with the fps filter and writes raw RGB24 to stdout', () => {
    const args = buildDecodeArgs({ input: 'a b.mp4', fps: 10, width: 640, height: 480 });
    expect(args.slice(args.indexOf('-i'), args.indexOf('-i') + 2)).toEqual(['-i', 'a b.mp4']);
    expect(filterOf(args)).toBe('fps=fps=10');
    expect(args.slice(-5)).toEqual(['-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1']);
    expect(args).toContain('0:v:0');
  });

  it('crops the centre inside ffmpeg', () => {
    expect(filterOf(buildDecodeArgs({ input: 'a.mp4', fps: 10, width: 640, height: 480, crop: 400 }))).toBe(
      'fps=fps=10,crop=400:400:120:40',
    );
  });

  it('scales a source whose short side is below the crop up first', () => {
    expect(filterOf(buildDecodeArgs({ input: 'a.mp4', fps: 5, width: 320, height: 240, crop: 400 }))).toBe(
      'fps=fps=5,scale=533:400:flags=bicubic,crop=400:400:66:0',
    );
  });

  it('skips the crop when the source already has the crop size', () => {
    expect(filterOf(buildDecodeArgs({ input: 'a.mp4', fps: 10, width: 400, height: 400, crop: 400 }))).toBe('fps=fps=10');
  });

  it('passes an input format before the input', () => {
    const args = buildDecodeArgs({ input: 'testsrc2', fps: 10, width: 320, height: 240, inputFormat: 'lavfi' });
    expect(args.slice(args.indexOf('-f'), args.indexOf('-f') + 4)).toEqual(['-f', 'lavfi', '-i', 'testsrc2']);
  });
});
