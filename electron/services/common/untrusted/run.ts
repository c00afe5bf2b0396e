// Runs a parse of an untrusted file in the parsing worker (worker.ts) with `resourceLimits` and a
// time limit; the worker is terminated on timeout. One parse at a time (queued): two hostile
// files posted together cannot add up their memory. The worker is kept for the next file while
// it is healthy (see startOne).
//
// How the worker is found (the same technique for every worker of the app's services):
// - electron-vite build of main: worker.ts is an entry of its own (electron.vite.config.ts,
//   `untrusted-worker`), emitted next to index.js as out/main/untrusted-worker.js; shared code
//   goes to out/main/chunks/. `__dirname` is out/main (or out/main/chunks for code in a chunk).
// - Under tsx (CLI, web host, scripts) and vitest, the sources run as they are: the worker is
//   started from a two-line bootstrap that registers tsx's CommonJS hook and requires worker.ts.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../errors';
import type { ReadOptions, TabularFile } from '../tabular/read';
import { LIMITS, refusals } from './limits';
import { checkZipSizes } from './zip-check';
import type { PdfPages, UntrustedReply, UntrustedTask } from './worker';

const BUILT_NAME = 'untrusted-worker.js';

/** `file` (and options) to start the worker with, in the build or from the sources. */
export function resolveServiceWorker(builtName: string, sourceFile: string): { file: string; eval: boolean; workerData: Record<string, unknown> } {
  for (const dir of [__dirname, path.join(__dirname, '..')]) {
    const built = path.join(dir, builtName);
    if (fs.existsSync(built)) return { file: built, eval: false, workerData: {} };
  }
  const source = path.join(__dirname, sourceFile);
  const tsx = createRequire(__filename).resolve('tsx/cjs/api');
  const bootstrap = `const { workerData } = require('node:worker_threads');\nrequire(workerData.__tsx).register();\nrequire(workerData.__entry);\n`;
  return { file: bootstrap, eval: true, workerData: { __tsx: tsx, __entry: source } };
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * The worker is kept between tasks (loading SheetJS costs ~0.3 s of CPU) and ended when idle
 * (IDLE_MS), and at once after a timeout, a crash or a task that reached its memory cap: the next
 * task then starts a fresh one. It never keeps the process alive on its own (unref when idle).
 */
const IDLE_MS = 30_000;
let current: { worker: Worker; idle: NodeJS.Timeout | null; online: boolean } | null = null;
/** Set when a worker could not even start here (a packaging where the file cannot be loaded). */
let workersUnavailable = false;
let seq = 0;

function spawn(): Worker {
  const target = resolveServiceWorker(BUILT_NAME, 'worker.ts');
  return new Worker(target.file, {
    eval: target.eval,
    workerData: { ...target.workerData, fneUntrusted: true },
    resourceLimits: {
      maxOldGenerationSizeMb: LIMITS.workerOldGenerationMb,
      maxYoungGenerationSizeMb: LIMITS.workerYoungGenerationMb,
      stackSizeMb: 4,
    },
    stdout: false,
    stderr: false,
  });
}

function discard(w: Worker): void {
  if (current?.worker === w) {
    if (current.idle) clearTimeout(current.idle);
    current = null;
  }
  void w.terminate();
}

function startOne<T>(task: UntrustedTask, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let worker: Worker;
    try {
      if (!current) {
        const w = spawn();
        const c = { worker: w, idle: null, online: false };
        // 'online' comes before the module is loaded: the worker says when it is ready.
        const ready = (m: { ready?: boolean }) => {
          if (m?.ready) (c.online = true), w.off('message', ready);
        };
        w.on('message', ready);
        current = c;
      }
      if (current.idle) clearTimeout(current.idle);
      current.idle = null;
      worker = current.worker;
      worker.ref();
    } catch {
      reject(refusals.workerFailed(task.fileName));
      return;
    }
    const id = ++seq;
    let settled = false;
    const cleanup = () => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    const fail = (err: AppError) => {
      if (settled) return;
      settled = true;
      cleanup();
      discard(worker);
      reject(err);
    };
    const onMessage = (reply: UntrustedReply & { id: number }) => {
      if (settled || reply.id !== id) return;
      settled = true;
      cleanup();
      if (current?.worker === worker) {
        worker.unref();
        current.idle = setTimeout(() => discard(worker), IDLE_MS);
        current.idle.unref();
      }
      if (reply.ok) resolve(reply.value as T);
      else if (reply.message) reject(new AppError(reply.code, reply.message, reply.details === undefined ? {} : { details: reply.details }));
      else reject(new AppError('file_unreadable', refusals.workerFailed(task.fileName).message, { details: reply.details }));
    };
    const onError = (err: Error & { code?: string }) => {
      // The worker never started (its file could not be loaded): this task and the next ones
      // are parsed in this thread, after the same pre-checks (the archive checks run in runTask).
      if (current?.worker === worker && !current.online && err.code !== 'ERR_WORKER_OUT_OF_MEMORY') {
        workersUnavailable = true;
        if (settled) return;
        settled = true;
        cleanup();
        discard(worker);
        inThread<T>(task).then(resolve, reject);
        return;
      }
      fail(err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? refusals.workerMemory(task.fileName) : new AppError('file_unreadable', refusals.workerFailed(task.fileName).message, { details: err.message }));
    };
    const onExit = (code: number) => fail(code === 0 ? refusals.workerFailed(task.fileName) : refusals.workerMemory(task.fileName));
    const timer = setTimeout(() => fail(refusals.workerTimeout(task.fileName, timeoutMs)), timeoutMs);
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage({ id, task });
  });
}

