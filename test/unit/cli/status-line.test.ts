import { statusLine } from '../../../src/cli/status-line';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  const stream = { isTTY, write: (s: string) => writes.push(s) > 0 } as unknown as NodeJS.WriteStream;
  return { stream, writes };
}

describe('statusLine', () => {
  it('throttles redraws but ends on the newest text', () => {
    const { stream, writes } = fakeStream(true);
    const line = statusLine({ stream });
    line.draw('1/3');
    line.draw('2/3');
    line.draw('3/3');
    line.end();
    expect(writes).toEqual(['\r\x1b[2K1/3', '\r\x1b[2K3/3', '\n']);
  });

  it('stays silent when the stream is not a terminal, unless forced', () => {
    const quiet = fakeStream(false);
    statusLine({ stream: quiet.stream }).draw('x');
    expect(quiet.writes).toEqual([]);
    const forced = fakeStream(false);
    const line = statusLine({ stream: forced.stream, force: true });
    line.draw('x');
    line.end();
    expect(forced.writes).toEqual(['x\n']);
  });
});
