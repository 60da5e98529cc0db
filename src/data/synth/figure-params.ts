import { clothColour, grey, hairColour, hsl, mix, skinTone, type Rgb } from './palette';
import type { SynthRng } from './synth-rng';

/** Hair styles of the synthetic figure. */
export type HairStyle = 'bald' | 'buzz' | 'short' | 'long' | 'bob' | 'bun' | 'curly';
/** Patterns of the synthetic figure's clothing. */
export type ClothPattern = 'solid' | 'stripes' | 'checks' | 'knit' | 'print';
/** Necklines: where skin shows between neck and clothing. */
export type Neckline = 'crew' | 'v' | 'scoop' | 'boat' | 'turtle' | 'jacket';

/**
 * Everything that makes one synthetic person, fixed for a whole clip. Lengths are in units of `r`,
 * the head's half-height in pixels, so one figure can be drawn at any scale.
 */
export interface FigureParams {
  /** How the person is framed (the scale and place below follow from it). */
  framing: Framing;
  /** Head centre in pixels (before the pose offset). */
  x: number;
  y: number;
  /** Head half-height in pixels: the unit of every other length. */
  r: number;
  /** Head half-width at the cheekbones, in r. */
  headWidth: number;
  /** How much the head narrows towards the chin (0 = ellipse). */
  jaw: number;
  neckWidth: number;
  /** Half-width of the shoulders, in r. */
  shoulderWidth: number;
  /** Height of the top of the shoulders below the head centre, in r. */
  shoulderTop: number;
  /** Vertical radius of the rounded shoulder line, in r. */
  shoulderHeight: number;
  /** Squareness of the shoulder line as a superellipse exponent, 2 (round) to 4 (square). */
  shoulderPower: number;
  skin: Rgb;
  hair: Rgb;
  hairStyle: HairStyle;
  /** Size of the hair mass around the skull (1 = flat on the skull). */
  hairVolume: number;
  /** Height of the hairline above the head centre, in r (negative is up). */
  hairline: number;
  /** Where long hair ends below the head centre, in r. */
  hairLength: number;
  /** Amplitude of the ragged hair edge, in r. */
  hairFrizz: number;
  cloth: Rgb;
  /** Second clothing colour (stripes, checks, the shirt under a jacket). */
  cloth2: Rgb;
  pattern: ClothPattern;
  /** Pattern period, in r. */
  patternPeriod: number;
  patternAngle: number;
  neckline: Neckline;
  /** A tie under a jacket. */
  tie: boolean;
  /** Direction towards the key light (unit vector; z points at the camera). */
  light: [number, number, number];
  /** Share of light that does not depend on the surface direction. */
  ambient: number;
  eyeColour: Rgb;
  lipColour: Rgb;
  glasses: boolean;
  /** Beard opacity, 0 = none. */
  beard: number;
  /** Seed of the figure's textures (hair strands, cloth folds, skin). */
  textureSeed: number;
}

/**
 * How the figure stands in one frame: offsets in pixels, head turn and tilt, mouth and eyes.
 * Every field defaults to the neutral pose.
 */
export interface FigurePose {
  dx: number;
  dy: number;
  /** Head turn, -1 (to the image left) to 1. */
  yaw: number;
  /** Head tilt in radians. */
  roll: number;
  /** 0 = closed, 1 = wide open. */
  mouthOpen: number;
  /** 1 = open, 0 = closed (blink). */
  eyesOpen: number;
}

/** The neutral pose. */
export const NEUTRAL_POSE: FigurePose = { dx: 0, dy: 0, yaw: 0, roll: 0, mouthOpen: 0, eyesOpen: 1 };

/** Framing of the figure in the picture. */
export type Framing = 'medium' | 'close' | 'distant' | 'offcentre';

/** Options of {@link randomFigure}. */
export interface RandomFigureOptions {
  /** The framing; random when absent. */
  framing?: Framing;
  /** A colour the clothing may copy on purpose (a hard case: clothing like the wall). */
  backgroundColour?: Rgb;
  /** Avoid the hard cases (clothing like the background, near-white clothing). Default false. */
  easy?: boolean;
}

/**
 * Draws a random person for a `width` x `height` picture: proportions, framing, skin, hair, clothing,
 * face details and light.
 *
 * @example
 * const figure = randomFigure(createSynthRng(3), 400, 400);
 */
