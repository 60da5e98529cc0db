import { InvalidOptionError } from '../../../../src/pipeline/errors';
import { parseQueueUrl, queueUrlOf } from '../../../../src/jobs/queue/parse-queue-url';

describe('parseQueueUrl', () => {
  it('reads host, port and database, with the defaults', () => {
    expect(parseQueueUrl('redis://10.0.0.5:6380/2')).toEqual({ host: '10.0.0.5', port: 6380, db: 2 });
    expect(parseQueueUrl('redis://queue.local')).toEqual({ host: 'queue.local', port: 6379, db: 0 });
    expect(parseQueueUrl('redis://[::1]:7000/')).toEqual({ host: '::1', port: 7000, db: 0 });
  });

  it('refuses other shapes, saying which one it expects', () => {
    for (const url of ['localhost:6379', 'http://127.0.0.1:6379', 'redis://user:secret@127.0.0.1', 'redis://127.0.0.1/x', 'redis://127.0.0.1/0?tls=1']) {
      expect(() => parseQueueUrl(url)).toThrow(InvalidOptionError);
      expect(() => parseQueueUrl(url)).toThrow(`Expected --queue redis://host:port[/db] (for example redis://127.0.0.1:6379/0) but received ${JSON.stringify(url)}`);
    }
  });
});

describe('queueUrlOf', () => {
  it('writes what parseQueueUrl reads', () => {
    for (const url of ['redis://127.0.0.1:6379/0', 'redis://[::1]:7000/3']) expect(queueUrlOf(parseQueueUrl(url))).toBe(url);
  });
});
