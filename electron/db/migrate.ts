// Numbered migrations, applied in order inside one transaction each; PRAGMA user_version
// records the last one applied. A test guards that the list stays contiguous.
import type Database from 'better-sqlite3';
import { migrations } from './migrations';

export interface Migration {
  version: number;
  name: string;
  up: string | ((sqlite: Database.Database) => void);
}

export function currentVersion(sqlite: Database.Database): number {
  return sqlite.pragma('user_version', { simple: true }) as number;
}

export function latestVersion(): number {
  return migrations[migrations.length - 1]?.version ?? 0;
}

export function migrate(
  sqlite: Database.Database,
  opts: { to?: number; beforeMigrate?: (s: Database.Database, from: number, to: number) => void } = {},
): void {
  const from = currentVersion(sqlite);
  const target = opts.to ?? latestVersion();
  if (from > latestVersion()) {
    throw new Error(
      `Cette base de données vient d'une version plus récente de FNE Formations (schéma ${from} > ${latestVersion()}). Mettez l'application à jour.`,
    );
  }
  const pending = migrations.filter((m) => m.version > from && m.version <= target);
  if (pending.length === 0) return;
  if (from > 0 && opts.beforeMigrate) opts.beforeMigrate(sqlite, from, target);
  for (const m of pending) {
    sqlite.transaction(() => {
      if (typeof m.up === 'string') sqlite.exec(m.up);
      else m.up(sqlite);
      sqlite.pragma(`user_version = ${m.version}`);
    })();
  }
}
