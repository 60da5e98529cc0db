import yargs, { type Argv, type CommandModule } from 'yargs';
import { batchCommand } from '../../../src/cli/commands/batch';
import { pretrainCommand } from '../../../src/cli/commands/pretrain';
import { processCommand } from '../../../src/cli/commands/process';
import { PRETRAIN_DEFAULTS } from '../../../src/drill/pretrain';
import { DRILL_DEFAULTS } from '../../../src/drill/train-drill';
import { DEFAULT_CROP, DEFAULT_FPS } from '../../../src/pipeline/default-sampling';
import { DEFAULT_CRF } from '../../../src/stages/encode-video';

/** The defaults a command's options show in --help and use when not given. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function defaultsOf(command: CommandModule<any, any>): Record<string, unknown> {
  const builder = command.builder as (y: Argv) => Argv;
  return (builder(yargs([])) as unknown as { getOptions(): { default: Record<string, unknown> } }).getOptions().default;
}

describe('CLI option defaults', () => {
  it("are the library's: one place for each default", () => {
    for (const command of [processCommand, batchCommand]) {
      expect(defaultsOf(command)).toMatchObject({
        crf: DEFAULT_CRF,
        fps: DEFAULT_FPS,
        crop: DEFAULT_CROP,
        'train-seconds': DRILL_DEFAULTS.trainSeconds,
        steps: DRILL_DEFAULTS.steps,
        'batch-size': DRILL_DEFAULTS.batchSize,
        seed: DRILL_DEFAULTS.seed,
      });
    }
    expect(defaultsOf(pretrainCommand)).toMatchObject({
      'pool-size': PRETRAIN_DEFAULTS.poolSize,
      seed: PRETRAIN_DEFAULTS.seed,
      steps: PRETRAIN_DEFAULTS.steps,
      'train-seconds': PRETRAIN_DEFAULTS.trainSeconds,
      'batch-size': PRETRAIN_DEFAULTS.batchSize,
    });
    expect(DEFAULT_CRF).toBe(18);
  });
});
