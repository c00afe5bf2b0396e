// Opening the database the way every host needs it: the backup hook before migrations, the
// Electron build of better-sqlite3 when given, and — for the hosts with a screen — a start
// that survives an unreadable file: it is set aside (never deleted) and an empty database is
// opened, so the officer sees the app, the French explanation and the restore screen instead
// of a crash.
import fs from 'node:fs';
import path from 'node:path';
import { openStore, type OpenOptions, type Store } from '../../db/connection';
import { fsyncDir } from '../common/durable-fs';
import type { ServiceContext } from '../context';
import { logger } from '../logging';
import { backupForMigration, setBackupNativeBinding, sqliteOptions } from './backup';
import type { CheckReport } from './check';
import { mkdirPrivate } from '../common/private-fs';

/** The options every open of the live database uses (also when a restore reopens it). */
export function storeOptions(dataDir: string, extra: OpenOptions = {}): OpenOptions {
  if (extra.nativeBinding) setBackupNativeBinding(extra.nativeBinding);
  return {
    ...sqliteOptions(),
    ...extra,
    beforeMigrate: (sqlite, from, to) => {
      backupForMigration(dataDir, sqlite, from, to);
      extra.beforeMigrate?.(sqlite, from, to);
    },
  };
}

export function openLiveStore(dataDir: string, dbFile: string, extra: OpenOptions = {}): Store {
  return openStore(dbFile, storeOptions(dataDir, extra));
}

export function setAsideDir(dataDir: string): string {
  return path.join(dataDir, 'mise-de-cote');
}

/** SQLite's answers for a file that is not (or no longer) a readable database. */
export function isUnreadableDatabase(e: unknown): boolean {
  const code = (e as { code?: string } | null)?.code ?? '';
  return code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT');
}

/** Moves the database file and its -wal/-shm into mise-de-cote/, with a dated name. */
export function setAsideFile(dataDir: string, dbFile: string, at: Date, suffix: string): string {
  const dir = setAsideDir(dataDir);
  mkdirPrivate(dir, { appOwned: true });
  const base = `${path.basename(dbFile, '.sqlite')}_${at.toISOString().replace(/[:.]/g, '-')}_${suffix}.sqlite`;
  const dest = path.join(dir, base);
  fs.renameSync(dbFile, dest);
  for (const ext of ['-wal', '-shm']) if (fs.existsSync(dbFile + ext)) fs.renameSync(dbFile + ext, dest + ext);
  fsyncDir(dir);
  fsyncDir(path.dirname(dbFile));
  return dest;
}

const setAsideAtOpen = new WeakMap<ServiceContext, CheckReport['setAside']>();

export function setAsideAtStart(ctx: ServiceContext): CheckReport['setAside'] {
  return setAsideAtOpen.get(ctx) ?? null;
}

/**
 * openApp for the hosts with a screen: an unreadable database is set aside and an empty one
 * opened; the start-up check then says so. Other errors (newer schema, file locked) are thrown.
 */
export function openAppSafely<O extends { dbFile: string; dataDir: string }>(open: (o: O) => ServiceContext, options: O, now = new Date()): ServiceContext {
  try {
    return open(options);
  } catch (e) {
    if (!isUnreadableDatabase(e) || !fs.existsSync(options.dbFile)) throw e;
    const reason = e instanceof Error ? e.message : String(e);
    logger.error('Base de données illisible au démarrage', e);
    const file = setAsideFile(options.dataDir, options.dbFile, now, 'illisible');
    const ctx = open(options);
    setAsideAtOpen.set(ctx, { file, reason });
    return ctx;
  }
}
