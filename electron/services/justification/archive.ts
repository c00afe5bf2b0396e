// Writes the end-of-convention dossier to disk: a folder and a ZIP with the same content,
// plus manifeste.csv (path, SHA-256, size, what each file proves).
//
// - Reproducible: entries sorted by path, one fixed timestamp and mode, no extra metadata, so
//   the same database gives a byte-identical ZIP.
// - Streamed: each pièce is read once, in chunks of at most READ_CHUNK bytes into one reused
//   buffer, hashed (SHA-256 for the manifest, CRC-32 for the ZIP) and written to the ZIP; memory
//   does not grow with the number or the size of the pièces. PDFs and images are stored, not
//   deflated (they are already compressed; deflating them costs time for nothing).
// - Two cores at work (profiled: one core alone cannot hash twice, CRC and write every byte
//   twice at the speed of a plain copy): the folder is filled by the OS's copyFile on the thread
//   pool, and the ZIP's own SHA-256 is computed by a worker thread that reads back what has just
//   been written, while the main thread reads, hashes and writes the ZIP.
// - Atomic: everything is written under hidden temporary names (".~dossier-…", never "*.zip")
//   and renamed into place only when complete and flushed to disk. A failed, cancelled or killed
//   run leaves no partial ZIP; leftovers of a killed run are removed by the next one.
//
// The ZIP format (PKWARE APPNOTE 6.3) is written here rather than by yazl: yazl's chain of
// streams copied and re-buffered every chunk (GC and thread hand-offs were a third of the time)
// and hid when a buffer could be reused. What is written: local headers with CRC and sizes when
// the file fits one chunk (else a data descriptor, flag bit 3), UTF-8 names (bit 11), DOS
// date/time from the UTC fields of the fixed mtime, Unix mode 0644, ZIP64 fields only when a
// size, an offset or the number of entries needs them. Checked by yauzl, `unzip -t` and tests.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import zlib from 'node:zlib';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../common/private-fs';

export interface DossierEntry {
  /** Path inside the dossier, '/'-separated ("03-marche/devis-of-a.pdf"). */
  path: string;
  source: { file: string } | { bytes: Uint8Array };
  /** What this file proves (a row of the art. 5.2 table, an expense…), written in the manifest. */
  proves: string;
}

export interface ManifestLine {
  path: string;
  sha256: string;
  size: number;
  proves: string;
}

export interface WriteDossierOptions {
  outDir: string;
  /** File and folder name without extension, e.g. "dossier-fin-convention-23-2025-12-31". */
  baseName: string;
  entries: DossierEntry[];
  /** The one timestamp written for every entry (a date of the convention, not "now"). */
  mtime: Date;
  signal?: AbortSignal;
  onProgress?: (p: { done: number; total: number; bytes: number; current: string }) => void;
  /** For tests: a smaller read chunk (exercises pièces read in several chunks, data descriptors). */
  chunkSize?: number;
  /** For tests: write ZIP64 fields for every entry and the end record, as for a > 4 Go dossier. */
  forceZip64?: boolean;
  /** For tests: no helper thread (as where a worker cannot start): the main thread does its work. */
  inlineHelper?: boolean;
}

export interface DossierResult {
  zipPath: string;
  folderPath: string;
  manifest: ManifestLine[];
  zipSha256: string;
  zipSize: number;
}

/**
 * CRC-32 of the ZIP entries: Node's native zlib.crc32 (Node ≥ 20.15 and Electron's Node) — a
 * CRC in JavaScript was the largest single cost when profiled. Checked at load against the table
 * version below on a sample; where unavailable, the table version is used: slower, never wrong.
 */
