// Cheap checks of a PDF before pdf-lib parses it (run in the parsing worker): every compressed
// stream (`/FlateDecode`, the only filter pdf-lib inflates when it loads object streams) is
// inflated as a stream, its output counted and thrown away, the total held against the cap, and
// the page objects (`/Type /Page`, in the file or in its object streams) are counted against the
// page cap. A 5 MB PDF inflating to 5 GB is refused after reading the cap's worth, in a second.
import zlib from 'node:zlib';
import { AppError } from '../../errors';
import { LIMITS, refusals } from './limits';

const STREAM = Buffer.from('stream');
const ENDSTREAM = Buffer.from('endstream');
const PAGE_RE = /\/Type\s*\/Page(?![a-zA-Z])/g;
const PAGE = Buffer.from('/Page');
const TYPE = Buffer.from('/Type');

function countPages(text: string): number {
  PAGE_RE.lastIndex = 0;
  let n = 0;
  while (PAGE_RE.exec(text) !== null) n++;
  return n;
}

/** Inflates `data`, counting its output (and page objects in it), stopping past `budget` bytes. */
/** Page objects in bytes (`/Type /Page`, not `/Pages`), found with indexOf (no text copy). */
function countPagesIn(b: Buffer): number {
  let n = 0;
  for (let i = b.indexOf(PAGE); i >= 0; i = b.indexOf(PAGE, i + PAGE.length)) {
    const next = b[i + PAGE.length];
    if ((next >= 0x41 && next <= 0x5a) || (next >= 0x61 && next <= 0x7a)) continue;
    if (b.subarray(Math.max(0, i - 12), i).includes(TYPE)) n++;
  }
  return n;
}

function inflateCounting(data: Buffer, budget: number, onText: ((s: Buffer) => void) | null): Promise<number> {
  return new Promise((resolve) => {
    const inflater = zlib.createInflate({ chunkSize: 256 * 1024 });
    let produced = 0;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      inflater.destroy();
      resolve(produced);
    };
    inflater.on('data', (chunk: Buffer) => {
      if (done) return;
      produced += chunk.length;
      // A page object cut between two chunks is missed: pdf-lib's own count is checked after.
      if (onText) onText(chunk);
      if (produced > budget) finish();
    });
    // A damaged stream is pdf-lib's business (it reports the file as unreadable).
    inflater.on('error', finish);
    inflater.on('end', finish);
    inflater.end(data);
  });
}

/** Refuses a PDF whose pages or inflated streams pass the caps; returns the page objects counted. */
export async function checkPdf(bytes: Uint8Array, fileName: string): Promise<number> {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pages = countPages(buf.toString('latin1'));
  if (pages > LIMITS.maxPdfPages) throw refusals.pdfTooManyPages(fileName, pages);
  let inflated = 0;
  let from = 0;
  for (;;) {
    const s = buf.indexOf(STREAM, from);
    if (s < 0) break;
    // "endstream" also contains "stream": skip it.
    if (s >= 3 && buf.subarray(s - 3, s).toString('latin1') === 'end') {
      from = s + STREAM.length;
      continue;
    }
    let d = s + STREAM.length;
    if (buf[d] === 0x0d) d++;
    if (buf[d] === 0x0a) d++;
    const e = buf.indexOf(ENDSTREAM, d);
    if (e < 0) break;
    const dict = buf.subarray(Math.max(0, s - 2048), s).toString('latin1');
    const open = dict.lastIndexOf('<<');
    if (open >= 0 && /\/FlateDecode|\/Fl\b/.test(dict.slice(open))) {
      let pagesInStream = 0;
      const countIn = (b: Buffer) => {
        pagesInStream += countPagesIn(b);
      };
      // Page objects hide only in object streams; other streams are only measured.
      const objectStream = /\/Type\s*\/ObjStm/.test(dict.slice(open));
      inflated += await inflateCounting(buf.subarray(d, e), LIMITS.maxPdfInflatedBytes - inflated, objectStream ? countIn : null);
      if (inflated > LIMITS.maxPdfInflatedBytes) throw refusals.pdfInflates(fileName);
      pages += pagesInStream;
      if (pages > LIMITS.maxPdfPages) throw refusals.pdfTooManyPages(fileName, pages);
    }
    from = e + ENDSTREAM.length;
  }
  return pages;
}

export function notPdf(fileName: string): AppError {
  return new AppError('file_unreadable', `Le fichier « ${fileName} » n’est pas un PDF : numérisez les attestations en PDF (une page par personne).`);
}
