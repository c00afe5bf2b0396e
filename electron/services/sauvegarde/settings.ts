// Where backups go. Kept in a small JSON file beside the database, not in the database: the
// backup folder must be known when the database is unreadable (that is when it is needed), and
// restoring an older backup must not send later backups back to an older folder.
import fs from 'node:fs';
import path from 'node:path';
import { writeFileDurably } from '../common/durable-fs';
import { AppError } from '../errors';
import { mkdirPrivate } from '../common/private-fs';

export const SETTINGS_FILE_NAME = 'sauvegarde.json';

export interface BackupSettings {
  /** Absolute folder; absent = the default <dataDir>/sauvegardes. */
  dossier?: string;
}

export function defaultBackupDir(dataDir: string): string {
  return path.join(dataDir, 'sauvegardes');
}

export function readBackupSettings(dataDir: string): BackupSettings {
  try {
    const raw = JSON.parse(fs.readFileSync(path.join(dataDir, SETTINGS_FILE_NAME), 'utf8')) as unknown;
    if (raw && typeof raw === 'object' && typeof (raw as BackupSettings).dossier === 'string' && path.isAbsolute((raw as BackupSettings).dossier!)) {
      return { dossier: (raw as BackupSettings).dossier };
    }
  } catch {
    // absent or unreadable: defaults
  }
  return {};
}

export function backupDir(dataDir: string): string {
  return readBackupSettings(dataDir).dossier ?? defaultBackupDir(dataDir);
}

/**
 * Why a backup folder is not private enough, or null: on POSIX, writable by the group or by
 * everyone (mode & 0o022: another local user could plant a database to be restored, or read the
 * copies), or owned by another user. Windows has no such mode bits (ACLs): nothing to say there.
 */
export function backupFolderExposure(dir: string, platform: NodeJS.Platform = process.platform, uid: number | undefined = process.getuid?.()): string | null {
  if (platform === 'win32') return null;
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch {
    return null; // absent: created private (0700) when first used
  }
  if ((st.mode & 0o022) !== 0) {
    return `le dossier « ${dir} » est modifiable par d’autres utilisateurs de l’ordinateur (droits ${(st.mode & 0o777).toString(8)}) : retirez-leur le droit d’écriture ou choisissez un dossier personnel.`;
  }
  if (uid !== undefined && st.uid !== uid) return `le dossier « ${dir} » appartient à un autre utilisateur de l’ordinateur : choisissez un dossier personnel.`;
  return null;
}

/** Refuses a backup folder writable by others (see backupFolderExposure), with a French message. */
export function assertPrivateBackupFolder(dir: string, action: string): void {
  const why = backupFolderExposure(dir);
  if (why) throw new AppError('validation', `Dossier de sauvegarde refusé : ${why} ${action}`, { fields: { dossier: why } });
}

/**
 * Checks a folder the officer chose for backups: absolute, not a drive root, not inside the
 * pièces store, existing (a network drive must already be connected) and writable.
 */
export function validateBackupDir(dataDir: string, dossier: string): string {
  const raw = dossier.trim();
  const refuse = (why: string) => {
    throw new AppError('validation', `Dossier de sauvegarde refusé : ${why} Rien n'a été modifié.`, { fields: { dossier: why } });
  };
  if (raw === '') refuse('indiquez un dossier.');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f]/.test(raw)) refuse('le chemin contient des caractères invisibles.');
  if (!path.isAbsolute(raw)) refuse('indiquez un chemin complet (par exemple « D:\\Sauvegardes FNE » ou « \\\\serveur\\partage\\FNE »).');
  const dir = path.resolve(raw);
  if (path.parse(dir).root === dir) refuse('choisissez un sous-dossier, pas la racine d’un lecteur.');
  const pieces = path.resolve(dataDir, 'pieces');
  if (dir === pieces || dir.startsWith(pieces + path.sep)) refuse('ce dossier est celui des pièces justificatives.');
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch {
    return refuse(`le dossier « ${dir} » n’existe pas ou n’est pas accessible (lecteur réseau déconnecté ?).`);
  }
  if (!stat.isDirectory()) refuse(`« ${dir} » n’est pas un dossier.`);
  const exposed = backupFolderExposure(dir);
  if (exposed) refuse(exposed);
  const probe = path.join(dir, `.fne-essai-${process.pid}-${Date.now()}.tmp`);
  try {
    fs.writeFileSync(probe, 'essai');
    fs.rmSync(probe, { force: true });
  } catch {
    refuse(`impossible d’écrire dans « ${dir} » (droits insuffisants ?).`);
  }
  return dir;
}

export function saveBackupDir(dataDir: string, dossier: string | null): void {
  const settings: BackupSettings = dossier ? { dossier } : {};
  mkdirPrivate(dataDir);
  writeFileDurably(path.join(dataDir, SETTINGS_FILE_NAME), JSON.stringify(settings, null, 2) + '\n');
}
