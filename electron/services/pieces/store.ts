// The pièces store: files the officer attaches (signed convention, quotes, attendance sheets…)
// are copied into <dataDir>/pieces/<sha[0:2]>/<sha256>, content-addressed, never modified or
// deleted by the app while referenced. The file is written to a temporary name, fsynced and
// renamed into place *before* the row that references it commits: a crash leaves at worst an
// unreferenced file (found by the startup check), never a row pointing to nothing.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { copyFileDurably, writeFileDurably } from '../common/durable-fs';
import { mkdirPrivate } from '../common/private-fs';

export function piecesDir(dataDir: string): string {
  return path.join(dataDir, 'pieces');
}

export function blobPath(dataDir: string, sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`Empreinte SHA-256 invalide : ${sha256}`);
  return path.join(piecesDir(dataDir), sha256.slice(0, 2), sha256);
}

export function sha256Of(bytes: Uint8Array): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

export async function sha256OfFile(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** A fresh temporary name beside a blob (the folder is created): « .<sha256>.<pid>.<random>.tmp ». */
function tmpInStore(dest: string): string {
  const dir = path.dirname(dest);
  mkdirPrivate(path.dirname(dir), { appOwned: true });
  mkdirPrivate(dir, { appOwned: true });
  return path.join(dir, `.${path.basename(dest)}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`);
}

/** Writes bytes into the store (once per content) and returns their SHA-256. */
export function writeBlob(dataDir: string, bytes: Uint8Array): { sha256: string; size: number; path: string; created: boolean } {
  const sha256 = sha256Of(bytes);
  const dest = blobPath(dataDir, sha256);
  if (fs.existsSync(dest) && fs.statSync(dest).size === bytes.byteLength) {
    return { sha256, size: bytes.byteLength, path: dest, created: false };
  }
  writeFileDurably(dest, bytes, { tmp: tmpInStore(dest), exclusive: true });
  return { sha256, size: bytes.byteLength, path: dest, created: true };
}

/** Streams a file from disk into the store (for large files: memory does not grow). */
export async function writeBlobFromFile(dataDir: string, source: string): Promise<{ sha256: string; size: number; path: string }> {
  const sha256 = await sha256OfFile(source);
  const dest = blobPath(dataDir, sha256);
  const size = fs.statSync(source).size;
  if (fs.existsSync(dest) && fs.statSync(dest).size === size) return { sha256, size, path: dest };
  copyFileDurably(source, dest, tmpInStore(dest));
  return { sha256, size, path: dest };
}
