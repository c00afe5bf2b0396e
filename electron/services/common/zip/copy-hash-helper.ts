// The second core of the folder-and-ZIP writer. A worker thread (copy-hash-worker.ts) fills the
// folder (the OS's copyFile of each file) and computes the ZIP's SHA-256 by reading back, from
// the page cache, the bytes the main thread has finished writing. Work is handed over in batches
// (a few MB at a time): on a busy two-core machine, every wake-up of another thread costs the
// main thread its core for a while (profiled). Where a worker cannot be started, the main thread
// does the same work itself. The helper acknowledges each batch; when it falls two batches
// behind, the main thread copies the next files itself (profiled on 300 Mo: main thread ≈ 360 ms
// of CPU to read, hash, CRC and write; helper ≈ 460 ms to copy and hash).
// Measured and not kept: writing the folder's files from the bytes read back (one read fewer)
// gained nothing on Linux/ext4 (same system time as copyFile, 2.5× more on a loaded machine):
// the cost of the folder is creating and filling ~300 files (≈ 1 ms each), not reading them.
//
// The worker is a module of its own, found beside this one: the built `copy-hash-worker.js` in
// the electron-vite bundle (an entry of electron.vite.config.ts), or the source
// `copy-hash-worker.ts` under tsx and vitest, which the thread then loads through tsx's hooks.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { copyFileChecked } from './copy-checked';
import type { CopyHashBatch, CopyHashReply, CopyHashWorkerData } from './copy-hash-protocol';

/** The worker's file name without extension, and its entry name in the electron-vite build. */
export const COPY_HASH_WORKER = 'copy-hash-worker';

/** Hand-over size: the helper is given work once this much is pending. */
const HAND_OVER = 8 << 20;

export interface CopyHashHelper {
  /** Whether the work runs on a worker thread ('thread') or on the caller's ('inline'; also after a thread that never ran). */
  readonly mode: 'thread' | 'inline';
  /** `buf` has just been written, and with it bytes [0, upTo) of the ZIP. */
  written(buf: Uint8Array, upTo: number): void;
  /** Copy `src` to `dst` (a new file) for the folder; `size` is what it must measure. */
  copy(src: string, dst: string, size: number, label: string): void;
  /** Everything handed over is done: the ZIP's SHA-256. */
  finish(size: number): Promise<string>;
  stop(): Promise<void>;
}

/** The worker module and how to start it, or null where it cannot be found. */
export function copyHashWorkerModule(): { file: string; execArgv?: string[] } | null {
  // Beside this module (tsx, vitest, or a bundle where both sit in one file), or one folder up
  // (a bundle that put this module in a chunk folder).
  for (const dir of [__dirname, path.dirname(__dirname)]) {
    const built = path.join(dir, `${COPY_HASH_WORKER}.js`);
    if (fs.existsSync(built)) return { file: built };
  }
  const source = path.join(__dirname, `${COPY_HASH_WORKER}.ts`);
  if (!fs.existsSync(source)) return null;
  try {
    // The source runs in the thread through tsx's CommonJS hooks (tsx is how the CLI, the web
    // host and the tests run the services; Node 20 cannot load TypeScript by itself). Not the
    // process's own options: with `--import tsx` among them, Node 20 would load the thread's
    // entry through the ESM loader, which tsx's hooks do not reach there.
    const tsx = createRequire(__filename).resolve('tsx/cjs');
    return { file: source, execArgv: ['--require', tsx] };
  } catch {
    return null;
  }
}

/** The same work on the caller's thread. */
export function inlineHelper(): CopyHashHelper {
  const hash = crypto.createHash('sha256');
  return {
    mode: 'inline',
    written: (buf) => void hash.update(buf),
    copy: copyFileChecked,
    finish: async () => hash.digest('hex'),
    stop: async () => {},
  };
}

/** How long a starting thread may take to say it runs before its work is done inline. */
const START_TIMEOUT_MS = 10_000;

/**
 * A helper thread reading `zipFile` back with a buffer of `chunk` bytes; the inline helper when
 * asked or when no worker can be created. Work is handed over at once, while the thread starts
 * (its start overlaps the main thread's first reads). A thread that never says it runs (module
 * not found or not loadable, no worker support, START_TIMEOUT_MS elapsed) has done none of it:
 * the caller's thread then takes over — copies what was handed over, hashes the ZIP written so
 * far by reading it back — and goes on inline. The dossier is then slower, never wrong.
 */
