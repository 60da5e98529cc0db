import { lastValueFrom, of, toArray } from 'rxjs';
import { FLOW_VETO_PLANE } from '../../../src/flow/propagate-alpha';
import { applyPriorVeto, priorVeto, vetoPrior } from '../../../src/guides/prior-veto';
import { makeFrame } from '../../../src/pipeline/frame';
import { PERSON_PRIOR_GUIDE } from '../../../src/stages/person-prior';

/** A 4x1 strip of RGB pixels. */
const strip = (...pixels: number[][]) => Uint8Array.from(pixels.flat());

describe('priorVeto', () => {
  it("is the prior where the edit erased a pixel that is not white, and 0 elsewhere", () => {
    const prior = Uint8Array.of(250, 240, 200, 10);
    // A hand (erased), the speaker (kept), a white shirt (white in frame and edit), background (erased).
    const frame = strip([200, 150, 120], [90, 60, 50], [250, 250, 250], [30, 90, 40]);
    const edit = strip([255, 255, 255], [90, 60, 50], [255, 255, 255], [255, 255, 255]);
    expect([...priorVeto(prior, edit, frame, 4, 1)]).toEqual([250, 0, 0, 10]);
  });

  it('rejects planes of another size', () => {
    expect(() => priorVeto(new Uint8Array(3), new Uint8Array(12), new Uint8Array(12), 4, 1)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });
});

describe('vetoPrior', () => {
  it('lowers the prior by the veto', () => {
    expect([...vetoPrior(Uint8Array.of(255, 200, 200, 0), Uint8Array.of(255, 0, 51, 255))]).toEqual([0, 200, 160, 0]);
  });

  it('rejects a veto of another size', () => {
    expect(() => vetoPrior(new Uint8Array(4), new Uint8Array(3))).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });
});

describe('applyPriorVeto', () => {
  it("lowers each frame's prior by its carried veto and drops the veto plane; other frames pass as they are", async () => {
    const guides = { [PERSON_PRIOR_GUIDE]: Uint8Array.of(255, 255), 'flow-alpha': Uint8Array.of(0, 255), [FLOW_VETO_PLANE]: Uint8Array.of(255, 0) };
    const vetoed = { ...makeFrame(0, 0, 2, 1, new Uint8Array(6)), guides };
    const plain = makeFrame(1, 0.1, 2, 1, new Uint8Array(6));
    const [a, b] = await lastValueFrom(of(vetoed, plain).pipe(applyPriorVeto(), toArray()));
    expect(Object.keys(a!.guides!).sort()).toEqual(['flow-alpha', PERSON_PRIOR_GUIDE]);
    expect([...a!.guides![PERSON_PRIOR_GUIDE]!]).toEqual([0, 255]);
    expect(a!.guides!['flow-alpha']).toBe(guides['flow-alpha']);
    expect(b).toBe(plain);
  });
});
