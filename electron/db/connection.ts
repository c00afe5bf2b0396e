// Opens the SQLite file with the pragmas the officer's data need, runs pending migrations,
// and wraps it in kysely. Used by all three hosts and by tests; never imports electron.
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import fs from 'node:fs';
import path from 'node:path';
import { migrate } from './migrate';
import type { DB } from './schema';
import { makeFilePrivate, mkdirPrivate } from '../services/common/private-fs';
import { WriteGate } from './write-gate';

export interface OpenOptions {
  /** Path to a better_sqlite3.node built for another runtime (Electron keeps its own build). */
  nativeBinding?: string;
  readonly?: boolean;
  /** Called before pending migrations run on an existing database (e.g. to take a backup). */
  beforeMigrate?: (sqlite: Database.Database, from: number, to: number) => void;
  /** The write gate to keep (a restore reopens the file under the same gate). */
  gate?: WriteGate;
}

/** A second connection to the same file, private to a long job (see writeJob in services/context.ts). */
export interface JobConnection {
  sqlite: Database.Database;
  db: Kysely<DB>;
  close(): Promise<void>;
}

export interface Store {
  file: string;
  /**
   * The raw handle, for reads. Its write statements (and exec) run only inside a hold of
   * `gate` (services: writeTransaction / withWriteLock in services/context.ts); outside, they throw.
   */
  sqlite: Database.Database;
  /** kysely over the same connection, guarded the same way. */
  db: Kysely<DB>;
  /** Serialises every write transaction of this database (one writer at a time, readers free). */
  gate: WriteGate;
  /** Opens a guarded second connection (a job's transaction, invisible to readers until it commits). */
  openJobConnection(): JobConnection;
  close(): Promise<void>;
}

export class WriteOutsideGateError extends Error {
  constructor(sql: string) {
    super(
      `Écriture hors du point d'écriture unique (writeTransaction / withWriteLock) refusée : ${sql.replace(/\s+/g, ' ').slice(0, 120)}`,
    );
    this.name = 'WriteOutsideGateError';
  }
}

/**
 * Makes every write of this connection go through the gate: a statement that writes (SQLite says
 * so: `readonly` false), and any `exec`, throws when run outside a hold. kysely prepares its
 * queries through the same `prepare`, so its writes are guarded too. Reads are untouched.
 */
export function guardWrites(sqlite: Database.Database, gate: WriteGate): void {
  const prepare = sqlite.prepare.bind(sqlite);
  const exec = sqlite.exec.bind(sqlite);
  const check = (sql: string) => {
    if (!gate.holds()) throw new WriteOutsideGateError(sql);
  };
  sqlite.prepare = ((sql: string) => {
    const stmt = prepare(sql);
    if (stmt.readonly) return stmt;
    check(sql);
    for (const m of ['run', 'get', 'all', 'iterate'] as const) {
      const original = stmt[m] as (...a: unknown[]) => unknown;
      Object.defineProperty(stmt, m, {
        value: function guarded(this: unknown, ...args: unknown[]) {
          check(sql);
          return original.apply(this, args);
        },
      });
    }
    return stmt;
  }) as typeof sqlite.prepare;
  sqlite.exec = ((sql: string) => {
    check(sql);
    return exec(sql);
  }) as typeof sqlite.exec;
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
  const gate = options.gate ?? new WriteGate();
  if (!options.readonly) guardWrites(sqlite, gate);
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }) });
  let closed = false;
  return {
    file,
    sqlite,
    db,
    gate,
    openJobConnection() {
      const own = new Database(file, { nativeBinding: options.nativeBinding });
      applyPragmas(own);
      guardWrites(own, gate);
      const ownDb = new Kysely<DB>({ dialect: new SqliteDialect({ database: own }) });
      return { sqlite: own, db: ownDb, close: () => ownDb.destroy() };
    },
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy(); // closes the better-sqlite3 handle too
    },
  };
}
