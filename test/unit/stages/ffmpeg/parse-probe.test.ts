import { BadInputError } from '../../../../src/pipeline/errors';
import { PacketSpanMeter, parseProbe, sampledFrameCount } from '../../../../src/stages/ffmpeg/parse-probe';

const withAudio = `Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'clip.mp4':
  Metadata:
    major_brand     : isom
  Duration: 00:00:03.02, start: 0.000000, bitrate: 1793 kb/s
    Stream #0:0(und): Video: h264 (Constrained Baseline) (avc1 / 0x31637661), yuv420p, 640x480 [SAR 1:1 DAR 4:3], 1723 kb/s, 25 fps, 25 tbr, 12800 tbn, 50 tbc (default)
    Metadata:
      handler_name    : VideoHandler
    Stream #0:1(und): Audio: aac (LC) (mp4a / 0x6134706D), 44100 Hz, mono, fltp, 75 kb/s (default)
At least one output file must be specified`;

const rotatedPhone = `Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'phone.mov':
  Duration: 01:02:03.50, start: 0.000000, bitrate: 17000 kb/s
    Stream #0:0(und): Video: h264 (High) (avc1 / 0x31637661), yuv420p(tv, bt709), 1920x1080, 16999 kb/s, 29.97 fps, 29.97 tbr, 600 tbn, 1200 tbc (default)
    Metadata:
      rotate          : 90
      creation_time   : 2020-01-01T00:00:00.000000Z
    Side data:
      displaymatrix: rotation of -90.00 degrees
At least one output file must be specified`;

const lavfi = `Input #0, lavfi, from 'testsrc2=size=640x480:rate=10':
  Duration: N/A, start: 0.000000, bitrate: N/A
    Stream #0:0: Video: rawvideo (I420 / 0x30323449), yuv420p, 640x480 [SAR 1:1 DAR 4:3], 10 tbr, 10 tbn, 10 tbc
At least one output file must be specified`;

const audioOnly = `Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'song.m4a':
  Duration: 00:00:02.00, start: 0.000000, bitrate: 70 kb/s
    Stream #0:0(und): Audio: aac (LC) (mp4a / 0x6134706D), 44100 Hz, mono, fltp, 69 kb/s (default)
    Stream #0:1: Video: mjpeg, yuvj420p(pc, bt470bg/unknown/unknown), 500x500, 90k tbr, 90k tbn, 90k tbc (attached pic)
At least one output file must be specified`;

const garbage = `[mov,mp4,m4a,3gp,3g2,mj2 @ 0x3069fb00] moov atom not found
junk.mp4: Invalid data found when processing input`;

describe('parseProbe', () => {
  it('reads size, rate, duration, codec and audio presence', () => {
    expect(parseProbe(withAudio, 'clip.mp4')).toEqual({
      width: 640,
      height: 480,
      rotation: 0,
      fps: 25,
      durationSec: 3.02,
      containerDurationSec: 3.02,
      hasAudio: true,
      videoCodec: 'h264',
    });
  });

  it('swaps width and height of a rotated stream and reads hours', () => {
    const info = parseProbe(rotatedPhone, 'phone.mov');
    expect(info).toMatchObject({ width: 1080, height: 1920, rotation: 90, fps: 29.97, hasAudio: false });
    expect(info.durationSec).toBeCloseTo(3723.5, 6);
  });

  it('falls back to tbr and leaves an unknown duration undefined', () => {
    expect(parseProbe(lavfi, 'testsrc2')).toMatchObject({ width: 640, height: 480, fps: 10, durationSec: undefined });
  });

  it('rejects a file with only audio (a cover picture is not a video stream)', () => {
    expect(() => parseProbe(audioOnly, 'song.m4a')).toThrow(BadInputError);
    expect(() => parseProbe(audioOnly, 'song.m4a')).toThrow('song.m4a has no video stream (it holds only audio)');
  });

  it('rejects input that ffmpeg cannot read, quoting its reason', () => {
    let error: unknown;
    try {
      parseProbe(garbage, 'junk.mp4');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BadInputError);
    expect(error).toMatchObject({ code: 'BAD_INPUT', path: 'junk.mp4' });
    expect((error as Error).message).toMatch(/^junk\.mp4 is not a video ffmpeg can read \(Invalid data found when processing input\)/);
  });
});

describe('sampledFrameCount', () => {
  it('rounds duration times rate as the fps filter does', () => {
    expect(sampledFrameCount(3.02, 10)).toBe(30);
    expect(sampledFrameCount(1.375, 10)).toBe(14);
    expect(sampledFrameCount(2.0167, 10)).toBe(20);
    expect(sampledFrameCount(1.15, 10)).toBe(12);
    expect(sampledFrameCount(3600, 10)).toBe(36000);
    expect(sampledFrameCount(0, 10)).toBe(0);
  });
});

// `-map 0:v:0 -map 0:a:0 -c copy -f framecrc` of 1 s of 10 fps H.264 with B-frames (pts out of
// decoding order) and 2 s of AAC: the audio outlasts the video.
const framecrc = `#software: Lavf58.24.100
#tb 0: 1/10240
#media_type 0: video
#codec_id 0: h264
#dimensions 0: 320x240
#sar 0: 1/1
#tb 1: 1/44100
#media_type 1: audio
#codec_id 1: aac
#sample_rate 1: 44100
#channel_layout 1: 4
#channel_layout_name 1: mono
0,      -2048,          0,     1024,     5200, 0xd0149e58
1,      -1024,      -1024,     1024,        6, 0x027a0106
0,      -1024,       4096,     1024,     2497, 0xbdc8eef0, F=0x0
0,          0,       2048,     1024,     1390, 0x36c4af75, F=0x0
0,       1024,       1024,     1024,      998, 0x91f9e941, F=0x0
0,       2048,       3072,     1024,     1034, 0x240c08bd, F=0x0
0,       3072,       8192,     1024,     1297, 0x568f88a4, F=0x0
0,       4096,       6144,     1024,      882, 0x1274c43b, F=0x0
0,       5120,       5120,     1024,      882, 0x1274c43b, F=0x0
0,       6144,       7168,     1024,      882, 0x1274c43b, F=0x0
0,       7168,       9216,     1024,      882, 0x1274c43b, F=0x0
1,      87200,      87200,      976,      200, 0x11111111`;

describe('PacketSpanMeter', () => {
  it('measures each stream from its smallest pts to its largest pts + duration, in decoding order', () => {
    const meter = new PacketSpanMeter();
    for (const line of framecrc.split('\n')) meter.push(line);
    expect(meter.span(0)).toEqual({ durationSec: 1, frames: 10 });
    const audio = meter.span(1);
    expect(audio?.frames).toBe(2);
    expect(audio?.durationSec).toBeCloseTo((87200 + 976 + 1024) / 44100, 9);
  });

  it('stands in one frame for a last packet without a duration, and knows nothing of unseen streams', () => {
    const meter = new PacketSpanMeter();
    for (const line of ['#tb 0: 1/1000', '0, 0, 0, 0, 10, 0x0', '0, 100, 100, 0, 10, 0x0', '0, 200, 200, 0, 10, 0x0']) meter.push(line);
    expect(meter.span(0, 0.1)).toEqual({ durationSec: 0.3, frames: 3 });
    expect(meter.span(1)).toBeUndefined();
    expect(new PacketSpanMeter().span(0)).toBeUndefined();
  });
});