export function startHelper(zipFile: string, chunk: number, inline: boolean, module = inline ? null : copyHashWorkerModule()): CopyHashHelper {
  const worker = inline ? null : module;
  if (!worker) return inlineHelper();
  let w: Worker;
  try {
    const workerData: CopyHashWorkerData = { zip: zipFile, chunk };
    w = new Worker(worker.file, { workerData, ...(worker.execArgv ? { execArgv: worker.execArgv } : {}) });
  } catch {
    return inlineHelper();
  }
  /** null while starting; true once the thread said it runs; false if it never will. */
  let running: boolean | null = null;
  /** Copies handed to the thread before it said it runs: redone here if it never does. */
  let unconfirmed: CopyHashBatch['copies'] = [];
  let settleStart: (ok: boolean) => void = () => {};
  const started = new Promise<boolean>((resolve) => (settleStart = resolve));
  const startTimer = setTimeout(() => settleStart(false), START_TIMEOUT_MS);
  void started.then((ok) => {
    clearTimeout(startTimer);
    running = ok;
    if (ok) unconfirmed = [];
  });
  let failure: Error | null = null;
  let sent = 0;
  let acknowledged = 0;
  const result = new Promise<{ sha256: string; size: number }>((resolve, reject) => {
    w.on('message', (m: CopyHashReply) => {
      if ('ready' in m) settleStart(true);
      else if ('ack' in m) acknowledged++;
      else if ('error' in m) reject(new Error(m.error));
      else resolve(m);
    });
    w.on('error', (err) => {
      settleStart(false);
      reject(err);
    });
    w.on('exit', () => {
      settleStart(false);
      reject(new Error('Le calcul de l’empreinte du ZIP s’est arrêté.'));
    });
  });
  result.catch((err: Error) => (failure = err));
  let copies: CopyHashBatch['copies'] = [];
  let pendingBytes = 0;
  let upTo = 0;
  /** The inline helper that took over from a thread that never ran. */
  let fallback: CopyHashHelper | null = null;
  const handOver = (end: boolean) => {
    const batch: CopyHashBatch = { copies, upTo, end };
    w.postMessage(batch);
    if (running !== true) unconfirmed.push(...copies);
    sent++;
    copies = [];
    pendingBytes = 0;
  };
  /** The thread never ran (nothing handed to it was done): the caller's thread does it all. */
  const takeOver = (): CopyHashHelper => {
    void w.terminate();
    const h = inlineHelper();
    for (const c of [...unconfirmed, ...copies]) copyFileChecked(...c);
    unconfirmed = [];
    copies = [];
    const fd = fs.openSync(zipFile, 'r');
    try {
      const buf = Buffer.allocUnsafe(Math.max(1, Math.min(chunk, upTo)));
      for (let done = 0; done < upTo; ) {
        const n = fs.readSync(fd, buf, 0, Math.min(buf.length, upTo - done), done);
        if (n === 0) throw new Error('Le ZIP écrit est plus court que prévu.');
        done += n;
        h.written(buf.subarray(0, n), done);
      }
    } finally {
      fs.closeSync(fd);
    }
    return (fallback = h);
  };
  /** The helper to use now: the thread, or the caller's thread if the thread never ran. */
  const current = (): CopyHashHelper | null => {
    if (fallback) return fallback;
    if (running === false) return takeOver();
    if (failure && running === true) throw failure;
    return null;
  };
  return {
    get mode() {
      return fallback ? 'inline' : 'thread';
    },
    written(buf, n) {
      const h = current();
      if (h) return h.written(buf, n);
      upTo = n;
      pendingBytes += buf.length;
      if (pendingBytes >= HAND_OVER) handOver(false);
    },
    copy(src, dst, size, label) {
      const h = current();
      if (h) return h.copy(src, dst, size, label);
      if (sent - acknowledged >= 2) return copyFileChecked(src, dst, size, label); // the helper is behind
      copies.push([src, dst, size, label]);
      pendingBytes += size;
      if (pendingBytes >= HAND_OVER) handOver(false);
    },
    async finish(size) {
      if (!fallback && !(await started)) takeOver();
      if (fallback) return fallback.finish(size);
      upTo = size;
      handOver(true);
      const r = await result;
      await w.terminate();
      if (r.size !== size) throw new Error('Le ZIP écrit n’a pas la taille attendue.');
      return r.sha256;
    },
    async stop() {
      clearTimeout(startTimer);
      await w.terminate(); // waits for a copy in progress to end
    },
  };
}
