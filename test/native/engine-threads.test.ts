import { promises as fs } from 'fs';
import { loadBinding, type NativeModelOptions } from '../../src/gan/binding';
import { resolveModelOptions } from '../../src/gan/model-options';
import { nativeOptions } from '../../src/gan/native-options';
import { Pix2Pix } from '../../src/gan/pix2pix';

const FAST = nativeOptions(resolveModelOptions({ preset: 'fast' }), { device: 'cpu', threads: 1, seed: 1 });

/** The error `fn` throws (native errors come from another realm in jest, so no instanceof). */
function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a throw');
}

describe('createModel (native options)', () => {
  const binding = loadBinding();

  it('names a missing key instead of falling back to a default', () => {
    const { ngf: _, ...missing } = FAST;
    const err = thrown(() => binding.createModel(missing as NativeModelOptions));
    expect(err.name).toBe('TypeError');
    expect(err.message).toBe('model options: missing key ngf');
  });

  it('names an unknown key', () => {
    const err = thrown(() => binding.createModel({ ...FAST, preset: 'fast' } as NativeModelOptions));
    expect(err.name).toBe('TypeError');
    expect(err.message).toBe('model options: unknown key preset');
  });

  it('names a value outside its choices or type', () => {
    let err = thrown(() => binding.createModel({ ...FAST, norm: 'group' } as unknown as NativeModelOptions));
    expect(err.message).toBe("model options: norm must be one of batch, instance, none but is 'group'");
    err = thrown(() => binding.createModel({ ...FAST, depth: '5' } as unknown as NativeModelOptions));
    expect(err.message).toBe('model options: depth must be a number');
    err = thrown(() => binding.createModel({ ...FAST, guideCount: 1, alphaPriorGuide: 1 }));
    expect(err.name).toBe('RangeError');
    expect(err.message).toBe('model options: alphaPriorGuide must be -1 or the index of one of the guideCount guides');
  });

  it('has no constructor to call around createModel', () => {
    expect((binding as unknown as Record<string, unknown>).Model).toBeUndefined();
  });
});

describe('the engine thread', () => {
  it('builds a model off the JavaScript thread: the event loop keeps turning meanwhile', async () => {
    let turns = 0;
    let building = true;
    const turn = () => {
      if (!building) return;
      turns++;
      setImmediate(turn);
    };
    setImmediate(turn);
    // About 14M generator parameters: built on the JavaScript thread, no turn could happen before it resolves.
    const model = await Pix2Pix.create({ preset: 'fast', ngf: 32, depth: 8, threads: 1 });
    building = false;
    expect(turns).toBeGreaterThan(0);
    model.dispose();
  });

  it('leaves the libuv pool free while it works: file reads finish before the first of four engine calls', async () => {
    const poolSize = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
    const native = await loadBinding().createModel({ ...FAST, ngf: 32 });
    const side = 384;
    const frames = new Uint8Array(2 * side * side * 3).map((_, i) => (i * 31) % 251);
    const order: string[] = [];
    // One engine call per pool thread: were each to wait on a pool thread, no file read could start
    // before the first of them finished.
    const calls = Array.from({ length: poolSize }, (_, i) =>
      native.generate(frames, null, 2, side, side, false).then(() => order.push(`generate ${i}`)),
    );
    const reads = Array.from({ length: 4 }, (_, i) => fs.readFile(__filename).then(() => order.push(`read ${i}`)));
    await Promise.all([...calls, ...reads]);
    expect(order.slice(0, 4).sort()).toEqual(['read 0', 'read 1', 'read 2', 'read 3']);
    expect(order.slice(4)).toEqual(Array.from({ length: poolSize }, (_, i) => `generate ${i}`));
    native.dispose();
  });

  it('imports weights on the engine thread and resolves when they are in', async () => {
    const a = await Pix2Pix.create({ preset: 'fast', ngf: 8, depth: 4, threads: 1, seed: 1 });
    const b = await Pix2Pix.create({ preset: 'fast', ngf: 8, depth: 4, threads: 1, seed: 2 });
    const frame = new Uint8Array(32 * 32 * 3).map((_, i) => (i * 13) % 256);
    const before = (await b.generate(frame, 1, 32, 32)).rgb;
    const dir = await fs.mkdtemp('/tmp/vidgan-import-');
    await a.save(`${dir}/a.safetensors`);
    await b.loadCheckpoint(`${dir}/a.safetensors`);
    const after = (await b.generate(frame, 1, 32, 32)).rgb;
    expect(Buffer.compare(after, (await a.generate(frame, 1, 32, 32)).rgb)).toBe(0);
    expect(Buffer.compare(after, before)).not.toBe(0);
    a.dispose();
    b.dispose();
    await fs.rm(dir, { recursive: true, force: true });
  });
});
