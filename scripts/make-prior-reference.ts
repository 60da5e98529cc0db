/**
 * Makes the person prior's reference fixture: frames, and the probability maps that MediaPipe's own
 * runtime (the WebAssembly + WebGL solution shipped in `@mediapipe/selfie_segmentation`) computes for
 * them in headless Chromium. test/native/person-prior.test.ts compares vidgan's port against these
 * maps, so CI needs neither Chromium nor the reference runtime.
 *
 * Usage: npx ts-node scripts/make-prior-reference.ts [outDir] [--frame NAME=VIDEO@SECONDS[@SIZE]]...
 * Default: fixtures/prior with frames of the synthetic examples/interview/clip.mp4 and of
 * fixtures/videos/clip-640x480.mp4 (run `npm run fixtures` first). Each frame is the centred square
 * crop, scaled to SIZE (default 256). `--frame` replaces the default list, e.g. to measure on real
 * footage into a folder outside the repository (real footage must not be copied into it).
 *
 * Writes NAME.png (the RGB frame), NAME.general.png and NAME.landscape.png (grey, probability x 255).
 */
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { chromiumPath } from '../test/integration/chromium';

interface FrameSpec {
  name: string;
  video: string;
  seconds: number;
  size: number;
}

const root = join(__dirname, '..');
const DEFAULT_FRAMES: FrameSpec[] = [
  { name: 'interview-05s', video: 'examples/interview/clip.mp4', seconds: 5, size: 256 },
  { name: 'interview-12s', video: 'examples/interview/clip.mp4', seconds: 12.5, size: 256 },
  { name: 'interview-21s', video: 'examples/interview/clip.mp4', seconds: 21, size: 256 },
  { name: 'interview-28s-400', video: 'examples/interview/clip.mp4', seconds: 28, size: 400 },
  { name: 'testsrc-01s', video: 'fixtures/videos/clip-640x480.mp4', seconds: 1, size: 256 },
];

const MODELS = [
  { name: 'general', selection: 0 },
  { name: 'landscape', selection: 1 },
] as const;

function parseArgs(argv: string[]): { outDir: string; frames: FrameSpec[] } {
  let outDir = join(root, 'fixtures', 'prior');
  const frames: FrameSpec[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--frame') {
      const match = /^([\w.-]+)=(.+?)@([\d.]+)(?:@(\d+))?$/.exec(argv[++i] ?? '');
      if (!match) throw new Error(`--frame takes NAME=VIDEO@SECONDS[@SIZE], not ${argv[i]}`);
      frames.push({ name: match[1]!, video: match[2]!, seconds: Number(match[3]), size: Number(match[4] ?? 256) });
    } else {
      outDir = argv[i]!;
    }
  }
  return { outDir, frames: frames.length ? frames : DEFAULT_FRAMES };
}

