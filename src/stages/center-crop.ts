import { map } from 'rxjs';
import { withPixels, type Frame } from '../pipeline/frame';
import type { FrameStage } from '../pipeline/frame-stage';
import { expectInteger } from '../pipeline/validate';
import { cropGeometry } from './crop-geometry';

/**
 * A stage that keeps the middle `size`x`size` square of each frame. A frame smaller than `size` on a
 * side is first scaled up (bilinear, keeping its aspect ratio) so its short side is `size`.
 *
 * `decodeVideo(path, { crop })` does the same inside ffmpeg, which is faster; this stage is for
 * frames from elsewhere. A frame already `size`x`size` passes through unchanged.
 *
 * @example
 * decodeVideo('a.mp4').pipe(centerCrop(400), encodeVideo('out.mp4'));
 * @throws {InvalidOptionError} when size is not an integer in [1, 8192].
 */
export function centerCrop(size: number): FrameStage {
  expectInteger('crop', size, 1, 8192);
  return map((frame) => cropFrame(frame, size));
}

/**
 * Crops (and if needed scales up) one frame; the pure function behind {@link centerCrop}.
 *
 * @example
 * cropFrame(frame640x480, 400).width; // 400
 */
export function cropFrame(frame: Frame, size: number): Frame {
  if (frame.width === size && frame.height === size) return frame;
  const g = cropGeometry(frame.width, frame.height, size);
  const out = new Uint8Array(size * size * 3);
  if (!g.scaled) {
    const rowBytes = size * 3;
    for (let y = 0; y < size; y++) {
      const from = ((y + g.y) * frame.width + g.x) * 3;
      out.set(frame.data.subarray(from, from + rowBytes), y * rowBytes);
    }
  } else {
    sampleBilinear(frame, g.scaledWidth, g.scaledHeight, g.x, g.y, size, out);
  }
  return withPixels(frame, out, size, size);
}

/** Fills `out` with the `size`x`size` window at (x0, y0) of `frame` resized to `scaledW`x`scaledH`. */
function sampleBilinear(frame: Frame, scaledW: number, scaledH: number, x0: number, y0: number, size: number, out: Uint8Array): void {
  const { width, height, data } = frame;
  // Pixel centres map to pixel centres (the convention of ffmpeg and sharp); columns are shared by every row.
  const left = new Int32Array(size);
  const right = new Int32Array(size);
  const wx = new Float32Array(size);
  for (let x = 0; x < size; x++) {
    const fx = Math.min(Math.max((x + x0 + 0.5) * (width / scaledW) - 0.5, 0), width - 1);
    left[x] = Math.floor(fx) * 3;
    right[x] = Math.min(Math.floor(fx) + 1, width - 1) * 3;
    wx[x] = fx - Math.floor(fx);
  }
  for (let y = 0; y < size; y++) {
    const fy = Math.min(Math.max((y + y0 + 0.5) * (height / scaledH) - 0.5, 0), height - 1);
    const top = Math.floor(fy) * width * 3;
    const bottom = Math.min(Math.floor(fy) + 1, height - 1) * width * 3;
    const wy = fy - Math.floor(fy);
    let o = y * size * 3;
    for (let x = 0; x < size; x++) {
      const l = left[x] as number;
      const r = right[x] as number;
      const w = wx[x] as number;
      for (let ch = 0; ch < 3; ch++, o++) {
        const upper = (data[top + l + ch] as number) * (1 - w) + (data[top + r + ch] as number) * w;
        const lower = (data[bottom + l + ch] as number) * (1 - w) + (data[bottom + r + ch] as number) * w;
        out[o] = Math.round(upper * (1 - wy) + lower * wy);
      }
    }
  }
}
