import type { VidganErrorCode } from '../../pipeline/errors';

/** `ok`; `warn`: works, but something is missing or unused; `fail`: vidgan cannot run as it is. */
export type CheckStatus = 'ok' | 'warn' | 'fail';

/** One thing `vidgan doctor` looked at. */
export interface DoctorCheck {
  /** Stable name: `ffmpeg`, `encoders`, `libtorch`, `cuda`, `threads`, `base-model`, `guided-base-model`. */
  readonly id: string;
  readonly status: CheckStatus;
  /** A required check that is not `ok` is `fail`; an optional one is at worst `warn`. */
  readonly required: boolean;
  /** What was found, in one line. */
  readonly summary: string;
  /** What to do, when the status is not `ok`. */
  readonly fix?: string;
  /** The error code a failed check stands for (the CLI's exit status comes from it). */
  readonly code?: VidganErrorCode;
  /** The facts behind the summary, for `--json`. */
  readonly details: Readonly<Record<string, unknown>>;
}

/** What `vidgan doctor` found: every check, and whether vidgan can run. */
export interface DoctorReport {
  /** False when a required check failed. */
  readonly ok: boolean;
  readonly checks: readonly DoctorCheck[];
}