/** The centred square of the frame at `seconds`, scaled to size x size, as packed RGB. */
function grabFrame(spec: FrameSpec): Buffer {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const ffmpeg = (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;
  const video = spec.video.startsWith('/') ? spec.video : join(root, spec.video);
  const rgb = execFileSync(
    ffmpeg,
    // A still image has no time to seek to (ffmpeg then outputs nothing): seek only when seconds > 0.
    ['-v', 'error', ...(spec.seconds > 0 ? ['-ss', String(spec.seconds)] : []), '-i', video, '-frames:v', '1', '-vf',
      `crop='min(iw,ih)':'min(iw,ih)',scale=${spec.size}:${spec.size}:flags=bicubic`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'],
    { maxBuffer: 64 << 20 },
  );
  if (rgb.length !== spec.size * spec.size * 3) throw new Error(`${spec.video}@${spec.seconds}: got ${rgb.length} bytes`);
  return rgb;
}

/** The page: runs every frame through both models and posts each mask's RGBA pixels back. */
function page(frames: FrameSpec[]): string {
  return `<!doctype html><html><body><script src="/mp/selfie_segmentation.js"></script><script>
const frames = ${JSON.stringify(frames.map((f) => ({ name: f.name, size: f.size })))};
const models = ${JSON.stringify(MODELS)};
const post = (path, body) => fetch(path, { method: 'POST', body });
// The mask's bytes as stored, through a WebGL texture: a 2D canvas would premultiply by alpha and round.
function readMask(mask, size) {
  if (mask.width !== size || mask.height !== size) throw new Error('mask of ' + mask.width + 'x' + mask.height + ', expected ' + size);
  const gl = document.createElement('canvas').getContext('webgl2', { premultipliedAlpha: false });
  gl.pixelStorei(gl.UNPACK_PREMULTIPLY_ALPHA_WEBGL, false);
  gl.pixelStorei(gl.UNPACK_COLORSPACE_CONVERSION_WEBGL, gl.NONE);
  const texture = gl.createTexture();
  gl.bindTexture(gl.TEXTURE_2D, texture);
  gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA, gl.RGBA, gl.UNSIGNED_BYTE, mask);
  gl.bindFramebuffer(gl.FRAMEBUFFER, gl.createFramebuffer());
  gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, texture, 0);
  const pixels = new Uint8Array(size * size * 4);
  gl.readPixels(0, 0, size, size, gl.RGBA, gl.UNSIGNED_BYTE, pixels);
  return pixels;
}
window.onerror = (m) => post('/log', 'error: ' + m);
(async () => {
  try {
    for (const model of models) {
      const solution = new SelfieSegmentation({ locateFile: (file) => '/mp/' + file });
      solution.setOptions({ modelSelection: model.selection, selfieMode: false });
      let mask;
      solution.onResults((results) => { mask = results.segmentationMask; });
      await solution.initialize();
      for (const frame of frames) {
        const rgb = new Uint8Array(await (await fetch('/frame/' + frame.name)).arrayBuffer());
        const input = document.createElement('canvas');
        input.width = input.height = frame.size;
        const image = new ImageData(frame.size, frame.size);
        for (let i = 0; i < frame.size * frame.size; i++) {
          image.data.set([rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2], 255], 4 * i);
        }
        input.getContext('2d').putImageData(image, 0, 0);
        // Each frame alone: no smoothing with the previous one.
        solution.reset();
        mask = undefined;
        await solution.send({ image: input });
        if (!mask) throw new Error('no mask for ' + frame.name);
        await post('/mask/' + model.name + '/' + frame.name, readMask(mask, frame.size));
      }
      await solution.close();
    }
    await post('/done', '');
  } catch (e) {
    await post('/log', 'error: ' + (e && e.stack || e));
    await post('/done', '');
  }
})();
</script></body></html>`;
}

function body(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Serves the page, the package's files and the frames; collects masks until the page says done. */
async function runReference(frames: FrameSpec[], rgb: Map<string, Buffer>): Promise<Map<string, Buffer>> {
  const packageDir = dirname(require.resolve('@mediapipe/selfie_segmentation/package.json'));
  const masks = new Map<string, Buffer>();
  const logs: string[] = [];
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const server = createServer(async (req, res) => {
    const url = req.url ?? '/';
    if (req.method === 'POST') {
      const data = await body(req);
      if (url.startsWith('/mask/')) masks.set(url.slice('/mask/'.length), data);
      else if (url === '/log') logs.push(data.toString());
      else if (url === '/done') finish();
      res.end();
      return;
    }
    if (url === '/') {
      res.setHeader('content-type', 'text/html');
      res.end(page(frames));
    } else if (url.startsWith('/frame/')) {
      res.end(rgb.get(url.slice('/frame/'.length)));
    } else if (url.startsWith('/mp/') && !url.includes('..')) {
      const file = join(packageDir, url.slice('/mp/'.length).split('?')[0]!);
      res.setHeader('content-type', file.endsWith('.wasm') ? 'application/wasm' : file.endsWith('.js') ? 'text/javascript' : 'application/octet-stream');
      try {
        res.end(readFileSync(file));
      } catch {
        res.statusCode = 404;
        res.end();
      }
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const profile = mkdtempSync(join(tmpdir(), 'vidgan-prior-'));
  // WebGL2 through SwiftShader: the solution's graph runs on the GPU API, so --disable-gpu would break it.
  const browser = spawn(
    chromiumPath(),
    ['--headless', '--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', `--user-data-dir=${profile}`, `http://127.0.0.1:${port}/`],
    { stdio: 'ignore' },
  );
  const timeout = setTimeout(() => {
    logs.push('error: timed out after 300 s');
    finish();
  }, 300_000);
  await finished;
  clearTimeout(timeout);
  const exited = new Promise((resolve) => browser.once('exit', resolve));
  browser.kill();
  await exited;
  server.close();
  rmSync(profile, { recursive: true, force: true });
  for (const line of logs) console.log(`page: ${line}`);
  if (logs.some((l) => l.startsWith('error'))) throw new Error('the reference runtime failed');
  return masks;
}

async function main(): Promise<void> {
  const { outDir, frames } = parseArgs(process.argv.slice(2));
  mkdirSync(outDir, { recursive: true });
  const rgb = new Map(frames.map((f) => [f.name, grabFrame(f)]));
  const masks = await runReference(frames, rgb);
  for (const frame of frames) {
    const raw = { width: frame.size, height: frame.size };
    await sharp(rgb.get(frame.name)!, { raw: { ...raw, channels: 3 } }).png().toFile(join(outDir, `${frame.name}.png`));
    for (const model of MODELS) {
      const rgba = masks.get(`${model.name}/${frame.name}`);
      if (!rgba || rgba.length !== frame.size * frame.size * 4) throw new Error(`no ${model.name} mask for ${frame.name}`);
      // The solution's mask is (p, 0, 0, p): probability in red and alpha. Check that, keep red.
      for (let i = 0; i < rgba.length; i += 4) {
        if (rgba[i] !== rgba[i + 3]) throw new Error(`${model.name}/${frame.name}: red ${rgba[i]} and alpha ${rgba[i + 3]} differ at pixel ${i / 4}`);
      }
      const grey = Buffer.alloc(frame.size * frame.size);
      for (let i = 0; i < grey.length; i++) grey[i] = rgba[4 * i]!;
      await sharp(grey, { raw: { ...raw, channels: 1 } }).png().toFile(join(outDir, `${frame.name}.${model.name}.png`));
    }
    console.log(`${frame.name}: ${frame.video} at ${frame.seconds} s, ${frame.size}x${frame.size}`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
