// Cheap checks of a zipped workbook (xlsx, ods) before any parser sees it.
//
// 1. The central directory (PKWARE APPNOTE 4.3.12/4.3.16, ZIP64 4.3.14) is read without
//    inflating anything: number of entries, the sum of the declared uncompressed sizes and each
//    large entry's compression ratio are held against the caps. Microseconds, in any thread.
// 2. The sheets' XML is then inflated as a stream (never whole in memory) and scanned for what
//    makes a parser allocate: xlsx `<dimension ref>`, `<row r>` and `<c r>` indexes beyond the
//    grid, the number of cells; ODS `number-rows-repeated` × `number-columns-repeated` of cells
//    that hold something. The inflation stops at the declared size (an entry that lies about its
//    size is refused) and the scan at the first cap passed. Run in the parsing worker.
import zlib from 'node:zlib';
import { LIMITS, refusals } from './limits';

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

const u16 = (b: Uint8Array, o: number) => b[o] | (b[o + 1] << 8);
const u32 = (b: Uint8Array, o: number) => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16)) + b[o + 3] * 0x1000000;
const u64 = (b: Uint8Array, o: number) => u32(b, o) + u32(b, o + 4) * 0x100000000;

/** Entries of the central directory; throws the French « archive illisible » when it is not one. */
export function readCentralDirectory(bytes: Uint8Array, fileName: string): ZipEntry[] {
  const n = bytes.length;
  // End of central directory record: 22 bytes + a comment of at most 65 535.
  let eocd = -1;
  for (let i = n - 22; i >= Math.max(0, n - 22 - 65_535); i--) {
    if (bytes[i] === 0x50 && bytes[i + 1] === 0x4b && bytes[i + 2] === 0x05 && bytes[i + 3] === 0x06) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw refusals.zipDamaged(fileName);
  let count = u16(bytes, eocd + 10);
  let cdSize = u32(bytes, eocd + 12);
  let cdOffset = u32(bytes, eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff || cdSize === 0xffffffff) {
    // ZIP64 end of central directory locator, just before the EOCD.
    const loc = eocd - 20;
    if (loc < 0 || u32(bytes, loc) !== 0x07064b50) throw refusals.zipDamaged(fileName);
    const rec = u64(bytes, loc + 8);
    if (rec + 56 > n || u32(bytes, rec) !== 0x06064b50) throw refusals.zipDamaged(fileName);
    count = u64(bytes, rec + 32);
    cdSize = u64(bytes, rec + 40);
    cdOffset = u64(bytes, rec + 48);
  }
  if (count > LIMITS.maxZipEntries) throw refusals.zipDamaged(fileName);
  if (cdOffset + cdSize > n) throw refusals.zipDamaged(fileName);
  const entries: ZipEntry[] = [];
  let p = cdOffset;
  for (let k = 0; k < count; k++) {
    if (p + 46 > n || u32(bytes, p) !== 0x02014b50) throw refusals.zipDamaged(fileName);
    const method = u16(bytes, p + 10);
    let compressedSize = u32(bytes, p + 20);
    let uncompressedSize = u32(bytes, p + 24);
    const nameLen = u16(bytes, p + 28);
    const extraLen = u16(bytes, p + 30);
    const commentLen = u16(bytes, p + 32);
    let localHeaderOffset = u32(bytes, p + 42);
    const name = Buffer.from(bytes.buffer, bytes.byteOffset + p + 46, Math.min(nameLen, n - p - 46)).toString('utf8');
    // ZIP64 extended information (header 0x0001): the fields that were 0xFFFFFFFF, in order.
    let e = p + 46 + nameLen;
    const eEnd = Math.min(n, e + extraLen);
    while (e + 4 <= eEnd) {
      const id = u16(bytes, e);
      const size = u16(bytes, e + 2);
      if (id === 0x0001) {
        let q = e + 4;
        if (uncompressedSize === 0xffffffff && q + 8 <= eEnd) (uncompressedSize = u64(bytes, q)), (q += 8);
        if (compressedSize === 0xffffffff && q + 8 <= eEnd) (compressedSize = u64(bytes, q)), (q += 8);
        if (localHeaderOffset === 0xffffffff && q + 8 <= eEnd) localHeaderOffset = u64(bytes, q);
      }
      e += 4 + size;
    }
    entries.push({ name, method, compressedSize, uncompressedSize, localHeaderOffset });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** The central directory's sizes against the caps (no inflation: safe in the main thread). */
export function checkZipSizes(bytes: Uint8Array, fileName: string): ZipEntry[] {
  const entries = readCentralDirectory(bytes, fileName);
  let total = 0;
  for (const e of entries) {
    total += e.uncompressedSize;
    if (e.uncompressedSize > LIMITS.ratioCheckedAbove && e.uncompressedSize / Math.max(1, e.compressedSize) > LIMITS.maxCompressionRatio) {
      throw refusals.compressionRatio(fileName, e.uncompressedSize / Math.max(1, e.compressedSize));
    }
  }
  if (total > LIMITS.maxUncompressedBytes) throw refusals.tooBigUncompressed(fileName, total);
  return entries;
}

/**
 * Streams the entry's inflated bytes to `onChunk` (pieces of 256 KB, never the whole entry in
 * memory), never more than its declared size: an entry inflating beyond what the directory says
 * is refused. `onChunk` may throw to stop early.
 */
export async function inflateEntry(bytes: Uint8Array, entry: ZipEntry, fileName: string, onChunk: (chunk: Buffer) => void): Promise<void> {
  const h = entry.localHeaderOffset;
  if (h + 30 > bytes.length || u32(bytes, h) !== 0x04034b50) throw refusals.zipDamaged(fileName);
  const start = h + 30 + u16(bytes, h + 26) + u16(bytes, h + 28);
  const end = start + entry.compressedSize;
  if (end > bytes.length) throw refusals.zipDamaged(fileName);
  const data = Buffer.from(bytes.buffer, bytes.byteOffset + start, entry.compressedSize);
  if (entry.method === 0) {
    for (let o = 0; o < data.length; o += 1 << 20) onChunk(data.subarray(o, Math.min(data.length, o + (1 << 20))));
    return;
  }
  if (entry.method !== 8) throw refusals.zipDamaged(fileName);
  const inflater = zlib.createInflateRaw({ chunkSize: 256 * 1024 });
  await new Promise<void>((resolve, reject) => {
    let produced = 0;
    let stopped = false;
    const stop = (err: unknown) => {
      if (stopped) return;
      stopped = true;
      inflater.destroy();
      reject(err);
    };
    inflater.on('data', (chunk: Buffer) => {
      if (stopped) return;
      produced += chunk.length;
      if (produced > entry.uncompressedSize) return stop(refusals.zipDamaged(fileName));
      try {
        onChunk(chunk);
      } catch (e) {
        stop(e);
      }
    });
    inflater.on('error', () => stop(refusals.zipDamaged(fileName)));
    inflater.on('end', () => {
      if (!stopped) resolve();
    });
    inflater.end(data);
  });
}

/** Column letters → 1-based index, or Infinity past the grid (never a big loop: 4 letters max). */
function columnIndex(letters: string): number {
  if (letters.length > 3) return Number.POSITIVE_INFINITY;
  let c = 0;
  for (let i = 0; i < letters.length; i++) c = c * 26 + (letters.charCodeAt(i) - 64);
  return c;
}

/** An A1 reference beyond Excel's grid? */
function outOfGrid(ref: string): boolean {
  const m = /^\$?([A-Z]+)\$?(\d+)$/.exec(ref);
  if (!m) return false;
  return columnIndex(m[1]) > LIMITS.maxSheetColumns || m[2].length > 7 || Number(m[2]) > LIMITS.maxSheetRows;
}

/** Scans text arriving in pieces with one regex; a tag cut between two pieces is carried over. */
class TagScanner {
  private carry = '';
  constructor(
    private readonly re: RegExp,
    private readonly onMatch: (m: RegExpExecArray) => void,
  ) {}
  feed(chunk: Buffer): void {
    const text = this.carry + chunk.toString('latin1');
    this.re.lastIndex = 0;
    let m: RegExpExecArray | null;
    let consumed = 0;
    while ((m = this.re.exec(text)) !== null) {
      this.onMatch(m);
      consumed = this.re.lastIndex;
    }
    // Keep from the last '<' not yet consumed (a tag cut in two), bounded: a tag is never 64 KB.
    const lt = text.lastIndexOf('<');
    this.carry = lt >= consumed && text.length - lt < 64 * 1024 ? text.slice(lt) : '';
  }
}

/** xlsx: every worksheet's indexes inside the grid and the cells under the cap. */
async function scanXlsx(bytes: Uint8Array, entries: ZipEntry[], fileName: string): Promise<void> {
  let cells = 0;
  for (const e of entries) {
    if (!/^xl\/worksheets\/[^/]+\.xml$/i.test(e.name)) continue;
    const scanner = new TagScanner(/<(?:[A-Za-z]+:)?(dimension|row|c)(?=[\s/>])([^>]*)>/g, (m) => {
      const attrs = m[2];
      if (m[1] === 'c') {
        if (++cells > LIMITS.maxCells) throw refusals.tooManyCells(fileName, cells);
        const r = /\sr="([^"]*)"/.exec(attrs);
        if (r && outOfGrid(r[1])) throw refusals.cellOutOfGrid(fileName, r[1]);
      } else if (m[1] === 'row') {
        const r = /\sr="([^"]*)"/.exec(attrs);
        if (r && (r[1].length > 7 || Number(r[1]) > LIMITS.maxSheetRows)) throw refusals.cellOutOfGrid(fileName, `ligne ${r[1]}`);
      } else {
        const r = /\sref="([^"]*)"/.exec(attrs);
        if (r) for (const part of r[1].split(':')) if (outOfGrid(part)) throw refusals.cellOutOfGrid(fileName, part);
      }
    });
    await inflateEntry(bytes, e, fileName, (chunk) => scanner.feed(chunk));
  }
}

