import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  bfloat16ToFloat32,
  float16ToFloat32,
  float32ToBfloat16,
  float32ToFloat16,
  readSafetensors,
  writeSafetensors,
} from '../../src/gan/safetensors';

describe('writeSafetensors', () => {
  it('writes the layout Python safetensors reads: u64 LE header length, JSON header, aligned raw data', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vidgan-st-'));
    const file = path.join(dir, 't.safetensors');
    const values = new Float32Array([1.5, -2, 3.25]);
    await writeSafetensors(file, [{ name: 'a.b', dtype: 'F32', shape: [3], bytes: new Uint8Array(values.buffer) }], { k: 'v' });
    const raw = await fs.readFile(file);
    const headerLength = Number(raw.readBigUInt64LE(0));
    expect((8 + headerLength) % 8).toBe(0);
    const header = JSON.parse(raw.subarray(8, 8 + headerLength).toString('utf8'));
    expect(header).toEqual({ __metadata__: { k: 'v' }, 'a.b': { dtype: 'F32', shape: [3], data_offsets: [0, 12] } });
    expect(raw.readFloatLE(8 + headerLength + 4)).toBe(-2);
    const back = await readSafetensors(file);
    expect(back.header.metadata).toEqual({ k: 'v' });
    expect(Array.from(new Float32Array((back.bytes.get('a.b') as Uint8Array).slice().buffer))).toEqual([1.5, -2, 3.25]);
    await fs.rm(dir, { recursive: true, force: true });
  });
});

describe('float32ToFloat16', () => {
  it('rounds to the nearest half and back', () => {
    const values = new Float32Array([0, 1, -2.5, 0.02, 65504, 1e-7, 70000, -Infinity]);
    const back = float16ToFloat32(float32ToFloat16(values));
    expect(Array.from(float32ToFloat16(new Float32Array([1, -2, 65504])))).toEqual([0x3c00, 0xc000, 0x7bff]);
    expect(back[2]).toBe(-2.5);
    expect(Math.abs(back[3] - 0.02)).toBeLessThan(0.02 * 2 ** -11);
    // Subnormal: the nearest multiple of 2^-24.
    expect(back[5]).toBe(2 * 2 ** -24);
    expect(back[6]).toBe(Infinity);
    expect(back[7]).toBe(-Infinity);
  });
});

describe('float32ToBfloat16', () => {
  it('keeps the upper 16 bits, rounded to nearest even', () => {
    const values = new Float32Array([1, -3.140625, 0.02]);
    const back = bfloat16ToFloat32(float32ToBfloat16(values));
    expect(back[0]).toBe(1);
    expect(back[1]).toBe(-3.140625);
    expect(Math.abs(back[2] - 0.02)).toBeLessThan(0.02 * 2 ** -8);
  });
});
