// Writes the end-of-convention dossier to disk: a folder and a ZIP with the same content, plus
// manifeste.csv (path, SHA-256, size, what each file proves) at the root and in each part.
//
// - Reproducible: entries sorted by path, one fixed timestamp and mode, no extra metadata, so
//   the same database gives a byte-identical ZIP (the ZIP itself: common/zip/zip-writer.ts).
// - Streamed: each pièce is read once, in chunks of at most READ_CHUNK bytes into one reused
//   buffer, hashed (SHA-256 for the manifest, CRC-32 for the ZIP) and written to the ZIP; memory
//   does not grow with the number or the size of the pièces. PDFs and images are stored, not
//   deflated (they are already compressed; deflating them costs time for nothing).
// - Two cores at work (profiled: one core alone cannot hash twice, CRC and write every byte
//   twice at the speed of a plain copy): the folder is filled by the OS's copyFile and the ZIP's
//   own SHA-256 is computed by a worker thread (common/zip/copy-hash-helper.ts) while the main
//   thread reads, hashes and writes the ZIP.
// - Atomic: everything is written under hidden temporary names (".~dossier-…", never "*.zip")
//   and renamed into place only when complete and flushed to disk. A failed, cancelled or killed
//   run leaves no partial ZIP.
// - Never deletes: only the temporaries this run created are removed. A dossier of the same name
//   already in the folder (with whatever the officer added to it) is left as it is: the new one
//   takes the next free name (« …-2 », « …-3 »). Temporaries left by a killed run are not
//   removed either (they may be another run's, still writing): they are reported.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { startHelper, type CopyHashHelper } from '../common/zip/copy-hash-helper';
import { assertSafeEntryPath, assertUniqueEntryPaths } from '../common/zip/entry-paths';
import { ZipWriter } from '../common/zip/zip-writer';
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

/** A part of the dossier (a top folder) with a manifest of its own, paths relative to it. */
export interface DossierPart {
  /** The part's folder, a top-level folder of the dossier ("1-a-transmettre-a-l-anct"). */
  folder: string;
  /** What its manifest proves, in the root manifest. */
  proves: string;
}

export const MANIFEST = 'manifeste.csv';

export interface WriteDossierOptions {
  outDir: string;
  /** File and folder name without extension, e.g. "dossier-fin-convention-23-2025-12-31". */
  baseName: string;
  entries: DossierEntry[];
  /** Parts that get their own manifest (the root manifest lists every file, theirs included). */
  parts?: DossierPart[];
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
  /** The root manifest: every file of the dossier but itself. */
  manifest: ManifestLine[];
  zipSha256: string;
  zipSize: number;
  /** Hidden temporaries found in the output folder, left by an interrupted run (not removed). */
  staleTemporaries: string[];
  /** Where the copies and the ZIP's hash were done: on a helper thread or on the caller's. */
  helper: 'thread' | 'inline';
}

const STORED_EXTENSIONS = new Set(['.pdf', '.png', '.jpg', '.jpeg', '.gif', '.zip', '.xlsx', '.docx', '.odt', '.ods', '.tif', '.tiff']);
export const TEMP_PREFIX = '.~dossier-';

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

/** Hidden temporaries of dossier runs in `outDir` (an interrupted run's, or one still writing). */
export function listTemporaries(outDir: string): string[] {
  if (!fs.existsSync(outDir)) return [];
  return fs
    .readdirSync(outDir)
    .filter((n) => n.startsWith(TEMP_PREFIX))
    .sort();
}

const cancelled = () => new DOMException('Génération annulée', 'AbortError');
const changed = (p: string) => new Error(`Le fichier a changé pendant la copie : ${p}`);

/**
 * Size of the reads from the pièces store: a typical scan (≈ 1 Mo) is read, hashed and written
 * in one go; larger files in several chunks. One buffer of this size is reused for every read.
 */
export const READ_CHUNK = 4 << 20;

/** The ZIP is flushed to disk every this many bytes, alongside (see writeDossier). */
const FLUSH_EVERY = 32 << 20;

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

/** The name the n-th dossier of this stem takes in its folder: « stem », « stem-2 », « stem-3 »… */
function nthName(stem: string, n: number): string {
  return n === 1 ? stem : `${stem}-${n}`;
}

/** Gives `tmp` the name `dest` unless `dest` exists (then false): never replaces a file. */
function renameNoClobber(tmp: string, dest: string): boolean {
  try {
    fs.linkSync(tmp, dest); // fails if dest exists, atomically
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    // No hard links on this file system (FAT, some shares): checked, then renamed.
    if (fs.existsSync(dest)) return false;
    fs.renameSync(tmp, dest);
    return true;
  }
  fs.unlinkSync(tmp);
  return true;
}

/**
 * Puts the finished folder and ZIP in place under the first name free for both (on a
 * case-insensitive file system too: existsSync asks the file system itself). Nothing in place is
 * ever replaced: a name taken meanwhile moves both on to the next one.
 */
