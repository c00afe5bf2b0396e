// Durable file writes, the one way the app puts a file on disk that must survive a crash or a
// power cut (pièces store, backups, restore, settings): write or copy under a temporary name in
// the same folder, fsync the file, rename it into place, fsync the folder. A crash leaves either
// the old file or the new one, never half of one (at worst a stray temporary file).
import fs from 'node:fs';
import path from 'node:path';
import { makeFilePrivate, PRIVATE_FILE_MODE } from './private-fs';

/** Flushes a file's content to the disk. */
export function fsyncFile(file: string): void {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Makes a rename or a creation in `dir` durable. Windows cannot open a directory for fsync: skipped there. */
export function fsyncDir(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Default temporary name: beside `dest`, unique to this process. */
function tmpBeside(dest: string): string {
  return `${dest}.${process.pid}.tmp`;
}

/** Copies `src` to `dest` durably through `tmp` (a name in the same folder as `dest`). */
export function copyFileDurably(src: string, dest: string, tmp = tmpBeside(dest)): void {
  fs.copyFileSync(src, tmp);
  makeFilePrivate(tmp); // copyFile keeps the source's mode
  fsyncFile(tmp);
  fs.renameSync(tmp, dest);
  fsyncDir(path.dirname(dest));
}

/**
 * Writes `content` to `dest` durably through `tmp` (a name in the same folder as `dest`);
 * `exclusive` refuses a `tmp` that already exists.
 */
export function writeFileDurably(dest: string, content: string | Uint8Array, opts: { tmp?: string; exclusive?: boolean } = {}): void {
  const tmp = opts.tmp ?? tmpBeside(dest);
  const fd = fs.openSync(tmp, opts.exclusive ? 'wx' : 'w', PRIVATE_FILE_MODE);
  try {
    fs.writeSync(fd, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  makeFilePrivate(tmp); // an existing tmp keeps its mode on open
  fs.renameSync(tmp, dest);
  fsyncDir(path.dirname(dest));
}