/** The worker's time limit for a file of this size. */
export function timeLimitFor(bytes: number): number {
  return Math.min(LIMITS.workerTimeoutMaxMs, LIMITS.workerTimeoutMs + Math.ceil((bytes / (1024 * 1024)) * LIMITS.workerTimeoutPerMbMs));
}

async function inThread<T>(task: UntrustedTask): Promise<T> {
  const { runTask } = await import('./worker');
  return (await runTask(task)).value as T;
}

/** Runs one task in the worker, after the ones already queued (one parse at a time). */
export function runUntrusted<T>(task: UntrustedTask, timeoutMs: number = timeLimitFor(task.bytes.byteLength)): Promise<T> {
  const go = () => (workersUnavailable ? inThread<T>(task) : startOne<T>(task, timeoutMs));
  const run = queue.then(go, go);
  queue = run.catch(() => undefined);
  return run;
}

/** Ends the kept worker now (tests, shutdown). */
export async function stopUntrustedWorker(): Promise<void> {
  if (current) {
    const w = current.worker;
    discard(w);
    await new Promise((r) => setImmediate(r));
  }
}

function isZip(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
}
function isOle2(b: Uint8Array): boolean {
  return b.length >= 8 && b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0;
}

/**
 * readTabular for a file from outside. Workbooks (xlsx, ods, xls): the ZIP's central directory
 * is checked here (no inflation), then the worker scans the sheets and parses. CSV text is read
 * here by the streaming CsvReader (its memory is bounded by the file's size and the record cap,
 * and a file that large was already refused by the channel's size limit).
 */
export async function readUntrusted(bytes: Uint8Array, fileName: string, options: ReadOptions = {}): Promise<TabularFile> {
  if (isZip(bytes) || isOle2(bytes)) {
    if (isZip(bytes)) checkZipSizes(bytes, fileName);
    return runUntrusted<TabularFile>({ kind: 'tabular', bytes, fileName, options });
  }
  const { readTabular } = await import('../tabular/read');
  return readTabular(bytes, fileName, options);
}

/** Page count (and title) of an untrusted PDF, read by pdf-lib in the worker. */
export function pdfPages(bytes: Uint8Array, fileName: string): Promise<PdfPages> {
  return runUntrusted<PdfPages>({ kind: 'pdf.pages', bytes, fileName });
}

/** One PDF per asked page (1-based), made by pdf-lib in the worker. */
export function splitPdfPages(bytes: Uint8Array, fileName: string, pages: number[]): Promise<Uint8Array[]> {
  return runUntrusted<Uint8Array[]>({ kind: 'pdf.split', bytes, fileName, pages });
}
