// Backups of the database with SQLite's online backup API (better-sqlite3 `db.backup`): a
// consistent copy taken while the app runs. Taken automatically once a day at start-up, before
// every migration, before every import or bulk change (backupBefore), and on demand. Each copy
// is written under a temporary name, turned into a self-contained file (journal_mode=DELETE),
// checked (quick_check), fsynced and only then renamed: a backup that exists is a good one.
//
// The pièces store is content-addressed and append-only (a stored file is never changed nor
// removed while referenced), so a database backup plus the pièces folder is consistent: every
// file an older database refers to is still there. When the backup folder is elsewhere (a
// network drive), the pièces are also mirrored there, copying only files not yet present.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { copyFileDurably, fsyncDir, fsyncFile } from '../common/durable-fs';
import type { ServiceContext } from '../context';
import { AppError } from '../errors';
import { logger } from '../logging';
import { blobPath, piecesDir } from '../pieces/store';
import { backupDir } from './settings';
import { makeFilePrivate, mkdirPrivate, PRIVATE_FILE_MODE } from '../common/private-fs';
import type { Cols } from '../../db/rows';

/** better-sqlite3 build to use for the files we open here (Electron has its own; set by openApp). */
let nativeBinding: string | undefined;
export function setBackupNativeBinding(binding: string | undefined): void {
  nativeBinding = binding;
}
export function sqliteOptions(): { nativeBinding?: string } {
  return nativeBinding ? { nativeBinding } : {};
}

export const BACKUP_PREFIX = 'fne-formations_';
const NAME_RE = /^fne-formations_(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z_([a-z0-9-]{1,40})\.sqlite$/;

/** Why a backup was taken; free reasons given to backupBefore() are kept as their slug. */
export const reasonLabels: Record<string, string> = {
  quotidienne: 'Automatique (quotidienne)',
  migration: 'Avant mise à jour de la base',
  manuelle: 'Manuelle',
  'avant-restauration': 'Base remplacée par une restauration',
  import: 'Avant un import',
  fusion: 'Avant une fusion',
  annulation: 'Avant une annulation',
  'modification-groupee': 'Avant une modification groupée',
  dossier: 'Avant la production du dossier',
};

/**
 * How many backups are kept, per kind; older ones are deleted after each new backup. The daily
 * ones have their own budget: a busy day of imports and bulk changes must not push out the
 * backups of the previous weeks.
 */
export const RETENTION = { quotidiennes: 30, automatiques: 30, manuelles: 20, 'avant-restauration': 10 } as const;
type RetentionKind = keyof typeof RETENTION;

function kindOf(reason: string): RetentionKind {
  if (reason === 'quotidienne') return 'quotidiennes';
  if (reason === 'manuelle') return 'manuelles';
  if (reason === 'avant-restauration') return 'avant-restauration';
  return 'automatiques';
}

export interface BackupInfo {
  name: string;
  path: string;
  at: string;
  reason: string;
  reasonLabel: string;
  size: number;
}

export function slugReason(reason: string): string {
  const s = reason
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/g, '');
  return s || 'automatique';
}

export function backupName(at: Date, reason: string): string {
  return `${BACKUP_PREFIX}${at.toISOString().replace(/:/g, '-').replace('.', '-')}_${slugReason(reason)}.sqlite`;
}

export function parseBackupName(name: string): { at: string; reason: string } | null {
  const m = NAME_RE.exec(name);
  if (!m) return null;
  return { at: `${m[1]}T${m[2]}:${m[3]}:${m[4]}.${m[5]}Z`, reason: m[6] };
}

export interface BackupCheck {
  ok: boolean;
  /** quick_check / integrity_check messages ("ok" when sound). */
  problems: string[];
  schemaVersion: number | null;
}

