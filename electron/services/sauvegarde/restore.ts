// Restoring a backup: the chosen file is checked first (full integrity_check, schema version),
// copied beside the live database, the current database is kept aside (as a backup named
// "avant-restauration", so a restore can itself be undone), then the copy takes the live
// file's place and the store is reopened in place: ctx.store is replaced, so every host that
// shares this context (Electron, web host) uses the restored data at once.
import fs from 'node:fs';
import path from 'node:path';
import { latestVersion } from '../../db/migrate';
import { copyFileDurably, fsyncDir } from '../common/durable-fs';
import { exclusiveWrite, type ServiceContext } from '../context';
import { AppError } from '../errors';
import { logger } from '../logging';
import { backupName, checkDatabaseFile, listBackupsIn, pruneBackups, type BackupInfo } from './backup';
import { rememberReport, runCheck, type CheckReport } from './check';
import { openLiveStore } from './open';
import { assertPrivateBackupFolder, backupDir } from './settings';

export interface RestoreResult {
  restored: BackupInfo;
  /** Name of the backup holding the database as it was just before (in the same folder). */
  previousKeptAs: string;
  report: CheckReport;
}

let restoring = false;

/**
 * What to restore: a backup of the backup folder, by name, or a database file the officer picked
 * in the desktop app's dialog (its path, resolved from the dialog's handle by the caller).
 * The database is swapped: no writer (a job's transaction, another channel) may run meanwhile,
 * and no reader either (the connection is closed and reopened): the restore holds the write
 * gate exclusively, after the writes and reads in progress end.
 */
export type RestoreSource = { name: string } | { pickedFile: string };

export function restoreBackup(ctx: ServiceContext, source: string | RestoreSource): Promise<RestoreResult> {
  return exclusiveWrite(ctx, () => restoreBackupExclusive(ctx, source));
}

async function restoreBackupExclusive(ctx: ServiceContext, source: string | RestoreSource): Promise<RestoreResult> {
  const src: RestoreSource = typeof source === 'string' ? { name: source } : source;
  const dir = backupDir(ctx.dataDir);
  // A folder others can write to may hold a planted database, and receives a copy of the real one.
  assertPrivateBackupFolder(dir, "Rien n'a été restauré.");
  let info: BackupInfo | undefined;
  if ('name' in src) {
    // The name must be one of the listed backups: no path from outside ever reaches the disk.
    info = listBackupsIn(dir).find((b) => b.name === src.name);
    if (!info) throw new AppError('not_found', `Sauvegarde « ${src.name.slice(0, 120)} » introuvable dans « ${dir} » : rien n'a été modifié.`);
  } else {
    let st: fs.Stats;
    try {
      st = fs.statSync(src.pickedFile);
    } catch {
      throw new AppError('not_found', "Le fichier choisi n'est plus accessible : rien n'a été modifié.");
    }
    if (!st.isFile()) throw new AppError('validation', "Le fichier choisi n'est pas une sauvegarde : rien n'a été modifié.");
    info = { name: path.basename(src.pickedFile), path: src.pickedFile, at: st.mtime.toISOString(), reason: 'fichier', reasonLabel: 'Fichier choisi', size: st.size };
  }
  if (restoring) throw new AppError('conflict', "Une restauration est déjà en cours : rien n'a été modifié.");
  const check = checkDatabaseFile(info.path, true);
  if (!check.ok) {
    throw new AppError(
      'validation',
      `La sauvegarde du ${info.at.slice(0, 10)} est endommagée ou n'est pas une base FNE Formations (${check.problems.slice(0, 2).join(' ; ')}) : elle n'a pas été restaurée et rien n'a été modifié. Choisissez-en une autre.`,
    );
  }
  if ((check.schemaVersion ?? 0) > latestVersion()) {
    throw new AppError('validation', "Cette sauvegarde vient d'une version plus récente de FNE Formations : mettez l'application à jour avant de la restaurer. Rien n'a été modifié.");
  }

  restoring = true;
  const live = ctx.store.file;
  const staging = `${live}.restauration.tmp`;
  try {
    copyFileDurably(info.path, staging);
    const previousKeptAs = backupName(ctx.now(), 'avant-restauration');
    const asidePath = path.join(dir, previousKeptAs);
    const old = ctx.store;
    await old.close();
    // Keep the current database aside (with its WAL if a damaged file left one behind).
    try {
      copyFileDurably(live, asidePath);
      if (fs.existsSync(live + '-wal') && fs.statSync(live + '-wal').size > 0) copyFileDurably(live + '-wal', asidePath + '-wal');
      fsyncDir(dir);
    } catch (e) {
      ctx.store = openLiveStore(ctx.dataDir, live, { gate: old.gate });
      throw new AppError('internal', `La base actuelle n'a pas pu être mise de côté dans « ${dir} » (${e instanceof Error ? e.message : String(e)}) : rien n'a été restauré.`);
    }
    // Swap: the checked copy takes the live file's place.
    for (const ext of ['-wal', '-shm']) fs.rmSync(live + ext, { force: true });
    fs.renameSync(staging, live);
    fsyncDir(path.dirname(live));
    try {
      ctx.store = openLiveStore(ctx.dataDir, live, { gate: old.gate });
    } catch (e) {
      copyFileDurably(asidePath, live);
      ctx.store = openLiveStore(ctx.dataDir, live, { gate: old.gate });
      throw new AppError('internal', `La sauvegarde n'a pas pu être ouverte après la copie (${e instanceof Error ? e.message : String(e)}) : la base précédente a été remise en place.`);
    }
    pruneBackups(dir);
    logger.info(`${'name' in src ? `Sauvegarde « ${info.name} »` : 'Fichier choisi par l’agent'} restauré(e) ; base précédente gardée sous « ${previousKeptAs} »`);
    const report = await runCheck(ctx, { minAgeMs: 0 });
    rememberReport(ctx, report);
    return { restored: info, previousKeptAs, report };
  } finally {
    fs.rmSync(staging, { force: true });
    restoring = false;
  }
}
