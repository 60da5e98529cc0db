import { extname } from 'node:path';
import { InvalidOptionError } from '../pipeline/errors';

/**
 * What the subject is put over: a colour, a still picture (scaled to cover the frame, centred), a
 * video (scaled the same way, looped or cut to the length of the output), or nothing (`transparent`:
 * the alpha is kept, for a format that stores it).
 */
export type Background =
  | { readonly kind: 'colour'; readonly rgb: readonly [number, number, number] }
  | { readonly kind: 'image'; readonly path: string }
  | { readonly kind: 'video'; readonly path: string }
  | { readonly kind: 'transparent' };

/** The default background: white, as the composite head and the edits paint it. */
export const WHITE: Background = Object.freeze({ kind: 'colour', rgb: Object.freeze([255, 255, 255]) as readonly [number, number, number] });

/** Extensions read as still pictures (by sharp); any other file is read as a video (by ffmpeg). */
export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.webp', '.tif', '.tiff', '.avif', '.gif'] as const;

const NAMED: Readonly<Record<string, readonly [number, number, number]>> = { white: [255, 255, 255], black: [0, 0, 0] };

/**
 * Reads a background as `--background` spells it: `white`, `black`, `#rrggbb`, `transparent`, or the
 * path of a picture (by extension, {@link IMAGE_EXTENSIONS}) or of a video (anything else). Whether the
 * file exists is checked by the job, before any work.
 *
 * @example
 * parseBackground('#1a2b3c'); // { kind: 'colour', rgb: [26, 43, 60] }
 * parseBackground('beach.jpg'); // { kind: 'image', path: 'beach.jpg' }
 * @throws {InvalidOptionError} for an empty string or a `#` colour that is not six hex digits.
 */
export function parseBackground(spec: string | Background): Background {
  if (typeof spec !== 'string') return spec;
  const text = spec.trim();
  const lower = text.toLowerCase();
  if (lower === 'transparent') return { kind: 'transparent' };
  const named = NAMED[lower];
  if (named !== undefined) return { kind: 'colour', rgb: named };
  if (text.startsWith('#')) {
    if (!/^#[0-9a-f]{6}$/i.test(text)) {
      throw new InvalidOptionError(`Expected a colour '#rrggbb' (six hex digits) for background but received '${spec}'`);
    }
    const value = Number.parseInt(text.slice(1), 16);
    return { kind: 'colour', rgb: [(value >> 16) & 255, (value >> 8) & 255, value & 255] };
  }
  if (text === '') {
    throw new InvalidOptionError("Expected white, black, #rrggbb, transparent or a picture or video file for background but received ''");
  }
  return (IMAGE_EXTENSIONS as readonly string[]).includes(extname(text).toLowerCase()) ? { kind: 'image', path: text } : { kind: 'video', path: text };
}

/**
 * A background as a person reads it: `white`, `#1a2b3c`, `transparent`, `picture beach.jpg`, `video waves.mp4`.
 *
 * @example describeBackground(parseBackground('#ff0000')); // '#ff0000'
 */
export function describeBackground(background: Background): string {
  switch (background.kind) {
    case 'transparent':
      return 'transparent';
    case 'image':
      return `picture ${background.path}`;
    case 'video':
      return `video ${background.path}`;
    case 'colour': {
      const name = Object.entries(NAMED).find(([, rgb]) => rgb.every((v, i) => v === background.rgb[i]))?.[0];
      return name ?? `#${background.rgb.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
    }
  }
}

/** True for a plain white background: the frames the composite head makes need no change. */
export function isWhite(background: Background): boolean {
  return background.kind === 'colour' && background.rgb.every((v) => v === 255);
}
