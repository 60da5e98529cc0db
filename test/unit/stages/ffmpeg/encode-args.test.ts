import { buildEncodeArgs } from '../../../../src/stages/ffmpeg/encode-args';
import { OUTPUT_FORMATS } from '../../../../src/stages/ffmpeg/output-format';

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

  it('keeps the H.264 MP4 arguments exactly as they were when no format is given', () => {
    const expected = [
      '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error', '-y',
      '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', '400x400', '-framerate', '10', '-i', 'pipe:0',
      '-i', 'src.mp4', '-map', '0:v:0', '-map', '1:a:0?', '-af', 'apad', '-c:a', 'aac', '-b:a', '160k', '-shortest',
      '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-pix_fmt', 'yuv420p', '-movflags', '+faststart',
      '-f', 'mp4', 'out.partial.mp4',
    ];
    expect(buildEncodeArgs({ ...base, audioFrom: 'src.mp4' })).toEqual(expected);
    expect(buildEncodeArgs({ ...base, audioFrom: 'src.mp4', format: OUTPUT_FORMATS['mp4-h264'] })).toEqual(expected);
  });

  it('reads RGBA and writes ProRes 4444 with alpha into a MOV for mov-prores4444', () => {
    const args = buildEncodeArgs({ ...base, output: '.out.mov.1.0a0b0c0d.tmp.mov', audioFrom: 'src.mp4', format: OUTPUT_FORMATS['mov-prores4444'] });
    expect(args.slice(args.indexOf('-c:v'))).toEqual([
      '-c:v', 'prores_ks', '-profile:v', '4444', '-alpha_bits', '16', '-vendor', 'apl0',
      '-pix_fmt', 'yuva444p10le', '-f', 'mov', '.out.mov.1.0a0b0c0d.tmp.mov',
    ]);
    expect(args.slice(args.indexOf('-f'), args.indexOf('-f') + 4)).toEqual(['-f', 'rawvideo', '-pix_fmt', 'rgba']);
    expect(after(args, '-c:a')).toBe('aac');
  });

  it('reads RGBA and writes VP9 yuva420p tagged alpha_mode=1 with Opus into a WebM for webm-vp9', () => {
    const args = buildEncodeArgs({ ...base, crf: 31, output: 'o.webm', audioFrom: 'src.mp4', format: OUTPUT_FORMATS['webm-vp9'] });
    expect(args.slice(args.indexOf('-c:v'))).toEqual([
      '-c:v', 'libvpx-vp9', '-crf', '31', '-b:v', '0', '-row-mt', '1', '-deadline', 'good', '-cpu-used', '4', '-metadata:s:v:0', 'alpha_mode=1',
      '-pix_fmt', 'yuva420p', '-f', 'webm', 'o.webm',
    ]);
    expect(args.slice(args.indexOf('-f'), args.indexOf('-f') + 4)).toEqual(['-f', 'rawvideo', '-pix_fmt', 'rgba']);
    expect(args.slice(args.indexOf('-c:a'), args.indexOf('-c:a') + 4)).toEqual(['-c:a', 'libopus', '-b:a', '128k']);
    expect(args).not.toContain('-preset');
  });
});
