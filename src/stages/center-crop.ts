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
  const sx = width / scaledW;
  const sy = height / scaledH;
  for (let y = 0; y < size; y++) {
    // Pixel centres map to pixel centres (the convention of ffmpeg and sharp).
    const fy = Math.min(Math.max((y + y0 + 0.5) * sy - 0.5, 0), height - 1);
    const y1 = Math.floor(fy);
    const y2 = Math.min(y1 + 1, height - 1);
    const wy = fy - y1;
    for (let x = 0; x < size; x++) {
      const fx = Math.min(Math.max((x + x0 + 0.5) * sx - 0.5, 0), width - 1);
      const x1 = Math.floor(fx);
      const x2 = Math.min(x1 + 1, width - 1);
      const wx = fx - x1;
      const a = (y1 * width + x1) * 3;
      const b = (y1 * width + x2) * 3;
      const c = (y2 * width + x1) * 3;
      const d = (y2 * width + x2) * 3;
      const o = (y * size + x) * 3;
      for (let ch = 0; ch < 3; ch++) {
        const top = (data[a + ch] as number) * (1 - wx) + (data[b + ch] as number) * wx;
        const bottom = (data[c + ch] as number) * (1 - wx) + (data[d + ch] as number) * wx;
        out[o + ch] = Math.round(top * (1 - wy) + bottom * wy);
      }
    }
  }
}
