import { cropGeometry } from '../../../src/stages/crop-geometry';

describe('cropGeometry', () => {
  it('takes the middle square without scaling when both sides are large enough', () => {
    expect(cropGeometry(1920, 1080, 400)).toEqual({ scaledWidth: 1920, scaledHeight: 1080, x: 760, y: 340, size: 400, scaled: false });
  });

  it('scales the short side up to the crop size, keeping the aspect ratio', () => {
    expect(cropGeometry(320, 240, 400)).toEqual({ scaledWidth: 533, scaledHeight: 400, x: 66, y: 0, size: 400, scaled: true });
    expect(cropGeometry(240, 320, 400)).toMatchObject({ scaledWidth: 400, scaledHeight: 533, x: 0, y: 66 });
  });

  it('scales when only one side is short', () => {
    expect(cropGeometry(1000, 300, 400)).toMatchObject({ scaledWidth: 1333, scaledHeight: 400, x: 466, y: 0, scaled: true });
  });
});
