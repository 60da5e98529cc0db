import { buildBackgroundArgs } from '../../../../src/stages/ffmpeg/background-args';

describe('buildBackgroundArgs', () => {
  it('scales a still to cover the frame, crops the centre, and takes one frame', () => {
    const args = buildBackgroundArgs({ input: 'beach.jpg', width: 400, height: 300 });
    expect(args).not.toContain('-stream_loop');
    expect(args.slice(args.indexOf('-vf'))).toEqual([
      '-vf',
      'scale=400:300:force_original_aspect_ratio=increase:flags=bicubic,crop=400:300',
      '-frames:v',
      '1',
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      'pipe:1',
    ]);
  });

  it('loops a video and samples it at the stream rate', () => {
    const args = buildBackgroundArgs({ input: 'waves.mp4', width: 400, height: 400, video: { fps: 10, loop: true } });
    expect(args.slice(args.indexOf('-stream_loop'), args.indexOf('-stream_loop') + 4)).toEqual(['-stream_loop', '-1', '-i', 'waves.mp4']);
    expect(args[args.indexOf('-vf') + 1]).toBe('fps=fps=10,scale=400:400:force_original_aspect_ratio=increase:flags=bicubic,crop=400:400');
    expect(args).not.toContain('-frames:v');
  });
});
