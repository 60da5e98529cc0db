/**
 * Typed, coded errors shared by every part of vidgan.
 *
 * Each error has a stable `code` (for programs and the CLI's exit codes) and a message that says
 * what happened, the rule, and the fix. The original error is kept as `cause`.
 */

/** Stable error codes. The CLI maps each to an exit code. */
export type VidganErrorCode =
  | 'INVALID_OPTION'
  | 'BAD_INPUT'
  | 'FFMPEG_FAILED'
  | 'ENGINE_LOAD_FAILED'
  | 'ENGINE_ERROR'
  | 'TRAINING_DIVERGED'
  | 'CHECKPOINT_INVALID'
  | 'OUTPUT_EXISTS'
  | 'OUTPUT_FAILED'
  | 'CANCELLED';

/** Base class of every error vidgan throws or emits. */
export class VidganError extends Error {
  /** A stable machine-readable code. */
  readonly code: VidganErrorCode;

  constructor(code: VidganErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** An option or argument is outside its rule. Raised when a stage or command is built, before work starts. */
export class InvalidOptionError extends VidganError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('INVALID_OPTION', message, options);
  }
}

/** An input file (video, image, picks file, folder) is missing, unreadable or malformed. */
export class BadInputError extends VidganError {
  /** The path of the offending file, when there is one. */
  readonly path?: string;

  constructor(message: string, options?: { cause?: unknown; path?: string }) {
    super('BAD_INPUT', message, options);
    this.path = options?.path;
  }
}

/** ffmpeg could not start, or exited with an error. Carries the command and the tail of stderr. */
export class FfmpegError extends VidganError {
  readonly command: readonly string[];
  readonly exitCode: number | null;
  readonly stderrTail: string;

  constructor(
    message: string,
    details: { command: readonly string[]; exitCode: number | null; stderrTail: string },
    options?: { cause?: unknown },
  ) {
    super('FFMPEG_FAILED', message, options);
    this.command = details.command;
    this.exitCode = details.exitCode;
    this.stderrTail = details.stderrTail;
  }
}

/** The native engine (the libtorch addon) could not be loaded. */
export class EngineLoadError extends VidganError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ENGINE_LOAD_FAILED', message, options);
  }
}

/** The native engine reported an error (a libtorch exception, a bad shape, an unavailable device). */
export class EngineError extends VidganError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ENGINE_ERROR', message, options);
  }
}

/** A checkpoint file is missing, truncated, foreign or of another architecture. */
export class CheckpointError extends VidganError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CHECKPOINT_INVALID', message, options);
  }
}

/** Training produced a non-finite or exploding loss and was stopped. */
export class TrainingDivergedError extends VidganError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('TRAINING_DIVERGED', message, options);
  }
}

/** An output path exists and overwriting was not asked for. */
export class OutputExistsError extends VidganError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('OUTPUT_EXISTS', message, options);
  }
}

/** An output could not be written (disk full, permission denied, read-only file system). */
export class OutputError extends VidganError {
  /** The file that could not be written. */
  readonly path?: string;
  /** The operating system's error code (`ENOSPC`, `EACCES`, …), when there was one. */
  readonly errno?: string;

  constructor(message: string, options?: { cause?: unknown; path?: string; errno?: string }) {
    super('OUTPUT_FAILED', message, options);
    this.path = options?.path;
    this.errno = options?.errno;
  }
}

/** Work was cancelled (unsubscribe, AbortSignal, Ctrl-C). */
export class CancelledError extends VidganError {
  constructor(message = 'Cancelled.', options?: { cause?: unknown }) {
    super('CANCELLED', message, options);
  }
}
