import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';

/** What a page did in headless Chromium. */
export interface PageCheck {
  /** `document.readyState` after the load event ('complete' when the page loaded). */
  readyState: string;
  images: number;
  /** `src` of every image that did not load (not complete, or naturalWidth 0). */
  brokenImages: string[];
  svgs: number;
  /** Console calls, uncaught exceptions and browser log entries (failed loads, blocked resources) at any level. */
  consoleMessages: string[];
}

/** Debian's chromium (installed by .ci/run); CHROMIUM_PATH overrides. */
export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p)) ?? 'chromium';
}

interface CdpMessage {
  id?: number;
  method?: string;
  sessionId?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { message: string };
}

const INSPECT = `(() => {
  const images = [...document.images];
  return {
    readyState: document.readyState,
    images: images.length,
    brokenImages: images.filter((i) => !(i.complete && i.naturalWidth > 0)).map((i) => i.getAttribute('src')),
    svgs: document.querySelectorAll('svg').length,
  };
})()`;

/**
 * Opens an HTML file in headless Chromium (throwaway profile, no network services) over the DevTools
 * protocol on a pipe (no dependency), waits for the load event, and reports whether the page loaded,
 * which images failed, and every console message, exception and browser log entry.
 */
export async function checkPage(htmlPath: string, timeoutMs = 60_000): Promise<PageCheck> {
  const profile = mkdtempSync(join(tmpdir(), 'vidgan-chromium-'));
  const child = spawn(
    chromiumPath(),
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${profile}`,
      '--remote-debugging-pipe',
      'about:blank',
    ],
    // Its own process group, so that its renderer and utility processes are killed with it.
    { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'], detached: true },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const toBrowser = child.stdio[3] as Writable;
  const fromBrowser = child.stdio[4] as Readable;
  const pending = new Map<number, { resolve: (m: CdpMessage) => void; reject: (e: Error) => void }>();
  const listeners: Array<(m: CdpMessage) => void> = [];
  let buffer = '';
  let nextId = 1;
  fromBrowser.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let end: number;
    while ((end = buffer.indexOf('\0')) >= 0) {
      const message = JSON.parse(buffer.slice(0, end)) as CdpMessage;
      buffer = buffer.slice(end + 1);
      if (message.id !== undefined) {
        const waiter = pending.get(message.id);
        pending.delete(message.id);
        if (message.error) waiter?.reject(new Error(message.error.message));
        else waiter?.resolve(message);
      } else {
        for (const listener of listeners) listener(message);
      }
    }
  });
  const send = (method: string, params: Record<string, unknown> = {}, sessionId?: string) =>
    new Promise<CdpMessage>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      toBrowser.write(`${JSON.stringify({ id, method, params, sessionId })}\0`);
    });
  const exited = new Promise<never>((_, reject) =>
    child.on('exit', (code) => reject(new Error(`Chromium exited (${code}) early:\n${stderr}`))),
  );
  const failed = new Promise<never>((_, reject) =>
    child.on('error', (error) => reject(new Error(`Cannot run ${chromiumPath()} (${error.message}); install Debian's chromium package.`))),
  );
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Chromium did not load ${htmlPath} within ${timeoutMs} ms:\n${stderr}`)), timeoutMs);
  });

  const run = async (): Promise<PageCheck> => {
    const consoleMessages: string[] = [];
    const { result: target } = await send('Target.createTarget', { url: 'about:blank' });
    const { result: attached } = await send('Target.attachToTarget', { targetId: target!.targetId, flatten: true });
    const sessionId = attached!.sessionId as string;
    let loaded: () => void = () => undefined;
    const loadFired = new Promise<void>((resolve) => (loaded = resolve));
    listeners.push((m) => {
      if (m.sessionId !== sessionId) return;
      const p = m.params ?? {};
      if (m.method === 'Page.loadEventFired') loaded();
      if (m.method === 'Runtime.consoleAPICalled') {
        const args = (p.args as Array<{ value?: unknown; description?: string }>).map((a) => String(a.value ?? a.description));
        consoleMessages.push(`console.${String(p.type)}: ${args.join(' ')}`);
      }
      if (m.method === 'Runtime.exceptionThrown') consoleMessages.push(`exception: ${JSON.stringify(p.exceptionDetails)}`);
      if (m.method === 'Log.entryAdded') {
        const entry = p.entry as { level: string; text: string; url?: string };
        consoleMessages.push(`${entry.level}: ${entry.text}${entry.url ? ` (${entry.url})` : ''}`);
      }
    });
    await send('Page.enable', {}, sessionId);
    await send('Runtime.enable', {}, sessionId);
    await send('Log.enable', {}, sessionId);
    await send('Page.navigate', { url: pathToFileURL(resolve(htmlPath)).href }, sessionId);
    await loadFired;
    const { result } = await send('Runtime.evaluate', { expression: INSPECT, returnByValue: true }, sessionId);
    const value = (result!.result as { value: Omit<PageCheck, 'consoleMessages'> }).value;
    return { ...value, consoleMessages };
  };
  try {
    return await Promise.race([run(), exited, failed, timeout]);
  } finally {
    clearTimeout(timer);
    child.removeAllListeners('exit');
    exited.catch(() => undefined);
    failed.catch(() => undefined);
    // Kill the whole group and wait for the browser to be gone, not for a fixed time, before removing
    // its profile: its helper processes write there too, and outlive a browser killed alone.
    const gone =
      child.exitCode !== null || child.signalCode !== null || child.pid === undefined
        ? Promise.resolve()
        : new Promise<void>((r) => child.once('exit', () => r()));
    if (child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // The group is already gone.
      }
    }
    await gone;
    rmSync(profile, { recursive: true, force: true, maxRetries: 10 });
  }
}
