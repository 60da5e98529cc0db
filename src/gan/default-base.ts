import { join } from 'node:path';

/**
 * The path of the background-erasure base checkpoint that ships with vidgan
 * (`models/base.safetensors` in the package), the default starting point of drill training.
 * `vidgan info` on it prints how it was made.
 *
 * @example
 * const model = await Pix2Pix.load(defaultBasePath());
 */
export function defaultBasePath(): string {
  // Both src/gan (ts-node, tests) and dist/gan (the built package) are two folders below the root.
  return join(__dirname, '..', '..', 'models', 'base.safetensors');
}
