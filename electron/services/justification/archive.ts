// Writes the end-of-convention dossier to disk: a folder and a ZIP with the same content,
// plus manifeste.csv (path, SHA-256, size, what each file proves).
//
// - Reproducible: entries sorted by path, one fixed timestamp and mode, no extra metadata, so
//   the same database gives a byte-identical ZIP.
// - Streamed: each file is read once, hashed and written to the ZIP as it flows; memory does
//   not grow with the number or size of the pièces. PDFs and images are stored, not deflated
//   (they are already compressed; deflating them costs time for nothing).
// - Atomic: everything is written under hidden temporary names (".~dossier-…", never "*.zip")
//   and renamed into place only when complete. A failed, cancelled or killed run leaves no
//   partial ZIP; leftovers of a killed run are removed by the next one.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import zlib from 'node:zlib';
import { PassThrough, Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';

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
  /** Text files added after the entries (LISEZMOI.txt…); the manifest is always added last. */
  signal?: AbortSignal;
  onProgress?: (p: { done: number; total: number; bytes: number; current: string }) => void;
}

export interface DossierResult {
  zipPath: string;
  folderPath: string;
  manifest: ManifestLine[];
  zipSha256: string;
  zipSize: number;
}

/**
 * yazl computes each entry's CRC-32 with buffer-crc32, in JavaScript: on a dossier of scans it
 * was the largest cost (≈ 1 s for 300 MB, profiled). Node ≥ 20.15 has the same function natively
 * (zlib.crc32, same running-CRC semantics — checked below on a sample before use). Where either
 * is unavailable (bundled copy, older Node), yazl keeps its own: slower, never wrong.
 */
export const nativeCrc32 = (() => {
  const native = (zlib as unknown as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;
  if (typeof native !== 'function') return false;
  try {
    const req = createRequire(require.resolve('yazl'));
    const mod = req('buffer-crc32') as { unsigned: (buf: Uint8Array, previous?: number) => number };
    const sample = Buffer.from('FNE Formations — contrôle CRC-32');
    if (mod.unsigned(sample, mod.unsigned(sample)) !== native(sample, native(sample))) return false;
    mod.unsigned = (buf, previous) => native(buf, previous ?? 0);
    return true;
  } catch {
    return false;
  }
})();

const STORED_EXTENSIONS = new Set(['.pdf', '.png', '.jpg', '.jpeg', '.gif', '.zip', '.xlsx', '.docx', '.odt', '.ods', '.tif', '.tiff']);
export const TEMP_PREFIX = '.~dossier-';
/** Folder copies running alongside the ZIP (bounded: each holds a thread of the pool). */
const MAX_FOLDER_COPIES = 2;

/** A path from our own data, still checked: no absolute path, no "..", no backslash, no control character. */
export function assertSafeEntryPath(p: string): void {
  // eslint-disable-next-line no-control-regex
  if (p === '' || p.startsWith('/') || p.includes('\\') || /[\u0000-\u001f]/.test(p) || /^[A-Za-z]:/.test(p) || p.split('/').some((s) => s === '' || s === '.' || s === '..')) {
    throw new Error(`Chemin interdit dans le dossier : « ${p} »`);
  }
}

/** Folder/file name of a dossier: only safe characters. */
export function safeFileStem(s: string): string {
  return (
    s
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/-+/g, '-')
      .replace(/^[-.]+|[-.]+$/g, '')
      .slice(0, 120) || 'fichier'
  );
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

function hashingCounter(onChunk: (n: number) => void, signal?: AbortSignal): { stream: Transform; digest: () => { sha256: string; size: number } } {
  const hash = crypto.createHash('sha256');
  let size = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      if (signal?.aborted) return cb(cancelled()); // cancellation is prompt, even inside a large file
      hash.update(chunk);
      size += chunk.length;
      onChunk(chunk.length);
      cb(null, chunk);
    },
  });
  return { stream, digest: () => ({ sha256: hash.digest('hex'), size }) };
}