export function randomFigure(rng: SynthRng, width: number, height: number, options: RandomFigureOptions = {}): FigureParams {
  const size = Math.min(width, height);
  const framing = options.framing ?? rng.pick<Framing>(['medium', 'medium', 'medium', 'close', 'close', 'distant', 'offcentre']);
  let r: number;
  let x: number;
  let y: number;
  switch (framing) {
    case 'close':
      r = size * rng.range(0.26, 0.4);
      x = width * rng.range(0.4, 0.6);
      y = height * rng.range(0.3, 0.48);
      break;
    case 'distant':
      // A wide shot of a seated speaker: the frame still cuts the body at the chest or waist.
      r = size * rng.range(0.06, 0.11);
      x = width * rng.range(0.2, 0.8);
      y = height - r * rng.range(3.2, 6);
      break;
    case 'offcentre':
      r = size * rng.range(0.12, 0.22);
      x = width * (rng.chance(0.5) ? rng.range(0.12, 0.32) : rng.range(0.68, 0.88));
      y = Math.max(height * rng.range(0.28, 0.55), height - r * rng.range(3.2, 5));
      break;
    default:
      r = size * rng.range(0.13, 0.25);
      x = width * rng.range(0.38, 0.62);
      y = Math.max(height * rng.range(0.27, 0.5), height - r * rng.range(3.2, 5));
  }
  const skin = skinTone(rng);
  const hair = hairColour(rng);
  const hairStyle = rng.pick<HairStyle>(['bald', 'buzz', 'short', 'short', 'short', 'long', 'long', 'long', 'bob', 'bun', 'curly']);
  const hairVolume: Record<HairStyle, [number, number]> = {
    bald: [1, 1],
    buzz: [1.01, 1.03],
    short: [1.05, 1.16],
    long: [1.05, 1.18],
    bob: [1.08, 1.22],
    bun: [1.02, 1.06],
    curly: [1.25, 1.6],
  };
  const [vLo, vHi] = hairVolume[hairStyle];
  let cloth = clothColour(rng);
  const easy = options.easy ?? false;
  if (!easy && options.backgroundColour && rng.chance(0.12)) {
    // Hard case: clothing close to the wall colour.
    cloth = mix(options.backgroundColour, cloth, rng.range(0, 0.2));
  }
  if (easy && Math.max(...cloth) > 0.8) cloth = mix(cloth, grey(0.2), 0.5);
  const pattern = rng.pick<ClothPattern>(['solid', 'solid', 'solid', 'stripes', 'checks', 'knit', 'print']);
  const cloth2 =
    pattern === 'solid'
      ? hsl(rng.next(), rng.range(0, 0.3), rng.range(0.8, 0.97)) // a shirt under a jacket
      : rng.chance(0.5)
        ? clothColour(rng)
        : mix(cloth, grey(rng.chance(0.5) ? 0.95 : 0.05), rng.range(0.3, 0.7));
  const lightAngle = rng.range(-Math.PI, Math.PI);
  const lightTilt = rng.range(0.25, 0.9);
  const lz = Math.cos(lightTilt);
  const light: [number, number, number] = [Math.sin(lightTilt) * Math.cos(lightAngle), Math.sin(lightTilt) * Math.sin(lightAngle) * 0.6 - 0.3, lz];
  const norm = Math.hypot(...light);
  return {
    framing,
    x,
    y,
    r,
    headWidth: rng.range(0.7, 0.84),
    jaw: rng.range(0.12, 0.38),
    neckWidth: rng.range(0.38, 0.52),
    shoulderWidth: rng.range(1.7, 2.45),
    shoulderTop: rng.range(1.3, 1.6),
    shoulderHeight: rng.range(0.7, 1.3),
    shoulderPower: rng.range(2, 3.6),
    skin,
    hair,
    hairStyle,
    hairVolume: rng.range(vLo, vHi),
    hairline: rng.range(-0.62, -0.35),
    hairLength: hairStyle === 'bob' ? rng.range(0.8, 1.3) : rng.range(1.7, 3.5),
    hairFrizz: hairStyle === 'curly' ? rng.range(0.06, 0.14) : rng.range(0.01, 0.04),
    cloth,
    cloth2,
    pattern,
    patternPeriod: rng.range(0.08, 0.45),
    patternAngle: rng.chance(0.6) ? rng.pick([0, Math.PI / 2]) : rng.range(0, Math.PI),
    neckline: rng.pick<Neckline>(['crew', 'crew', 'v', 'scoop', 'boat', 'turtle', 'jacket', 'jacket']),
    tie: rng.chance(0.4),
    light: [light[0] / norm, light[1] / norm, light[2] / norm],
    ambient: rng.range(0.3, 0.6),
    eyeColour: rng.chance(0.7) ? [0.12, 0.07, 0.04] : hsl(rng.range(0.45, 0.65), rng.range(0.2, 0.5), rng.range(0.25, 0.45)),
    lipColour: mix(skin, [0.55, 0.18, 0.2], rng.range(0.25, 0.6)),
    glasses: rng.chance(0.15),
    beard: rng.chance(0.15) ? rng.range(0.4, 0.95) : 0,
    textureSeed: Math.floor(rng.next() * 4294967296),
  };
}
