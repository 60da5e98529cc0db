import { UnrecoverableError } from 'bullmq';
import { parseFailedReason, queueError } from '../../../../src/jobs/queue/queue-error';
import { BadInputError, FfmpegError, OutputExistsError } from '../../../../src/pipeline/errors';

describe('queueError', () => {
  it('fails a final code at once and retries the others, the code leading the reason', () => {
    const bad = queueError(new BadInputError('a.mp4 is not a video ffmpeg can read'));
    expect(bad).toBeInstanceOf(UnrecoverableError);
    expect(bad.message).toBe('BAD_INPUT: a.mp4 is not a video ffmpeg can read');
    expect(queueError(new OutputExistsError('out/a.mp4 already exists.'))).toBeInstanceOf(UnrecoverableError);
    const crash = queueError(new FfmpegError('ffmpeg exited with 1', { command: ['ffmpeg'], exitCode: 1, stderrTail: '' }));
    expect(crash).not.toBeInstanceOf(UnrecoverableError);
    expect(crash.message).toMatch(/^FFMPEG_FAILED: ffmpeg exited with 1/);
    expect(queueError(new TypeError('x is undefined')).message).toBe('UNEXPECTED: x is undefined');
  });
});

describe('parseFailedReason', () => {
  it('splits what queueError wrote, and calls anything else unexpected', () => {
    expect(parseFailedReason('BAD_INPUT: a.mp4: not a video')).toEqual({ code: 'BAD_INPUT', message: 'a.mp4: not a video' });
    expect(parseFailedReason('job stalled more than allowable limit')).toEqual({ code: 'UNEXPECTED', message: 'job stalled more than allowable limit' });
  });
});
