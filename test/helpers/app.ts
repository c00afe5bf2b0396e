// A real application core on a temporary SQLite file, for tests. No fake back end.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openApp } from '../../electron/services/app';
import type { ServiceContext } from '../../electron/services/context';

export interface TestApp {
  ctx: ServiceContext;
  dir: string;
  dbFile: string;
  close(): Promise<void>;
}

export function tempDir(prefix = 'fne-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Opens the app on a fresh database in a temp folder; `now` fixes today's date. */
export function openTestApp(opts: { now?: string; dir?: string } = {}): TestApp {
  const dir = opts.dir ?? tempDir();
  const dbFile = path.join(dir, 'test.sqlite');
  const fixed = opts.now ? new Date(opts.now) : undefined;
  const ctx = openApp({ dbFile, dataDir: dir, actor: 'test', now: fixed ? () => fixed : undefined });
  return {
    ctx,
    dir,
    dbFile,
    async close() {
      await ctx.store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Bytes of the database file after a checkpoint, to prove that a refused input changed nothing. */
export function dbSnapshot(ctx: ServiceContext): Buffer {
  ctx.store.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  return fs.readFileSync(ctx.store.file);
}

export const fixturesDir = path.resolve(__dirname, '../fixtures');

/** A Creuse convention, valid, as the officer would type it. */
export const creuseConvention = {
  departement: '23',
  beneficiaireNom: 'Conseil départemental de la Creuse',
  beneficiaireSiret: '22230001600011',
  designationDate: '2024-09-20',
  signatureDate: '2024-10-15',
  anctReference: 'ANCT-FNE-2024-023',
  fundsReceivedDate: '2024-11-02',
  fundsReceivedCents: 20_000_00,
};