function placeDossier(outDir: string, stem: string, tmpDir: string, tmpZip: string): { folderPath: string; zipPath: string } {
  let dir = tmpDir;
  for (let n = 1; ; n++) {
    const folderPath = path.join(outDir, nthName(stem, n));
    const zipPath = `${folderPath}.zip`;
    if (fs.existsSync(folderPath) || fs.existsSync(zipPath)) continue;
    try {
      fs.renameSync(dir, folderPath); // a folder created there meanwhile (not empty) makes it fail
    } catch (err) {
      if (fs.existsSync(folderPath)) continue;
      throw err;
    }
    dir = folderPath;
    if (renameNoClobber(tmpZip, zipPath)) return { folderPath, zipPath };
  }
}

const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));
const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
const sha256 = (data: Uint8Array) => crypto.createHash('sha256').update(data).digest('hex');
const compressed = (p: string) => !STORED_EXTENSIONS.has(path.extname(p).toLowerCase());

/**
 * One run's files and state: the temporary ZIP (open) and folder, the helper, the one read
 * buffer, the flushes in flight. Created by writeDossier, which owns its clean-up.
 */
class DossierRun {
  readonly zip: ZipWriter;
  readonly manifest: ManifestLine[] = [];
  bytes = 0;
  private readonly buf: Buffer;
  private pieceFd: number | null = null;
  private zipClosed = false;
  // The ZIP is flushed to disk as it grows (one flush in flight, on the thread pool): the last
  // fsync, before the ZIP gets its name, then waits only for the tail.
  private flushing: Promise<void> | null = null;
  private flushedAt = 0;

  constructor(
    readonly tmpZip: string,
    readonly tmpDir: string,
    private readonly zipFd: number,
    private readonly helper: CopyHashHelper,
    private readonly opts: WriteDossierOptions & { chunkSize: number },
  ) {
    this.zip = new ZipWriter(zipFd, opts.mtime, (buf, upTo) => helper.written(buf, upTo), opts.forceZip64 ?? false);
    this.buf = Buffer.allocUnsafeSlow(opts.chunkSize); // the one read buffer, reused for every pièce
  }

  private folderFile(p: string): string {
    return path.join(this.tmpDir, ...p.split('/'));
  }

  /** A file whose bytes are in hand: written to the folder and the ZIP, listed in the manifest. */
  addBytes(p: string, data: Uint8Array, proves: string): void {
    const b = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    fs.writeFileSync(this.folderFile(p), b, { flag: 'wx', mode: PRIVATE_FILE_MODE });
    this.zip.addWhole(p, b, compressed(p));
    this.manifest.push({ path: p, sha256: sha256(b), size: b.length, proves });
    this.bytes += b.length;
  }

  /** A pièce from disk: copied to the folder by the helper, read once here for the ZIP and hashed on the way. */
  async addFile(p: string, file: string, proves: string): Promise<void> {
    const { chunkSize, signal } = this.opts;
    const fd = (this.pieceFd = fs.openSync(file, 'r'));
    const size = fs.fstatSync(fd).size;
    this.helper.copy(file, this.folderFile(p), size, p); // the folder's copy, on the helper thread
    const hash = crypto.createHash('sha256');
    if (size <= chunkSize) {
      if (readFullSync(fd, this.buf, size, 0) !== size || hasByteAt(fd, size)) throw changed(p);
      const data = this.buf.subarray(0, size);
      hash.update(data);
      this.zip.addWhole(p, data, false);
      this.bytes += size;
    } else {
      this.zip.begin(p, size);
      for (let pos = 0; pos < size; ) {
        const want = Math.min(chunkSize, size - pos);
        if (readFullSync(fd, this.buf, want, pos) !== want) throw changed(p);
        const data = this.buf.subarray(0, want);
        hash.update(data);
        this.zip.data(data);
        pos += want;
        this.bytes += want;
        await breathe(); // lets a cancellation in, even inside a large file
        if (signal?.aborted) throw cancelled();
      }
      if (hasByteAt(fd, size)) throw changed(p);
      this.zip.end();
    }
    fs.closeSync(fd);
    this.pieceFd = null;
    this.manifest.push({ path: p, sha256: hash.digest('hex'), size, proves });
    if (!this.flushing && this.zip.pos - this.flushedAt >= FLUSH_EVERY) {
      this.flushedAt = this.zip.pos;
      const flushing = new Promise<void>((resolve, reject) => fs.fdatasync(this.zipFd, (err) => (err ? reject(err) : resolve()))).finally(() => (this.flushing = null));
      flushing.catch(() => {}); // a failure is met again by the last fsync
      this.flushing = flushing;
    }
  }