type Crc32 = (data: Uint8Array, previous?: number) => number;
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();
export const tableCrc32: Crc32 = (data, previous = 0) => {
  let c = (previous ^ 0xffffffff) >>> 0;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const nativeCrc = (zlib as unknown as { crc32?: Crc32 }).crc32;
export const nativeCrc32 = (() => {
  if (typeof nativeCrc !== 'function') return false;
  const sample = Buffer.from('FNE Formations — contrôle CRC-32');
  return tableCrc32(sample, tableCrc32(sample)) === nativeCrc(sample, nativeCrc(sample));
})();
const crc32: Crc32 = nativeCrc32 ? (buf, previous) => nativeCrc!(buf, previous ?? 0) : tableCrc32;

const STORED_EXTENSIONS = new Set(['.pdf', '.png', '.jpg', '.jpeg', '.gif', '.zip', '.xlsx', '.docx', '.odt', '.ods', '.tif', '.tiff']);
export const TEMP_PREFIX = '.~dossier-';

/** A path from our own data, still checked: no absolute path, no "..", no backslash, no control character. */
export function assertSafeEntryPath(p: string): void {
  // eslint-disable-next-line no-control-regex
  if (p === '' || p.startsWith('/') || p.includes('\\') || /[\u0000-\u001f]/.test(p) || /^[A-Za-z]:/.test(p) || p.split('/').some((s) => s === '' || s === '.' || s === '..')) {
    throw new Error(`Chemin interdit dans le dossier : « ${p} »`);
  }
}

/** Folder/file name of a dossier: only safe characters. */
export function safeFileStem(s: string): string {
  const stem =
    s
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/-+/g, '-')
      .slice(0, 120)
      // Trimmed after the cut: Windows silently drops a trailing dot, and the name would no longer be the manifest's.
      .replace(/^[-.]+|[-.]+$/g, '') || 'fichier';
  // Windows device names (CON, PRN, AUX, NUL, COM1–9, LPT1–9), even with an extension, cannot be files or folders there.
  return /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\.|$)/i.test(stem) ? `_${stem}` : stem;
}