/** Opens a database file read-only and checks it page by page (integrity_check when `full`). */
export function checkDatabaseFile(file: string, full = false): BackupCheck {
  let d: Database.Database | undefined;
  try {
    d = new Database(file, { readonly: true, fileMustExist: true, ...sqliteOptions() });
    const rows = d.pragma(full ? 'integrity_check(20)' : 'quick_check(20)') as Record<string, string>[];
    const problems = rows.flatMap((r) => String(Object.values(r)[0]).split('\n')).map((v) => v.replace(/^\*\*\* in database main \*\*\*$/, '').trim()).filter((v) => v !== '' && v !== 'ok');
    const schemaVersion = d.pragma('user_version', { simple: true }) as number;
    const hasTables = d.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type='table' AND name IN ('conventions','audit_log')").get() as { n: number };
    if (problems.length === 0 && hasTables.n < 2) problems.push("ce fichier n'est pas une base FNE Formations");
    return { ok: problems.length === 0, problems, schemaVersion };
  } catch (e) {
    return { ok: false, problems: [e instanceof Error ? e.message : String(e)], schemaVersion: null };
  } finally {
    d?.close();
  }
}

/** Makes the fresh copy self-contained, checks it, and renames it into place. */
function finalise(tmp: string, dest: string): void {
  const d = new Database(tmp, sqliteOptions());
  try {
    d.pragma('journal_mode = DELETE');
  } finally {
    d.close();
  }
  const check = checkDatabaseFile(tmp, false);
  if (!check.ok) {
    fs.rmSync(tmp, { force: true });
    throw new AppError('internal', `La copie de sauvegarde est incorrecte (${check.problems.join(' ; ')}) : elle n'a pas été gardée.`);
  }
  makeFilePrivate(tmp);
  fsyncFile(tmp);
  fs.renameSync(tmp, dest);
  fsyncDir(path.dirname(dest));
}

function uniqueName(dir: string, at: Date, reason: string): string {
  let t = at.getTime();
  let name = backupName(new Date(t), reason);
  while (fs.existsSync(path.join(dir, name))) name = backupName(new Date(++t), reason);
  return name;
}

export function listBackupsIn(dir: string): BackupInfo[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const out: BackupInfo[] = [];
  for (const name of names) {
    const parsed = parseBackupName(name);
    if (!parsed) continue;
    const file = path.join(dir, name);
    let size = 0;
    try {
      size = fs.statSync(file).size;
    } catch {
      continue;
    }
    out.push({ name, path: file, at: parsed.at, reason: parsed.reason, reasonLabel: reasonLabels[parsed.reason] ?? `Avant : ${parsed.reason.replace(/-/g, ' ')}`, size });
  }
  return out.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : a.name < b.name ? 1 : -1));
}

export function listBackups(ctx: ServiceContext): BackupInfo[] {
  return listBackupsIn(backupDir(ctx.dataDir));
}

