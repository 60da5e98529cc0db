import { makeBatchJob } from '../../../../src/jobs/batch/batch-job';
import { jobsFromVideos } from '../../../../src/jobs/batch/jobs-from-videos';
import { outputNameFor } from '../../../../src/jobs/batch/output-name';
import { InvalidOptionError } from '../../../../src/pipeline/errors';

describe('outputNameFor', () => {
  it('puts <name>.mp4 in the folder', () => {
    expect(outputNameFor('/talks/week-1.mov', 'out')).toBe('out/week-1.mp4');
    expect(outputNameFor('a.b.mp4', '/o')).toBe('/o/a.b.mp4');
  });
});

describe('jobsFromVideos', () => {
  it('makes one job per video with the shared model', () => {
    const jobs = jobsFromVideos(['/t/a.mp4', '/t/b.mov'], { outDir: '/out', model: '/m.safetensors' });
    expect(jobs).toEqual([
      makeBatchJob({ video: '/t/a.mp4', out: '/out/a.mp4', model: '/m.safetensors' }),
      makeBatchJob({ video: '/t/b.mov', out: '/out/b.mp4', model: '/m.safetensors' }),
    ]);
    expect(jobs[0]?.id).not.toBe(jobs[1]?.id);
  });

  it('refuses two videos that map to the same output, naming both', () => {
    const run = () => jobsFromVideos(['/a/talk.mp4', '/b/other.mp4', '/b/talk.mov'], { outDir: '/out', model: '/m' });
    expect(run).toThrow(InvalidOptionError);
    expect(run).toThrow(/^\/a\/talk\.mp4 and \/b\/talk\.mov would both be written to \/out\/talk\.mp4\. Rename one/);
  });
});
