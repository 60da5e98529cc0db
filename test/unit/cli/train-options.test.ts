import yargs from 'yargs';
import { drillOptions, guideOptions, TRAIN_OPTIONS } from '../../../src/cli/train-options';

describe('guideOptions', () => {
  it('reads the guides, the alpha guide and the prior veto as the jobs take them', () => {
    expect(guideOptions({ guides: 'person-prior, flow-alpha', alphaGuide: 'flow-alpha' })).toEqual({
      guides: ['person-prior', 'flow-alpha'],
      alphaPriorGuide: 'flow-alpha',
    });
    expect(guideOptions({ guides: 'person-prior, flow-alpha', alphaGuide: 'flow-alpha', priorVeto: true })).toEqual({
      guides: ['person-prior', 'flow-alpha'],
      alphaPriorGuide: 'flow-alpha',
      priorVeto: true,
    });
    expect(guideOptions({ guides: 'none', alphaGuide: 'none', priorVeto: false })).toEqual({ guides: [], alphaPriorGuide: null, priorVeto: false });
  });

  it('tells --prior-veto given from left out, so that a model applied again keeps what it was trained with unless told', () => {
    const parse = (argv: string[]) => yargs(argv).options(TRAIN_OPTIONS).parseSync().priorVeto;
    expect(parse([])).toBeUndefined();
    expect(parse(['--prior-veto'])).toBe(true);
    expect(parse(['--no-prior-veto'])).toBe(false);
  });

  it('passes painting on only when it is turned off (queued jobs keep their ids)', () => {
    expect(guideOptions({ guides: 'none', alphaGuide: 'none', paint: true })).toEqual({ guides: [], alphaPriorGuide: null });
    expect(guideOptions({ guides: 'none', alphaGuide: 'none', paint: false })).toEqual({ guides: [], alphaPriorGuide: null, paint: false });
  });

  it('passes dropping strays on only when it is turned off (queued jobs keep their ids)', () => {
    expect(guideOptions({ guides: 'none', alphaGuide: 'none', dropStrays: true })).toEqual({ guides: [], alphaPriorGuide: null });
    expect(guideOptions({ guides: 'none', alphaGuide: 'none', dropStrays: false })).toEqual({ guides: [], alphaPriorGuide: null, dropStrays: false });
  });

  it('passes the round trip on only when it is given (queued jobs keep their ids)', () => {
    expect(guideOptions({ guides: 'none', alphaGuide: 'none' })).toEqual({ guides: [], alphaPriorGuide: null });
    expect(guideOptions({ guides: 'none', alphaGuide: 'none', roundTrip: 3 })).toEqual({ guides: [], alphaPriorGuide: null, roundTrip: 3 });
    expect(guideOptions({ guides: 'none', alphaGuide: 'none', roundTrip: 0 })).toEqual({ guides: [], alphaPriorGuide: null, roundTrip: 0 });
  });

  it('passes the frames beside the picks on only when given (queued jobs keep their ids)', () => {
    expect(guideOptions({ guides: 'none', alphaGuide: 'none', neighbours: 0 })).toEqual({ guides: [], alphaPriorGuide: null, neighbours: 0 });
    expect(guideOptions({ guides: 'none', alphaGuide: 'none', neighbours: 1 })).toEqual({ guides: [], alphaPriorGuide: null, neighbours: 1 });
  });
});

describe('drillOptions', () => {
  it('passes the learning rate on only when it is given (queued jobs keep their ids)', () => {
    const args = { trainSeconds: 150, steps: 1500, batchSize: 2, seed: 0, alphaLoss: 10 };
    expect(drillOptions(args)).toEqual(args);
    expect(drillOptions({ ...args, learningRate: 1e-4 })).toEqual({ ...args, learningRate: 1e-4 });
  });
});