/** Deletes the oldest backups beyond RETENTION, per kind. Returns the names removed. */
export function pruneBackups(dir: string, retention: Record<RetentionKind, number> = RETENTION): string[] {
  const removed: string[] = [];
  const seen: Record<RetentionKind, number> = { quotidiennes: 0, automatiques: 0, manuelles: 0, 'avant-restauration': 0 };
  for (const b of listBackupsIn(dir)) {
    const k = kindOf(b.reason);
    seen[k]++;
    if (seen[k] > retention[k]) {
      fs.rmSync(b.path, { force: true });
      fs.rmSync(b.path + '-wal', { force: true });
      removed.push(b.name);
    }
  }
  return removed;
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Copies the pièces the database refers to into <backupDir>/pieces (same layout), when the
 * backup folder is not inside the data folder. Content-addressed: present files are skipped.
 */
export function mirrorPieces(ctx: ServiceContext, dir: string): number {
  if (isInside(path.resolve(dir), path.resolve(ctx.dataDir))) return 0;
  const rows = ctx.store.sqlite.prepare('SELECT sha256 FROM blobs').all() as Cols<'blobs', 'sha256'>[];
  let copied = 0;
  for (const { sha256 } of rows) {
    const src = blobPath(ctx.dataDir, sha256);
    const dest = path.join(dir, 'pieces', sha256.slice(0, 2), sha256);
    if (fs.existsSync(dest) || !fs.existsSync(src)) continue;
    mkdirPrivate(path.join(dir, 'pieces'), { appOwned: true });
    mkdirPrivate(path.dirname(dest), { appOwned: true });
    copyFileDurably(src, dest);
    copied++;
  }
  return copied;
}

function ensureDir(dir: string): void {
  try {
    mkdirPrivate(dir);
  } catch (e) {
    throw new AppError('file_unreadable', `Le dossier de sauvegarde « ${dir} » n'est pas accessible (${e instanceof Error ? e.message : String(e)}). Rien n'a été sauvegardé.`);
  }
}

/** Takes a backup now (online backup API) into the configured folder. */
export async function createBackup(ctx: ServiceContext, reason: string): Promise<BackupInfo> {
  const dir = backupDir(ctx.dataDir);
  ensureDir(dir);
  const name = uniqueName(dir, ctx.now(), reason);
  const dest = path.join(dir, name);
  const tmp = path.join(dir, `.${name}.${process.pid}.partial`);
  try {
    await ctx.store.sqlite.backup(tmp);
    finalise(tmp, dest);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    fs.rmSync(tmp + '-wal', { force: true });
    fs.rmSync(tmp + '-journal', { force: true });
    logger.error(`Sauvegarde impossible (${reason})`, e);
    if (e instanceof AppError) throw e;
    throw new AppError('internal', `La sauvegarde n'a pas pu être écrite dans « ${dir} » : ${e instanceof Error ? e.message : String(e)}. Rien n'a été modifié.`);
  }
  try {
    mirrorPieces(ctx, dir);
  } catch (e) {
    logger.warn('Copie des pièces vers le dossier de sauvegarde incomplète', e);
  }
  const removed = pruneBackups(dir);
  logger.info(`Sauvegarde « ${name} » écrite (${reason})${removed.length ? `, ${removed.length} ancienne(s) supprimée(s)` : ''}`);
  const info = listBackupsIn(dir).find((b) => b.name === name);
  if (!info) throw new AppError('internal', 'La sauvegarde a disparu juste après son écriture.');
  return info;
}

/**
 * THE call for other capabilities: take a backup before an import or a bulk change, outside
 * the transaction that makes the change. `reason` is short French ("import", "fusion"…).
 */
export async function backupBefore(ctx: ServiceContext, reason: string): Promise<BackupInfo> {
  return createBackup(ctx, reason);
}

/**
 * Synchronous backup for the migration hook (openStore runs migrations synchronously):
 * sqlite3_serialize gives a consistent image of the database as it is before the migration.
 */
export function backupForMigration(dataDir: string, sqlite: Database.Database, from: number, to: number, at = new Date()): string {
  const dir = backupDir(dataDir);
  mkdirPrivate(dir);
  const name = uniqueName(dir, at, 'migration');
  const dest = path.join(dir, name);
  const tmp = path.join(dir, `.${name}.${process.pid}.partial`);
  try {
    const fd = fs.openSync(tmp, 'w', PRIVATE_FILE_MODE);
    try {
      fs.writeSync(fd, sqlite.serialize());
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    finalise(tmp, dest);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  pruneBackups(dir);
  logger.info(`Sauvegarde « ${name} » avant la mise à jour du schéma ${from} → ${to}`);
  return dest;
}

/** Once a day, at the first start: a backup unless one was already taken today (any reason). */
export async function dailyBackupIfNeeded(ctx: ServiceContext): Promise<BackupInfo | null> {
  const today = ctx.now().toISOString().slice(0, 10);
  if (listBackups(ctx).some((b) => b.at.slice(0, 10) === today)) return null;
  return createBackup(ctx, 'quotidienne');
}