/** ODS: rows × columns repeated by the cells that hold something, and positions in the grid. */
async function scanOds(bytes: Uint8Array, entries: ZipEntry[], fileName: string): Promise<void> {
  const content = entries.find((e) => e.name === 'content.xml');
  if (!content) return;
  let cells = 0;
  let row = 0; // rows of the current table so far
  let rowRepeat = 1;
  let col = 0;
  const num = (attrs: string, name: string): number => {
    const m = new RegExp(`table:${name}="(\\d{1,12})"`).exec(attrs);
    return m ? Number(m[1]) : 1;
  };
  const scanner = new TagScanner(/<(\/?)table:(table-row|table-cell|covered-table-cell|table)(?=[\s/>])([^>]*)>/g, (m) => {
    const closing = m[1] === '/';
    const tag = m[2];
    const attrs = m[3];
    if (tag === 'table') {
      if (!closing) row = 0;
      return;
    }
    if (tag === 'table-row') {
      if (closing) {
        row += rowRepeat;
        rowRepeat = 1;
        return;
      }
      rowRepeat = Math.max(1, num(attrs, 'number-rows-repeated'));
      col = 0;
      if (attrs.endsWith('/')) {
        row += rowRepeat;
        rowRepeat = 1;
      }
      return;
    }
    if (closing) return;
    const colRepeat = Math.max(1, num(attrs, 'number-columns-repeated'));
    const selfClosing = attrs.endsWith('/');
    // A cell is expanded by the parser when it has a value or is written with content.
    const holds = tag === 'table-cell' && (!selfClosing || /office:value-type=/.test(attrs));
    if (holds) {
      if (row + 1 > LIMITS.maxSheetRows || col + colRepeat > LIMITS.maxSheetColumns) {
        throw refusals.cellOutOfGrid(fileName, `ligne ${Math.min(row + rowRepeat, 1e12)}, colonne ${Math.min(col + colRepeat, 1e12)}`);
      }
      cells += colRepeat * rowRepeat;
      if (cells > LIMITS.maxCells) throw refusals.tooManyCells(fileName, cells);
    }
    col += colRepeat;
  });
  await inflateEntry(bytes, content, fileName, (chunk) => scanner.feed(chunk));
}

/** All the checks of a zipped workbook; the kind is decided by its entries. */
export async function checkZippedWorkbook(bytes: Uint8Array, fileName: string): Promise<void> {
  const entries = checkZipSizes(bytes, fileName);
  if (entries.some((e) => e.name === 'content.xml')) await scanOds(bytes, entries, fileName);
  else await scanXlsx(bytes, entries, fileName);
}