export function manifestCsv(lines: ManifestLine[]): string {
  const q = (s: string) => (/[;"\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const rows = ['chemin;sha256;taille_octets;prouve', ...lines.map((l) => [q(l.path), l.sha256, String(l.size), q(l.proves)].join(';'))];
  return '\ufeff' + rows.join('\r\n') + '\r\n';
}

/** Removes what a killed run left behind (never a finished dossier). */
export function cleanStaleTemporaries(outDir: string): void {
  if (!fs.existsSync(outDir)) return;
  for (const name of fs.readdirSync(outDir)) {
    if (name.startsWith(TEMP_PREFIX)) fs.rmSync(path.join(outDir, name), { recursive: true, force: true });
  }
}


const cancelled = () => new DOMException('Génération annulée', 'AbortError');
const changed = (p: string) => new Error(`Le fichier a changé pendant la copie : ${p}`);

/**
 * Size of the reads from the pièces store: a typical scan (≈ 1 Mo) is read, hashed and written
 * in one go; larger files in several chunks. One buffer of this size is reused for every read.
 */
export const READ_CHUNK = 4 << 20;

function writeAllSync(fd: number, buf: Uint8Array, position: number): void {
  let done = 0;
  while (done < buf.length) done += fs.writeSync(fd, buf, done, buf.length - done, position + done);
}

function readFullSync(fd: number, buf: Buffer, length: number, position: number): number {
  let got = 0;
  while (got < length) {
    const n = fs.readSync(fd, buf, got, length - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return got;
}

/** True when the file holds a byte at `position` (it grew since it was measured). */
function hasByteAt(fd: number, position: number): boolean {
  return fs.readSync(fd, Buffer.alloc(1), 0, 1, position) !== 0;
}

// ---------------------------------------------------------------------------------------------
// The second core: a worker thread fills the folder (the OS's copyFile of each pièce: a
// copy-on-write clone where the file system offers it, else a kernel copy — never a hard link:
// editing a file of the exported folder must not alter the pièces store) and computes the ZIP's
// SHA-256 by reading back, from the page cache, the bytes the main thread has finished writing.
// Work is handed over in batches (a few MB at a time): on a busy two-core machine, every wake-up
// of another thread costs the main thread its core for a while (profiled). Where a worker cannot
// be started, the main thread does the same work itself. The helper acknowledges each batch; when
// it falls two batches behind, the main thread copies the next pièces itself (profiled on 300 Mo:
// main thread ≈ 360 ms of CPU to read, hash, CRC and write; helper ≈ 460 ms to copy and hash).
// Measured and not kept: writing the folder's files from the bytes read back (one read fewer)
// gained nothing on Linux/ext4 (same system time as copyFile, 2.5× more on a loaded machine):
// the cost of the folder is creating and filling ~300 files (≈ 1 ms each), not reading them.

const HELPER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const crypto = require('node:crypto');
const fd = fs.openSync(workerData.zip, 'r');
const hash = crypto.createHash('sha256');
const buf = Buffer.allocUnsafe(workerData.chunk);
let done = 0;
parentPort.on('message', (m) => {
  try {
    for (const [src, dst, size, label] of m.copies) {
      fs.copyFileSync(src, dst, fs.constants.COPYFILE_EXCL | fs.constants.COPYFILE_FICLONE);
      if (fs.statSync(dst).size !== size) throw new Error('Le fichier a changé pendant la copie : ' + label);
    }
    while (done < m.upTo) {
      const n = fs.readSync(fd, buf, 0, Math.min(buf.length, m.upTo - done), done);
      if (n === 0) throw new Error('Le ZIP écrit est plus court que prévu.');
      hash.update(buf.subarray(0, n));
      done += n;
    }
    if (m.end) {
      fs.closeSync(fd);
      parentPort.postMessage({ sha256: hash.digest('hex'), size: done });
    } else parentPort.postMessage({ ack: true });
  } catch (err) {
    parentPort.postMessage({ error: String((err && err.message) || err) });
  }
});
`;

/** The ZIP is flushed to disk every this many bytes, alongside (see writeDossier). */
const FLUSH_EVERY = 32 << 20;
/** Hand-over size: the helper is given work once this much is pending. */
const HAND_OVER = 8 << 20;

interface Helper {
  /** `buf` has just been written, and with it bytes [0, upTo) of the ZIP. */
  written(buf: Uint8Array, upTo: number): void;
  /** Copy `src` to `dst` (a new file) for the folder; `size` is what it must measure. */
  copy(src: string, dst: string, size: number, label: string): void;
  /** Everything handed over is done: the ZIP's SHA-256. */
  finish(size: number): Promise<string>;
  stop(): Promise<void>;
}

/** The folder's copy of a pièce: the OS's copyFile (a clone where the file system offers it). */
function inlineCopy(src: string, dst: string, size: number, label: string): void {
  fs.copyFileSync(src, dst, fs.constants.COPYFILE_EXCL | fs.constants.COPYFILE_FICLONE);
  if (fs.statSync(dst).size !== size) throw changed(label);
}

function inlineHelper(): Helper {
  const hash = crypto.createHash('sha256');
  return {
    written: (buf) => void hash.update(buf),
    copy: inlineCopy,
    finish: async () => hash.digest('hex'),
    stop: async () => {},
  };
}

function startHelper(zipFile: string, chunk: number, inline: boolean): Helper {
  if (inline) return inlineHelper();
  let w: Worker;
  try {
    w = new Worker(HELPER_SOURCE, { eval: true, workerData: { zip: zipFile, chunk } });
  } catch {
    return inlineHelper();
  }
  let failure: Error | null = null;
  let sent = 0;
  let acknowledged = 0;
  const result = new Promise<{ sha256: string; size: number }>((resolve, reject) => {
    w.on('message', (m: { ack?: true; sha256?: string; size?: number; error?: string }) => {
      if (m.ack) acknowledged++;
      else if (m.error) reject(new Error(m.error));
      else resolve(m as { sha256: string; size: number });
    });
    w.on('error', reject);
    w.on('exit', () => reject(new Error('Le calcul de l’empreinte du ZIP s’est arrêté.')));
  });
  result.catch((err: Error) => (failure = err));
  let copies: [string, string, number, string][] = [];
  let pendingBytes = 0;
  let upTo = 0;
  const handOver = (end: boolean) => {
    w.postMessage({ copies, upTo, end });
    sent++;
    copies = [];
    pendingBytes = 0;
  };
  return {
    written(buf, n) {
      if (failure) throw failure;
      upTo = n;
      pendingBytes += buf.length;
      if (pendingBytes >= HAND_OVER) handOver(false);
    },
    copy(src, dst, size, label) {
      if (failure) throw failure;
      if (sent - acknowledged >= 2) return inlineCopy(src, dst, size, label); // the helper is behind
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

// ---------------------------------------------------------------------------------------------
// ZIP writer: synchronous writes at known positions (the caller releases the event loop between
// chunks), every byte reported to the hasher.

const U32 = 0xffffffff;

/** DOS date and time of the fixed mtime, from its UTC fields (the same bytes in every time zone). */
export function dosDateTime(d: Date): { date: number; time: number } {
  const date = ((Math.max(1980, d.getUTCFullYear()) - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate();
  const time = (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | Math.floor(d.getUTCSeconds() / 2);
  return { date, time };
}

interface CentralEntry {
  name: Buffer;
  flags: number;
  method: number;
  crc: number;
  csize: number;
  usize: number;
  offset: number;
}

const FLAG_UTF8 = 0x0800;
const FLAG_DESCRIPTOR = 0x0008;

class ZipWriter {
  pos = 0;
  private central: CentralEntry[] = [];
  private open: { name: Buffer; offset: number; zip64: boolean; crc: number; size: number; expected: number } | null = null;
  private readonly dos: { date: number; time: number };

  constructor(
    private readonly fd: number,
    mtime: Date,
    private readonly hasher: Helper,
    private readonly forceZip64: boolean,
  ) {
    this.dos = dosDateTime(mtime);
  }

  private write(buf: Uint8Array): void {
    writeAllSync(this.fd, buf, this.pos);
    this.pos += buf.length;
    this.hasher.written(buf, this.pos);
  }

  private localHeader(name: Buffer, flags: number, method: number, crc: number, csize: number, usize: number, zip64: boolean): Buffer {
    const h = Buffer.alloc(30 + name.length + (zip64 ? 20 : 0));
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(zip64 ? 45 : 20, 4); // version needed to extract
    h.writeUInt16LE(flags, 6);
    h.writeUInt16LE(method, 8);
    h.writeUInt16LE(this.dos.time, 10);
    h.writeUInt16LE(this.dos.date, 12);
    h.writeUInt32LE(crc, 14);
    h.writeUInt32LE(zip64 ? U32 : csize, 18);
    h.writeUInt32LE(zip64 ? U32 : usize, 22);
    h.writeUInt16LE(name.length, 26);
    h.writeUInt16LE(zip64 ? 20 : 0, 28);
    name.copy(h, 30);
    if (zip64) {
      const x = 30 + name.length;
      h.writeUInt16LE(0x0001, x);
      h.writeUInt16LE(16, x + 2);
      h.writeBigUInt64LE(BigInt(usize), x + 4);
      h.writeBigUInt64LE(BigInt(csize), x + 12);
    }
    return h;
  }

  /** A whole entry whose bytes are in hand: CRC and sizes in the local header. */
  addWhole(entryPath: string, data: Uint8Array, compress: boolean): void {
    if (this.open) throw new Error('Entrée ZIP déjà ouverte.');
    const name = Buffer.from(entryPath, 'utf8');
    const crc = crc32(data);
    const body = compress ? zlib.deflateRawSync(data, { level: 6 }) : data;
    const method = compress ? 8 : 0;
    const offset = this.pos;
    const zip64 = this.forceZip64 || data.length >= U32 || body.length >= U32;
    this.write(this.localHeader(name, FLAG_UTF8, method, crc, body.length, data.length, zip64));
    this.write(body);
    this.central.push({ name, flags: FLAG_UTF8, method, crc, csize: body.length, usize: data.length, offset });
  }

  /** A stored entry written chunk by chunk: its CRC and sizes follow the data (data descriptor). */
  begin(entryPath: string, expected: number): void {
    if (this.open) throw new Error('Entrée ZIP déjà ouverte.');
    const name = Buffer.from(entryPath, 'utf8');
    const offset = this.pos;
    const zip64 = this.forceZip64 || expected >= U32;
    this.write(this.localHeader(name, FLAG_UTF8 | FLAG_DESCRIPTOR, 0, 0, 0, 0, zip64));
    this.open = { name, offset, zip64, crc: 0, size: 0, expected };
  }

  data(chunk: Uint8Array): void {
    const o = this.open!;
    o.crc = crc32(chunk, o.crc);
    o.size += chunk.length;
    this.write(chunk);
  }

  end(): void {
    const o = this.open!;
    if (o.size !== o.expected) throw new Error('Taille inattendue d’une entrée du ZIP.');
    const d = Buffer.alloc(o.zip64 ? 24 : 16);
    d.writeUInt32LE(0x08074b50, 0);
    d.writeUInt32LE(o.crc, 4);
    if (o.zip64) {
      d.writeBigUInt64LE(BigInt(o.size), 8);
      d.writeBigUInt64LE(BigInt(o.size), 16);
    } else {
      d.writeUInt32LE(o.size, 8);
      d.writeUInt32LE(o.size, 12);
    }
    this.write(d);
    this.central.push({ name: o.name, flags: FLAG_UTF8 | FLAG_DESCRIPTOR, method: 0, crc: o.crc, csize: o.size, usize: o.size, offset: o.offset });
    this.open = null;
  }

  /** Central directory and end records (ZIP64 ones when a count, a size or an offset needs them). */
  finish(): void {
    if (this.open) throw new Error('Entrée ZIP non terminée.');
    const start = this.pos;
    const parts: Buffer[] = [];
    for (const e of this.central) {
      const big = { usize: this.forceZip64 || e.usize >= U32, csize: this.forceZip64 || e.csize >= U32, offset: this.forceZip64 || e.offset >= U32 };
      const fields: number[] = [];
      if (big.usize) fields.push(e.usize);
      if (big.csize) fields.push(e.csize);
      if (big.offset) fields.push(e.offset);
      const version = fields.length ? 45 : 20;
      const extraLength = fields.length ? 4 + 8 * fields.length : 0;
      const h = Buffer.alloc(46 + e.name.length + extraLength);
      h.writeUInt32LE(0x02014b50, 0);
      h.writeUInt16LE((3 << 8) | version, 4); // made by: Unix (so the mode below is read)
      h.writeUInt16LE(version, 6);
      h.writeUInt16LE(e.flags, 8);
      h.writeUInt16LE(e.method, 10);
      h.writeUInt16LE(this.dos.time, 12);
      h.writeUInt16LE(this.dos.date, 14);
      h.writeUInt32LE(e.crc, 16);
      h.writeUInt32LE(big.csize ? U32 : e.csize, 20);
      h.writeUInt32LE(big.usize ? U32 : e.usize, 24);
      h.writeUInt16LE(e.name.length, 28);
      h.writeUInt16LE(extraLength, 30);
      // comment length, disk number, internal attributes: 0
      h.writeUInt32LE((0o100644 << 16) >>> 0, 38); // external attributes: regular file, rw-r--r--
      h.writeUInt32LE(big.offset ? U32 : e.offset, 42);
      e.name.copy(h, 46);
      if (fields.length) {
        const x = 46 + e.name.length;
        h.writeUInt16LE(0x0001, x);
        h.writeUInt16LE(8 * fields.length, x + 2);
        fields.forEach((v, i) => h.writeBigUInt64LE(BigInt(v), x + 4 + 8 * i));
      }
      parts.push(h);
    }
    const cd = Buffer.concat(parts);
    this.write(cd);
    const count = this.central.length;
    const zip64 = this.forceZip64 || count >= 0xffff || start >= U32 || cd.length >= U32;
    if (zip64) {
      const at = this.pos;
      const r = Buffer.alloc(56 + 20);
      r.writeUInt32LE(0x06064b50, 0);
      r.writeBigUInt64LE(44n, 4); // size of the rest of this record
      r.writeUInt16LE((3 << 8) | 45, 12);
      r.writeUInt16LE(45, 14);
      // this disk, disk of the central directory: 0
      r.writeBigUInt64LE(BigInt(count), 24);
      r.writeBigUInt64LE(BigInt(count), 32);
      r.writeBigUInt64LE(BigInt(cd.length), 40);
      r.writeBigUInt64LE(BigInt(start), 48);
      r.writeUInt32LE(0x07064b50, 56); // ZIP64 end of central directory locator
      r.writeBigUInt64LE(BigInt(at), 64);
      r.writeUInt32LE(1, 72); // total number of disks
      this.write(r);
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(zip64 ? 0xffff : count, 8);
    end.writeUInt16LE(zip64 ? 0xffff : count, 10);
    end.writeUInt32LE(zip64 ? U32 : cd.length, 12);
    end.writeUInt32LE(zip64 ? U32 : start, 16);
    this.write(end);
  }
}

// ---------------------------------------------------------------------------------------------

const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function writeDossier(opts: WriteDossierOptions): Promise<DossierResult> {
  const entries = [...opts.entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const seen = new Set<string>();
  for (const e of entries) {
    assertSafeEntryPath(e.path);
    if (seen.has(e.path)) throw new Error(`Deux fichiers portent le même nom dans le dossier : « ${e.path} »`);
    seen.add(e.path);
  }
  const chunkSize = opts.chunkSize ?? READ_CHUNK;
  fs.mkdirSync(opts.outDir, { recursive: true, mode: PRIVATE_DIR_MODE });
  cleanStaleTemporaries(opts.outDir);
  const stem = safeFileStem(opts.baseName);
  const rand = crypto.randomBytes(6).toString('hex');
  const tmpZip = path.join(opts.outDir, `${TEMP_PREFIX}${rand}.tmp`);
  const tmpDir = path.join(opts.outDir, `${TEMP_PREFIX}${rand}.dir`);
  const finalZip = path.join(opts.outDir, `${stem}.zip`);
  const finalDir = path.join(opts.outDir, stem);
  const compress = (p: string) => !STORED_EXTENSIONS.has(path.extname(p).toLowerCase());

  const zipFd = fs.openSync(tmpZip, 'wx', PRIVATE_FILE_MODE);
  let zipClosed = false;
  const helper = startHelper(tmpZip, chunkSize, opts.inlineHelper ?? false);
  const zip = new ZipWriter(zipFd, opts.mtime, helper, opts.forceZip64 ?? false);
  const buf = Buffer.allocUnsafeSlow(chunkSize); // the one read buffer, reused for every pièce
  let pieceFd: number | null = null;
  // The ZIP is flushed to disk as it grows (one flush in flight, on the thread pool): the last
  // fsync, before the ZIP gets its name, then waits only for the tail.
  let flushing: Promise<void> | null = null;
  let flushedAt = 0;
  const flush = () =>
    new Promise<void>((resolve, reject) => fs.fdatasync(zipFd, (err) => (err ? reject(err) : resolve()))).finally(() => {
      flushing = null;
    });
  try {
    fs.mkdirSync(tmpDir, { mode: PRIVATE_DIR_MODE });
    for (const dir of new Set(entries.map((e) => path.dirname(path.join(tmpDir, ...e.path.split('/')))))) fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    const manifest: ManifestLine[] = [];
    let bytes = 0;
    for (const [i, e] of entries.entries()) {
      if (opts.signal?.aborted) throw cancelled();
      opts.onProgress?.({ done: i, total: entries.length, bytes, current: e.path });
      if (opts.signal?.aborted) throw cancelled();
      const folderFile = path.join(tmpDir, ...e.path.split('/'));
      if ('bytes' in e.source) {
        const data = Buffer.from(e.source.bytes.buffer, e.source.bytes.byteOffset, e.source.bytes.byteLength);
        fs.writeFileSync(folderFile, data, { flag: 'wx', mode: PRIVATE_FILE_MODE });
        zip.addWhole(e.path, data, compress(e.path));
        manifest.push({ path: e.path, sha256: crypto.createHash('sha256').update(data).digest('hex'), size: data.length, proves: e.proves });
        bytes += data.length;
        await breathe();
        continue;
      }
      const fd = (pieceFd = fs.openSync(e.source.file, 'r'));
      const size = fs.fstatSync(fd).size;
      helper.copy(e.source.file, folderFile, size, e.path); // the folder's copy, on the helper thread
      // The ZIP gets the bytes read once here, hashed on the way.
      const hash = crypto.createHash('sha256');
      if (size <= chunkSize) {
        if (readFullSync(fd, buf, size, 0) !== size || hasByteAt(fd, size)) throw changed(e.path);
        const data = buf.subarray(0, size);
        hash.update(data);
        zip.addWhole(e.path, data, false);
        bytes += size;
      } else {
        zip.begin(e.path, size);
        for (let pos = 0; pos < size; ) {
          const want = Math.min(chunkSize, size - pos);
          if (readFullSync(fd, buf, want, pos) !== want) throw changed(e.path);
          const data = buf.subarray(0, want);
          hash.update(data);
          zip.data(data);
          pos += want;
          bytes += want;
          await breathe(); // lets a cancellation in, even inside a large file
          if (opts.signal?.aborted) throw cancelled();
        }
        if (hasByteAt(fd, size)) throw changed(e.path);
        zip.end();
      }
      fs.closeSync(fd);
      pieceFd = null;
      manifest.push({ path: e.path, sha256: hash.digest('hex'), size, proves: e.proves });
      if (!flushing && zip.pos - flushedAt >= FLUSH_EVERY) {
        flushedAt = zip.pos;
        flushing = flush();
        flushing.catch(() => {}); // a failure is met again by the last fsync
      }
      await breathe();
    }
    const manifestBytes = Buffer.from(manifestCsv(manifest), 'utf8');
    fs.writeFileSync(path.join(tmpDir, 'manifeste.csv'), manifestBytes, { flag: 'wx', mode: PRIVATE_FILE_MODE });
    zip.addWhole('manifeste.csv', manifestBytes, compress('manifeste.csv'));
    zip.finish();
    if (opts.signal?.aborted) throw cancelled();
    if (flushing) await (flushing as Promise<void>).catch(() => {});
    const [hashed, synced] = await Promise.allSettled([
      helper.finish(zip.pos), // the folder's copies too
      new Promise<void>((resolve, reject) => fs.fsync(zipFd, (err) => (err ? reject(err) : resolve()))), // on disk before it is named *.zip
    ]);
    if (hashed.status === 'rejected') throw hashed.reason;
    if (synced.status === 'rejected') throw synced.reason;
    const zipSha256 = hashed.value;
    fs.closeSync(zipFd);
    zipClosed = true;
    if (fs.statSync(tmpZip).size !== zip.pos) throw new Error('Le ZIP écrit n’a pas la taille attendue.');
    opts.onProgress?.({ done: entries.length, total: entries.length, bytes, current: '' });
    // Replace a previous dossier of the same name only once the new one is complete.
    if (fs.existsSync(finalDir)) fs.rmSync(finalDir, { recursive: true, force: true });
    fs.renameSync(tmpDir, finalDir);
    fs.renameSync(tmpZip, finalZip);
    return { zipPath: finalZip, folderPath: finalDir, manifest, zipSha256, zipSize: zip.pos };
  } catch (err) {
    await helper.stop().catch(() => {}); // its copies end before their folder is removed
    if (flushing) await (flushing as Promise<void>).catch(() => {}); // before its file is closed
    if (pieceFd !== null) fs.closeSync(pieceFd);
    if (!zipClosed) fs.closeSync(zipFd);
    fs.rmSync(tmpZip, { force: true });
    fs.rmSync(tmpDir, { recursive: true, force: true });
    throw err;
  }
}
