// Opens the SQLite file with the pragmas the officer's data need, runs pending migrations,
// and wraps it in kysely. Used by all three hosts and by tests; never imports electron.
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import fs from 'node:fs';
import path from 'node:path';
import { migrate } from './migrate';
import type { DB } from './schema';
import { makeFilePrivate, mkdirPrivate } from '../services/common/private-fs';

export interface OpenOptions {
  /** Path to a better_sqlite3.node built for another runtime (Electron keeps its own build). */
  nativeBinding?: string;
  readonly?: boolean;
  /** Called before pending migrations run on an existing database (e.g. to take a backup). */
  beforeMigrate?: (sqlite: Database.Database, from: number, to: number) => void;
}

export interface Store {
  file: string;
  sqlite: Database.Database;
  db: Kysely<DB>;
  close(): Promise<void>;
}

export function applyPragmas(sqlite: Database.Database): void {
  // WAL: readers never block the writer; FULL: a committed transaction survives a power cut,
  // worth the small cost on a laptop that writes a few rows at a time.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
}

export function openStore(file: string, options: OpenOptions = {}): Store {
  mkdirPrivate(path.dirname(path.resolve(file)));
  const sqlite = new Database(file, {
    nativeBinding: options.nativeBinding,
    readonly: options.readonly ?? false,
  });
  // 0600 before WAL starts: SQLite gives its -wal and -shm the database file's mode.
  if (!options.readonly) makeFilePrivate(file);
  applyPragmas(sqlite);
  migrate(sqlite, { beforeMigrate: options.beforeMigrate });
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }) });
  let closed = false;
  return {
    file,
    sqlite,
    db,
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy(); // closes the better-sqlite3 handle too
    },
  };
}
