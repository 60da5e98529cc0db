/** ffmpeg's quiet start: no banner, no stdin, no progress, errors only. Every vidgan command line begins with it. */
export const QUIET_ARGS: readonly string[] = ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error'];

/** Takes only the first video stream: no audio, subtitles or data. */
export const FIRST_VIDEO_ONLY: readonly string[] = ['-map', '0:v:0', '-an', '-sn', '-dn'];

/** Writes packed RGB24 frames to stdout, for a `FrameSplitter` to cut. */
export const RAW_RGB_TO_STDOUT: readonly string[] = ['-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'];
