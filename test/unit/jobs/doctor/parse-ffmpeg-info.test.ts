import { parseEncoders, parseFfmpegVersion } from '../../../../src/jobs/doctor/parse-ffmpeg-info';

const staticBuild = `ffmpeg version N-47683-g0e8eb07980-static https://johnvansickle.com/ffmpeg/  Copyright (c) 2000-2018 the FFmpeg developers
built with gcc 6.3.0 (Debian 6.3.0-18+deb9u1) 20170516
libavutil      56. 24.101 / 56. 24.101
libavcodec     58. 42.100 / 58. 42.100`;

const debian = `ffmpeg version 5.1.6-0+deb12u1 Copyright (c) 2000-2024 the FFmpeg developers
libavutil      57. 28.100 / 57. 28.100`;

const old = `ffmpeg version 3.4.8-0ubuntu0.2 Copyright (c) 2000-2020 the FFmpeg developers
libavutil      55. 78.100 / 55. 78.100`;

const encoders = `Encoders:
 V..... = Video
 A..... = Audio
 S..... = Subtitle
 .F.... = Frame-level multithreading
 ------
 V..... libx264              libx264 H.264 / AVC / MPEG-4 AVC / MPEG-4 part 10 (codec h264)
 VFS... prores_ks            Apple ProRes (iCodec Pro) (codec prores)
 V..... libvpx-vp9           libvpx VP9 (codec vp9)
 A..... aac                  AAC (Advanced Audio Coding)
 A..... libopus              libopus Opus (codec opus)
 S..... srt                  SubRip subtitle`;

describe('parseFfmpegVersion', () => {
  it('reads a numbered release', () => {
    expect(parseFfmpegVersion(debian)).toEqual({ name: '5.1.6-0+deb12u1', release: [5, 1], libavutil: [57, 28] });
    expect(parseFfmpegVersion(old)).toEqual({ name: '3.4.8-0ubuntu0.2', release: [3, 4], libavutil: [55, 78] });
    expect(parseFfmpegVersion('ffmpeg version n6.1 Copyright')).toEqual({ name: 'n6.1', release: [6, 1], libavutil: undefined });
  });

  it("tells a git build's release from libavutil's major version", () => {
    expect(parseFfmpegVersion(staticBuild)).toEqual({ name: 'N-47683-g0e8eb07980-static', release: [4, 0], libavutil: [56, 24] });
  });

  it('gives undefined for text that is not ffmpeg -version', () => {
    expect(parseFfmpegVersion('bash: ffmpeg: command not found')).toBeUndefined();
  });
});

describe('parseEncoders', () => {
  it('lists the encoder names after the legend', () => {
    expect([...parseEncoders(encoders)].sort()).toEqual(['aac', 'libopus', 'libvpx-vp9', 'libx264', 'prores_ks', 'srt']);
  });
});
