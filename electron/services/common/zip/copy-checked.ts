// The folder's copy of a file, shared by the helper thread and the main thread.
import fs from 'node:fs';

/**
 * Copies `src` to `dst` (a new file) with the OS's copyFile — a copy-on-write clone where the
 * file system offers it, else a kernel copy; never a hard link: editing a file of the exported
 * folder must not alter the source — and checks it measures `size` (the size read for the ZIP).
 */
export function copyFileChecked(src: string, dst: string, size: number, label: string): void {
  fs.copyFileSync(src, dst, fs.constants.COPYFILE_EXCL | fs.constants.COPYFILE_FICLONE);
  if (fs.statSync(dst).size !== size) throw new Error(`Le fichier a changé pendant la copie : ${label}`);
}
