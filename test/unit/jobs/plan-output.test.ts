import { InvalidOptionError, type VidganError } from '../../../src/pipeline/errors';
import { checkModelAlpha, planOutput } from '../../../src/jobs/plan-output';

function caught(fn: () => unknown): VidganError {
  try {
    fn();
  } catch (error) {
    return error as VidganError;
  }
  throw new Error('expected a throw');
}

describe('planOutput', () => {
  it('plans the format from the name and the background, and whether alpha is needed', () => {
    expect(planOutput({ out: 'a.webm', background: 'transparent' })).toMatchObject({ target: { name: 'webm-vp9' }, background: { kind: 'transparent' }, needsAlpha: true });
    expect(planOutput({ out: 'a.mp4' })).toMatchObject({ target: { name: 'mp4-h264' }, background: { kind: 'colour', rgb: [255, 255, 255] }, needsAlpha: false });
    expect(planOutput({ out: 'a.mp4', matte: 'm.mp4' }).needsAlpha).toBe(true);
  });

  it('refuses transparency in a format without alpha, naming the formats that have it', () => {
    const error = caught(() => planOutput({ out: 'out/a.mp4', background: 'transparent' }));
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error.code).toBe('INVALID_OPTION');
    expect(error.message).toBe(
      'A transparent background needs an output format that stores alpha, and out/a.mp4 is H.264 .mp4, which has none. ' +
        'Write .mov (mov-prores4444), .webm (webm-vp9) or a folder of RGBA PNGs (png), or choose a background colour, picture or video instead.',
    );
  });

  it('refuses transparency when --format overrides the name with a format without alpha', () => {
    expect(caught(() => planOutput({ out: 'a.mov', format: 'mp4-h264', background: 'transparent' })).message).toMatch(/^A transparent background needs/);
  });

  it('refuses a matte of no known format', () => {
    const error = caught(() => planOutput({ out: 'a.mov', matte: 'matte.avi' }));
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error.message).toMatch(/^Cannot tell the output format of matte\.avi from its extension '\.avi'/);
  });
});

describe('checkModelAlpha', () => {
  it("refuses the rgb head where alpha is needed, naming the composite head and --alpha-from-white", () => {
    const error = caught(() => checkModelAlpha(planOutput({ out: 'a.mov', background: 'transparent' }), 'rgb', 'm.safetensors'));
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error.code).toBe('INVALID_OPTION');
    expect(error.message).toBe(
      "m.safetensors has the paper's 'rgb' head, which predicts no alpha, and the transparent background needs alpha. Use a model with the " +
        "'composite' head (the default, and the bundled base's), or derive alpha from each pixel's distance from white with " +
        '--alpha-from-white <tolerance> (alphaFromWhite; 24 is a fair start).',
    );
  });

  it('accepts the rgb head over white, with alphaFromWhite, and the composite head anywhere', () => {
    expect(() => checkModelAlpha(planOutput({ out: 'a.mp4' }), 'rgb', 'm')).not.toThrow();
    expect(() => checkModelAlpha(planOutput({ out: 'a.mov', background: 'black', alphaFromWhite: 24 }), 'rgb', 'm')).not.toThrow();
    expect(() => checkModelAlpha(planOutput({ out: 'a.mov', background: 'transparent' }), 'composite', 'm')).not.toThrow();
  });
});
