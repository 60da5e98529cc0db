import { access, constants } from 'node:fs/promises';
import { readCheckpointInfo } from '../../gan/checkpoint';
import { defaultBasePath } from '../../gan/default-base';
import type { DoctorCheck } from './doctor-check';

const FIX =
  'Reinstall vidgan to restore it (npm ci in a clone, npm install vidgan otherwise); meanwhile `vidgan process` can start ' +
  'from another checkpoint (--base <file>) or from scratch (--base none).';

/**
 * Checks a bundled base checkpoint that drill training starts from (`models/base.safetensors`, or the
 * guided base, {@link defaultBasePath}): present, readable, and a vidgan checkpoint whose header and
 * sizes agree. `id` names the check (`base-model`, `guided-base-model`).
 *
 * @example
 * const check = await checkBaseModel();
 */
export async function checkBaseModel(path: string = defaultBasePath(), id = 'base-model'): Promise<DoctorCheck> {
  try {
    await access(path, constants.R_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'is missing' : `cannot be read (${code ?? String(error)})`;
    return { id, status: 'fail', required: true, summary: `The bundled base checkpoint ${path} ${why}.`, fix: FIX, code: 'CHECKPOINT_INVALID', details: { path } };
  }
  try {
    const info = await readCheckpointInfo(path);
    const made = info.metadata.made_by === undefined ? '' : `, made by ${info.metadata.made_by.split(' ').slice(0, 2).join(' ')}`;
    return {
      id,
      status: 'ok',
      required: true,
      summary: `${path}: ${info.kind} checkpoint, ${(info.fileBytes / 1e6).toFixed(1)} MB, preset ${info.options.preset ?? 'custom'}, ${info.step} steps${made}.`,
      details: { path, kind: info.kind, fileBytes: info.fileBytes, step: info.step, preset: info.options.preset ?? null },
    };
  } catch (error) {
    return {
      id,
      status: 'fail',
      required: true,
      summary: `The bundled base checkpoint ${path} is damaged: ${(error as Error).message}`,
      fix: FIX,
      code: 'CHECKPOINT_INVALID',
      details: { path },
    };
  }
}
