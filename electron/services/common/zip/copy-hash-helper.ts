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
  /** Whether the work runs on a worker thread ('thread') or on the caller's ('inline'). */
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

/** How long a starting thread may take to say it runs before the work is done inline. */
const START_TIMEOUT_MS = 10_000;

/**
 * A helper thread reading `zipFile` back with a buffer of `chunk` bytes, once it has said it
 * runs; the inline helper when asked, or when no thread starts (module not found or not
 * loadable, no worker support): the dossier is then slower, never wrong.
 */
export async function startHelper(zipFile: string, chunk: number, inline: boolean, module = inline ? null : copyHashWorkerModule()): Promise<CopyHashHelper> {
  const worker = inline ? null : module;
  if (!worker) return inlineHelper();
  let w: Worker;
  try {
    const workerData: CopyHashWorkerData = { zip: zipFile, chunk };
    w = new Worker(worker.file, { workerData, ...(worker.execArgv ? { execArgv: worker.execArgv } : {}) });
  } catch {
    return inlineHelper();
  }
  let ready: (ok: boolean) => void = () => {};
  const started = new Promise<boolean>((resolve) => (ready = resolve));
  const timer = setTimeout(() => ready(false), START_TIMEOUT_MS);
  let failure: Error | null = null;
  let sent = 0;
  let acknowledged = 0;
  const result = new Promise<{ sha256: string; size: number }>((resolve, reject) => {
    w.on('message', (m: CopyHashReply) => {
      if ('ready' in m) ready(true);
      else if ('ack' in m) acknowledged++;
      else if ('error' in m) reject(new Error(m.error));
      else resolve(m);
    });
    w.on('error', (err) => {
      ready(false);
      reject(err);
    });
    w.on('exit', () => {
      ready(false);
      reject(new Error('Le calcul de l’empreinte du ZIP s’est arrêté.'));
    });
  });
  result.catch((err: Error) => (failure = err));
  const ok = await started;
  clearTimeout(timer);
  if (!ok) {
    await w.terminate();
    return inlineHelper();
  }
  let copies: CopyHashBatch['copies'] = [];
  let pendingBytes = 0;
  let upTo = 0;
  const handOver = (end: boolean) => {
    const batch: CopyHashBatch = { copies, upTo, end };
    w.postMessage(batch);
    sent++;
    copies = [];
    pendingBytes = 0;
  };
  return {
    mode: 'thread',
    written(buf, n) {
      if (failure) throw failure;
      upTo = n;
      pendingBytes += buf.length;
      if (pendingBytes >= HAND_OVER) handOver(false);
    },
    copy(src, dst, size, label) {
      if (failure) throw failure;
      if (sent - acknowledged >= 2) return copyFileChecked(src, dst, size, label); // the helper is behind
      copies.push([src, dst, size, label]);
      pendingBytes += size;
      if (pendingBytes >= HAND_OVER) handOver(false);
    },
    async finish(size) {
      upTo = size;
      handOver(true);
      const r = await result;
      await w.terminate();
      if (r.size !== size) throw new Error('Le ZIP écrit n’a pas la taille attendue.');
      return r.sha256;
    },
    async stop() {
      await w.terminate(); // waits for a copy in progress to end
    },
  };
}
