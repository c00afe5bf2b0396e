// The parsing worker: a file from outside (workbook, CSV, PDF) is parsed here, in a worker
// thread started by run.ts with memory caps (`resourceLimits`) and a time limit, after the
// pre-checks of its archive or streams. If the file still exhausts the worker's heap or its time,
// only this thread dies: the app (Electron's main process, the web host, the CLI) carries on and
// says so in French. A real module, loaded as a file: `out/main/untrusted-worker.js` in the
// electron-vite build (an entry of electron.vite.config.ts), this .ts through tsx elsewhere.
import { parentPort, workerData } from 'node:worker_threads';
import type { PDFDocument } from 'pdf-lib';
import { AppError } from '../../errors';
import { collectGarbage } from '../tabular/memory';
import { readTabular, type ReadOptions, type TabularFile } from '../tabular/read';
import { checkPdf, notPdf } from './pdf-check';
import { refusals } from './limits';
import { checkZippedWorkbook } from './zip-check';

export type UntrustedTask =
  | { kind: 'tabular'; bytes: Uint8Array; fileName: string; options: ReadOptions }
  | { kind: 'pdf.pages'; bytes: Uint8Array; fileName: string }
  | { kind: 'pdf.split'; bytes: Uint8Array; fileName: string; pages: number[] };

export interface PdfPages {
  pages: number;
  title: string | null;
}

export type UntrustedReply = { ok: true; value: unknown } | { ok: false; code: AppError['code']; message: string; details?: unknown };

function isZip(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
}

async function loadPdf(bytes: Uint8Array, fileName: string): Promise<PDFDocument> {
  if (bytes.byteLength === 0) throw new AppError('file_unreadable', `Le fichier « ${fileName} » est vide.`);
  if (!(bytes[0] === 0x25 && bytes[1] === 0x50 && bytes[2] === 0x44 && bytes[3] === 0x46)) throw notPdf(fileName);
  await checkPdf(bytes, fileName);
  // pdf-lib is loaded only for PDFs (a workbook's worker starts faster without it).
  const { PDFDocument } = await import('pdf-lib');
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(bytes, { updateMetadata: false });
  } catch (e) {
    const encrypted = e instanceof Error && /encrypt/i.test(e.message);
    throw new AppError(
      'file_unreadable',
      encrypted
        ? `Le PDF « ${fileName} » est protégé par un mot de passe : demandez à l’organisme une version non protégée.`
        : `Le PDF « ${fileName} » est illisible ou endommagé : rien n’a été joint.`,
    );
  }
  const pages = doc.getPageCount();
  if (pages > 2000) throw refusals.pdfTooManyPages(fileName, pages);
  return doc;
}

/** What the worker does for one task (also callable in-thread, for tests of the logic alone). */
export async function runTask(task: UntrustedTask): Promise<{ value: unknown; transfer: ArrayBuffer[] }> {
  if (task.kind === 'tabular') {
    if (isZip(task.bytes)) await checkZippedWorkbook(task.bytes, task.fileName);
    const file: TabularFile = readTabular(task.bytes, task.fileName, task.options);
    // The workbook's garbage (XML text, SheetJS cells) is released before the rows are copied
    // to the caller: the two copies of the rows, not the whole parse, make the peak.
    collectGarbage();
    return { value: file, transfer: [] };
  }
  const doc = await loadPdf(task.bytes, task.fileName);
  if (task.kind === 'pdf.pages') return { value: { pages: doc.getPageCount(), title: doc.getTitle() ?? null } satisfies PdfPages, transfer: [] };
  // One PDF per asked page (no dates nor ids added: the same page gives the same bytes).
  const out: Uint8Array[] = [];
  const title = doc.getTitle();
  const { PDFDocument } = await import('pdf-lib');
  for (const page of task.pages) {
    const one = await PDFDocument.create({ updateMetadata: false });
    const [copied] = await one.copyPages(doc, [page - 1]);
    one.addPage(copied);
    if (title) one.setTitle(`${title} — page ${page}`);
    out.push(await one.save({ useObjectStreams: false }));
  }
  return { value: out, transfer: out.map((b) => b.buffer as ArrayBuffer) };
}

if (parentPort && (workerData as { fneUntrusted?: boolean } | null)?.fneUntrusted) {
  const port = parentPort;
  // Tasks come one at a time (run.ts queues them); each reply carries the task's id.
  port.on('message', ({ id, task }: { id: number; task: UntrustedTask }) => {
    runTask(task).then(
      ({ value, transfer }) => port.postMessage({ id, ok: true, value }, transfer),
      (e: unknown) => {
        const reply: UntrustedReply =
          e instanceof AppError
            ? { ok: false, code: e.code, message: e.message, details: e.details }
            : { ok: false, code: 'file_unreadable', message: '', details: e instanceof Error ? e.message : String(e) };
        port.postMessage({ id, ...reply });
      },
    );
  });
  port.postMessage({ ready: true });
}
