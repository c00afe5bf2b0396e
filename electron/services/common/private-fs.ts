// Personal data at rest is for the officer alone: every folder the app creates is 0700 and every
// file 0600 (on POSIX; Windows keeps the user profile's ACLs). Each host also sets umask 0o077
// (privateUmask) so that files made by libraries (SQLite's -wal/-shm, temporary copies) follow;
// these helpers set the modes explicitly where the app creates a file, whatever the umask.
import fs from 'node:fs';
import path from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_UMASK = 0o077;

/** For the entry point of each host (Electron main, web host, CLI). */
export function privateUmask(): void {
  try {
    process.umask(PRIVATE_UMASK);
  } catch {
    // worker threads cannot change the umask: the explicit modes below still apply
  }
}

/**
 * Creates a folder (and its parents) as 0700. Only the folders this call creates are set, never
 * an existing parent the officer owns (Documents, a network share, /tmp given to --db); an
 * existing folder that is the app's own (`appOwned`: the data folder's sub-folders, the default
 * data folder) is tightened too, for folders an older version left 0755.
 */
export function mkdirPrivate(dir: string, opts: { appOwned?: boolean } = {}): void {
  const first = fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (opts.appOwned) {
    chmodQuiet(dir, PRIVATE_DIR_MODE);
    return;
  }
  if (first === undefined) return;
  const top = path.resolve(first);
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    chmodQuiet(d, PRIVATE_DIR_MODE);
    if (d === top || path.dirname(d) === d) break;
  }
}

/** Sets a file the app wrote to 0600. */
export function makeFilePrivate(file: string): void {
  chmodQuiet(file, PRIVATE_FILE_MODE);
}

function chmodQuiet(p: string, mode: number): void {
  if (process.platform === 'win32') return;
  try {
    const st = fs.statSync(p);
    if ((st.mode & 0o777) !== mode && st.uid === process.getuid?.()) fs.chmodSync(p, mode);
  } catch {
    // absent or not ours (a shared backup folder owned by another account): left as it is
  }
}
