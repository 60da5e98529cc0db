import { type BatchJob, makeBatchJob } from './batch-job';
import { checkDistinctOutputs, outputNameFor } from './output-name';

/** Options of {@link jobsFromVideos}. */
export interface JobsFromVideosOptions {
  /** The output folder: each video is written to `<outDir>/<video name>.mp4`. */
  readonly outDir: string;
  /** The trained model applied to every video. */
  readonly model: string;
  /** The outputs' extension, with its dot (default `.mp4`; `''` for folders of PNGs). */
  readonly suffix?: string;
}

/**
 * One job per video, all applying the same model, each written to `<outDir>/<video name>.mp4`.
 *
 * @example
 * jobsFromVideos(await expandVideos(['talks/']), { outDir: 'out', model: 'model.safetensors' });
 * @throws {InvalidOptionError} when two videos would get the same output name (`a/x.mp4`, `b/x.mov`).
 */
export function jobsFromVideos(videos: readonly string[], options: JobsFromVideosOptions): BatchJob[] {
  const jobs = videos.map((video) => makeBatchJob({ video, out: outputNameFor(video, options.outDir, options.suffix), model: options.model }));
  checkDistinctOutputs(jobs);
  return jobs;
}