function fsyncFile(file: string): void {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export async function writeDossier(opts: WriteDossierOptions): Promise<DossierResult> {
  const entries = [...opts.entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const seen = new Set<string>();
  for (const e of entries) {
    assertSafeEntryPath(e.path);
    if (seen.has(e.path)) throw new Error(`Deux fichiers portent le même nom dans le dossier : « ${e.path} »`);
    seen.add(e.path);
  }
  fs.mkdirSync(opts.outDir, { recursive: true });
  cleanStaleTemporaries(opts.outDir);
  const stem = safeFileStem(opts.baseName);
  const rand = crypto.randomBytes(6).toString('hex');
  const tmpZip = path.join(opts.outDir, `${TEMP_PREFIX}${rand}.tmp`);
  const tmpDir = path.join(opts.outDir, `${TEMP_PREFIX}${rand}.dir`);
  const finalZip = path.join(opts.outDir, `${stem}.zip`);
  const finalDir = path.join(opts.outDir, stem);
  const entryOptions = (p: string, size?: number) => ({
    mtime: opts.mtime,
    mode: 0o100644,
    compress: !STORED_EXTENSIONS.has(path.extname(p).toLowerCase()),
    forceDosTimestamp: true, // no extra timestamp field: fewer bytes, same output everywhere
    ...(size === undefined ? {} : { size }),
  });

  const zip = new yazl.ZipFile();
  const out = fs.createWriteStream(tmpZip, { flags: 'wx' });
  // The ZIP's own SHA-256 is computed as it is written (no second read of the whole file).
  const zipHash = crypto.createHash('sha256');
  let zipBytes = 0;
  const zipHasher = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      zipHash.update(chunk);
      zipBytes += chunk.length;
      cb(null, chunk);
    },
  });
  const zipDone = pipeline(zip.outputStream, zipHasher, out);
  zipDone.catch(() => {}); // awaited below; this only keeps an early failure from being "unhandled"
  let failed = false;
  // Teardown: yazl may still push a chunk after we stop it; those late errors are expected.
  const ignore = () => {};
  zip.on('error', ignore);
  const fail = () => {
    if (failed) return;
    failed = true;
    (zip.outputStream as Readable).on('error', ignore).destroy();
    zipHasher.on('error', ignore).destroy();
    out.on('error', ignore).destroy();
  };
  const folderCopies = new Set<Promise<void>>();
  try {
    fs.mkdirSync(tmpDir);
    const manifest: ManifestLine[] = [];
    let bytes = 0;
    for (const [i, e] of entries.entries()) {
      if (opts.signal?.aborted) throw cancelled();
      opts.onProgress?.({ done: i, total: entries.length, bytes, current: e.path });
      const folderFile = path.join(tmpDir, ...e.path.split('/'));
      fs.mkdirSync(path.dirname(folderFile), { recursive: true });
      let digest: { sha256: string; size: number };
      if ('bytes' in e.source) {
        const buf = Buffer.from(e.source.bytes);
        fs.writeFileSync(folderFile, buf);
        digest = { sha256: crypto.createHash('sha256').update(buf).digest('hex'), size: buf.length };
        zip.addBuffer(buf, e.path, entryOptions(e.path));
        bytes += buf.length;
      } else {
        // The source is read once into the ZIP (hashed on the way); the folder gets the OS's own
        // copy of the same file (copyFile: a copy-on-write clone where the file system offers it,
        // else a kernel copy), alongside on the thread pool. Never a hard link: editing a file of
        // the exported folder must not be able to alter the pièces store.
        const size = fs.statSync(e.source.file).size;
        const counter = hashingCounter((n) => (bytes += n), opts.signal);
        const toZip = new PassThrough({ highWaterMark: 1 << 20 });
        const entryWritten = new Promise<void>((resolve, reject) => {
          toZip.once('end', resolve);
          toZip.once('error', reject);
        });
        zip.addReadStream(toZip, e.path, entryOptions(e.path, size));
        while (folderCopies.size >= MAX_FOLDER_COPIES) await Promise.race(folderCopies);
        const copy: Promise<void> = fs.promises
          .copyFile(e.source.file, folderFile, fs.constants.COPYFILE_EXCL | fs.constants.COPYFILE_FICLONE)
          .then(() => {
            if (fs.statSync(folderFile).size !== size) throw new Error(`Le fichier a changé pendant la copie : ${e.path}`);
          })
          .finally(() => folderCopies.delete(copy));
        copy.catch(() => {}); // awaited below (Promise.all); this only keeps it from being "unhandled"
        folderCopies.add(copy);
        await Promise.all([pipeline(fs.createReadStream(e.source.file, { highWaterMark: 1 << 20 }), counter.stream, toZip), entryWritten]);
        digest = counter.digest();
        if (digest.size !== size) throw new Error(`Le fichier a changé pendant la copie : ${e.path}`);
      }
      manifest.push({ path: e.path, sha256: digest.sha256, size: digest.size, proves: e.proves });
    }
    await Promise.all(folderCopies);
    const manifestBytes = Buffer.from(manifestCsv(manifest), 'utf8');
    fs.writeFileSync(path.join(tmpDir, 'manifeste.csv'), manifestBytes);
    zip.addBuffer(manifestBytes, 'manifeste.csv', entryOptions('manifeste.csv'));
    zip.end();
    await zipDone;
    if (opts.signal?.aborted) throw cancelled();
    fsyncFile(tmpZip);
    if (fs.statSync(tmpZip).size !== zipBytes) throw new Error('Le ZIP écrit n’a pas la taille attendue.');
    opts.onProgress?.({ done: entries.length, total: entries.length, bytes, current: '' });
    // Replace a previous dossier of the same name only once the new one is complete.
    if (fs.existsSync(finalDir)) fs.rmSync(finalDir, { recursive: true, force: true });
    fs.renameSync(tmpDir, finalDir);
    fs.renameSync(tmpZip, finalZip);
    return { zipPath: finalZip, folderPath: finalDir, manifest, zipSha256: zipHash.digest('hex'), zipSize: zipBytes };
  } catch (err) {
    fail();
    await zipDone.catch(() => {});
    await Promise.allSettled(folderCopies); // let the copies end before removing their folder
    fs.rmSync(tmpZip, { force: true });
    fs.rmSync(tmpDir, { recursive: true, force: true });
    throw err;
  }
}
