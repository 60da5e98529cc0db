/**
 * The sampling rate vidgan decodes at unless told (`--fps`, `fps`): 10 frames per second, enough
 * for talking-head footage and a quarter of the work of 40 fps. Frame numbers in picks files refer to it.
 */
export const DEFAULT_FPS = 10;

/**
 * The side of the centre square the jobs (`vidgan extract`, `process`, `batch`, `processVideo`,
 * `loadPicks`) keep unless told (`--crop`, `crop`): 400 pixels, which holds a head and shoulders and
 * leaves room for the drill's 256-pixel patches. `decodeVideo` itself keeps full frames without `crop`.
 */
export const DEFAULT_CROP = 400;