  /** The ZIP's end records written, flushed to disk, closed: its SHA-256 (the helper's copies done too). */
  async close(): Promise<string> {
    this.zip.finish();
    if (this.opts.signal?.aborted) throw cancelled();
    if (this.flushing) await this.flushing.catch(() => {});
    const [hashed, synced] = await Promise.allSettled([
      this.helper.finish(this.zip.pos), // the folder's copies too
      new Promise<void>((resolve, reject) => fs.fsync(this.zipFd, (err) => (err ? reject(err) : resolve()))), // on disk before it is named *.zip
    ]);
    if (hashed.status === 'rejected') throw hashed.reason;
    if (synced.status === 'rejected') throw synced.reason;
    fs.closeSync(this.zipFd);
    this.zipClosed = true;
    if (fs.statSync(this.tmpZip).size !== this.zip.pos) throw new Error('Le ZIP écrit n’a pas la taille attendue.');
    return hashed.value;
  }

  /** After a failure: the helper stopped, files closed, and this run's two temporaries removed (nothing else). */
  async abandon(dirCreated: boolean): Promise<void> {
    await this.helper.stop().catch(() => {}); // its copies end before their folder is removed
    if (this.flushing) await this.flushing.catch(() => {}); // before its file is closed
    if (this.pieceFd !== null) fs.closeSync(this.pieceFd);
    if (!this.zipClosed) fs.closeSync(this.zipFd);
    fs.rmSync(this.tmpZip, { force: true });
    if (dirCreated) fs.rmSync(this.tmpDir, { recursive: true, force: true });
  }
}

export async function writeDossier(opts: WriteDossierOptions): Promise<DossierResult> {
  const entries = [...opts.entries].sort(byPath);
  const parts = [...(opts.parts ?? [])].sort((a, b) => (a.folder < b.folder ? -1 : 1));
  const allPaths = [...entries.map((e) => e.path), ...parts.map((p) => `${p.folder}/${MANIFEST}`), MANIFEST];
  for (const p of allPaths) assertSafeEntryPath(p);
  // Unique once case is ignored, as on Windows: checked before anything is written.
  assertUniqueEntryPaths(allPaths);
  const chunkSize = opts.chunkSize ?? READ_CHUNK;
  fs.mkdirSync(opts.outDir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const staleTemporaries = listTemporaries(opts.outDir);
  const rand = crypto.randomBytes(6).toString('hex');
  const tmpZip = path.join(opts.outDir, `${TEMP_PREFIX}${rand}.tmp`);
  const tmpDir = path.join(opts.outDir, `${TEMP_PREFIX}${rand}.dir`);

  // Both temporaries are created exclusively: what this run removes on failure is its own.
  const zipFd = fs.openSync(tmpZip, 'wx', PRIVATE_FILE_MODE);
  const helper = startHelper(tmpZip, chunkSize, opts.inlineHelper ?? false);
  const run = new DossierRun(tmpZip, tmpDir, zipFd, helper, { ...opts, chunkSize });
  let dirCreated = false;
  try {
    fs.mkdirSync(tmpDir, { mode: PRIVATE_DIR_MODE });
    dirCreated = true;
    for (const dir of new Set(allPaths.map((p) => path.dirname(path.join(tmpDir, ...p.split('/')))))) fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    for (const [i, e] of entries.entries()) {
      if (opts.signal?.aborted) throw cancelled();
      opts.onProgress?.({ done: i, total: entries.length, bytes: run.bytes, current: e.path });
      if (opts.signal?.aborted) throw cancelled();
      if ('bytes' in e.source) run.addBytes(e.path, e.source.bytes, e.proves);
      else await run.addFile(e.path, e.source.file, e.proves);
      await breathe();
    }
    // Each part's manifest (its files, paths relative to it), then the root one (every file).
    for (const part of parts) {
      const prefix = `${part.folder}/`;
      const own = run.manifest.filter((l) => l.path.startsWith(prefix)).map((l) => ({ ...l, path: l.path.slice(prefix.length) }));
      run.addBytes(`${prefix}${MANIFEST}`, Buffer.from(manifestCsv(own), 'utf8'), part.proves);
    }
    const manifest = [...run.manifest].sort(byPath);
    const manifestBytes = Buffer.from(manifestCsv(manifest), 'utf8');
    fs.writeFileSync(path.join(tmpDir, MANIFEST), manifestBytes, { flag: 'wx', mode: PRIVATE_FILE_MODE });
    run.zip.addWhole(MANIFEST, manifestBytes, compressed(MANIFEST));
    const zipSha256 = await run.close();
    opts.onProgress?.({ done: entries.length, total: entries.length, bytes: run.bytes, current: '' });
    const placed = placeDossier(opts.outDir, safeFileStem(opts.baseName), tmpDir, tmpZip);
    return { ...placed, manifest, zipSha256, zipSize: run.zip.pos, staleTemporaries, helper: helper.mode };
  } catch (err) {
    await run.abandon(dirCreated);
    throw err;
  }
}
