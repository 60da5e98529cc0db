import { batchExitCode } from '../../../src/cli/batch-exit-code';
import { makeBatchJob } from '../../../src/jobs/batch/batch-job';
import type { BatchJobResult } from '../../../src/jobs/batch/run-batch';

const job = makeBatchJob({ video: '/v/a.mp4', out: '/o/a.mp4', model: '/m' });
const failed = (code: string): BatchJobResult => ({ job, state: 'failed', error: { code, message: '…' } });

describe('batchExitCode', () => {
  it('is 0 without failures, the shared code of the failures, else 1', () => {
    expect(batchExitCode({ failed: [] })).toBe(0);
    expect(batchExitCode({ failed: [failed('BAD_INPUT')] })).toBe(3);
    expect(batchExitCode({ failed: [failed('FFMPEG_FAILED'), failed('FFMPEG_FAILED')] })).toBe(4);
    expect(batchExitCode({ failed: [failed('BAD_INPUT'), failed('CHECKPOINT_INVALID')] })).toBe(1);
    expect(batchExitCode({ failed: [failed('UNEXPECTED')] })).toBe(1);
  });
});
