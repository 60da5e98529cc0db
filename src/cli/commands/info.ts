import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { Pix2Pix } from '../../gan/pix2pix';
import { describeArchitecture } from '../../gan/model-options';

/** Arguments of `vidgan info`. */
export interface InfoArgs {
  readonly checkpoint: string;
  readonly json: boolean;
}

/** `vidgan info <checkpoint>`: prints a checkpoint's architecture, step and how it was made. */
export const infoCommand: CommandModule<object, InfoArgs> = {
  command: 'info <checkpoint>',
  describe: "Print a checkpoint's architecture, step count and how it was made",
  builder: (yargs: Argv) =>
    yargs
      .positional('checkpoint', { type: 'string', demandOption: true, describe: 'A .safetensors checkpoint' })
      .option('json', { type: 'boolean', default: false, describe: 'Print JSON' }) as unknown as Argv<InfoArgs>,
  handler: async (argv: ArgumentsCamelCase<InfoArgs>) => {
    const info = await Pix2Pix.readCheckpointInfo(argv.checkpoint);
    if (argv.json) {
      process.stdout.write(`${JSON.stringify(info, null, 2)}\n`);
      return;
    }
    const lines = [
      `${info.path}: ${info.kind} checkpoint, ${(info.fileBytes / 1e6).toFixed(1)} MB, weights ${info.weightDtype}`,
      `architecture: ${describeArchitecture(info.options)}`,
      `steps: ${info.step}   seed: ${info.seed}   format: ${info.format}`,
      ...Object.entries(info.metadata).map(([k, v]) => `${k}: ${v}`),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  },
};
