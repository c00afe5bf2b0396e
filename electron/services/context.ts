// What every service receives: the store, the data folder (pièces, backups), and a clock
// (injected so tests can fix "today").
//
// The one write path: every write of a service goes through the helpers below, which hold the
// store's write gate (electron/db/write-gate.ts) — one writer at a time, whatever the host
// (Electron IPC, web host, CLI) or the caller (a channel, a job). The connection refuses a
// write statement run outside a hold (electron/db/connection.ts), and an architecture test
// (test/unit/write-path-architecture.test.ts) keeps raw writes inside these helpers.
import type Database from 'better-sqlite3';
import type { Transaction } from 'kysely';
import type { Store } from '../db/connection';
import type { DB } from '../db/schema';

export interface ServiceContext {
  store: Store;
  /** Folder holding the pièces store (pieces/), backups and logs. */
  dataDir: string;
  now: () => Date;
  /** Who is acting, for the audit log ("agent" in the UI, "cli" in scripts). */
  actor: string;
}

export function isoNow(ctx: ServiceContext): string {
  return ctx.now().toISOString();
}

export function isoToday(ctx: ServiceContext): string {
  return ctx.now().toISOString().slice(0, 10);
}

/** One kysely write transaction, alone among writers (waits for the writer before it). */
export function writeTransaction<T>(ctx: ServiceContext, fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  return ctx.store.gate.write(() => ctx.store.db.transaction().execute(fn));
}

/**
 * Raw writes with prepared statements, in one transaction (better-sqlite3's, synchronous):
 * `fn` receives the raw handle, the only way a service gets it for writing.
 */
export function writeSync<T>(ctx: ServiceContext, fn: (sqlite: Database.Database) => T): Promise<T> {
  return ctx.store.gate.write(() => {
    const sqlite = ctx.store.sqlite;
    return sqlite.transaction(() => fn(sqlite))();
  });
}

/**
 * The raw handle for synchronous writes by a caller that already holds the gate (a callback of
 * the helpers here, or a channel: dispatch holds it). Throws otherwise: the only way a service
 * gets the live handle for writing.
 */
export function writeHandle(ctx: ServiceContext): Database.Database {
  if (!ctx.store.gate.holds()) throw new Error("writeHandle : appel hors du point d'écriture unique (writeTransaction / withWriteLock).");
  return ctx.store.sqlite;
}

/**
 * Several steps that no other writer may interleave with (e.g. a marker read, then a
 * transaction, then an update of the audit rows it wrote). Re-entrant.
 */
export function withWriteLock<T>(ctx: ServiceContext, fn: () => Promise<T> | T): Promise<T> {
  return ctx.store.gate.write(fn);
}

/** A write that also keeps every reader out (a restore swaps the database file). */
export function exclusiveWrite<T>(ctx: ServiceContext, fn: () => Promise<T> | T): Promise<T> {
  return ctx.store.gate.exclusive(fn);
}

/** A read that must not run while the database is swapped (never waits for a writer). */
export function readGate<T>(ctx: ServiceContext, fn: () => Promise<T> | T): Promise<T> {
  return ctx.store.gate.read(fn);
}

/**
 * A long job's write transaction (an import of 20 000 rows that yields between its batches):
 * it runs on a connection of its own, so no other call's statement can ever join it and readers
 * on the main connection see the last commit, never its rows in progress nor wait for it; it
 * holds the write gate until it commits or rolls back, so other writes wait for its end.
 */
export async function writeJob<T>(ctx: ServiceContext, fn: (trx: Transaction<DB>, sqlite: Database.Database) => Promise<T>): Promise<T> {
  return ctx.store.gate.write(async () => {
    const own = ctx.store.openJobConnection();
    try {
      return await own.db.transaction().execute((trx) => fn(trx, own.sqlite));
    } finally {
      await own.close();
    }
  });
}
