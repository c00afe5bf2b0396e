import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../electron/db/connection';
import { currentVersion, latestVersion, migrate } from '../../electron/db/migrate';
import { migrations } from '../../electron/db/migrations';
import { tempDir } from '../helpers/app';

const opened: Database.Database[] = [];
afterEach(() => {
  for (const d of opened.splice(0)) d.close();
});
function fresh(): Database.Database {
  const d = new Database(path.join(tempDir(), 'm.sqlite'));
  opened.push(d);
  return d;
}
function tables(d: Database.Database): string[] {
  return (d.prepare("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
}

describe('migrations', () => {
  it('are numbered 1, 2, 3… without gap or duplicate', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
  });

  it('build the whole schema from an empty file and record the version', () => {
    const d = fresh();
    migrate(d);
    expect(currentVersion(d)).toBe(latestVersion());
    expect(d.pragma('foreign_key_check')).toEqual([]);
    expect(d.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('are idempotent: running again changes nothing', () => {
    const d = fresh();
    migrate(d);
    const before = tables(d);
    migrate(d);
    expect(tables(d)).toEqual(before);
  });

  it('0001 creates conventions, pièces and the audit log', () => {
    const d = fresh();
    migrate(d, { to: 1 });
    expect(tables(d)).toEqual(expect.arrayContaining(['conventions', 'convention_engineering_actions', 'blobs', 'pieces', 'audit_log', 'app_settings']));
    // Money is integer cents and cannot be negative.
    expect(() =>
      d
        .prepare(
          "INSERT INTO conventions (label, departement, beneficiaire_nom, amount_cents, end_date, departure_target, created_at, updated_at) VALUES ('x','23','CD',-1,'2025-12-31',60,'t','t')",
        )
        .run(),
    ).toThrow(/CHECK/);
  });

  it('0007 keeps « déjà sensibilisé » on people already recorded (NULL: not said), yes/no only', () => {
    const d = fresh();
    migrate(d, { to: 6 });
    d.prepare("INSERT INTO people (nom, prenom, name_key, eligible, created_at, updated_at) VALUES ('Durand', 'Anne', 'durand|anne', 1, 't', 't')").run();
    migrate(d, { to: 7 });
    expect(d.prepare('SELECT nom, deja_sensibilise FROM people').all()).toEqual([{ nom: 'Durand', deja_sensibilise: null }]);
    d.prepare('UPDATE people SET deja_sensibilise = 1').run();
    expect(() => d.prepare('UPDATE people SET deja_sensibilise = 2').run()).toThrow(/CHECK/);
  });

  it('0008 adds the consultation date (NULL on needs already recorded), the other purchases of a year, and keeps expenses while allowing the internal trainers’ pay', () => {
    const d = fresh();
    migrate(d, { to: 7 });
    d.prepare("INSERT INTO conventions (id, label, departement, beneficiaire_nom, amount_cents, end_date, departure_target, created_at, updated_at) VALUES (1, 'C', '23', 'CD', 2000000, '2025-12-31', 60, 't', 't')").run();
    d.prepare("INSERT INTO marches (id, convention_id, label, kind, seats, created_at, updated_at) VALUES (1, 1, 'AN', 'AN', 10, 't', 't')").run();
    d.prepare("INSERT INTO expenses (id, convention_id, kind, label, expense_date, amount_cents, created_at) VALUES (5, 1, 'frais_gestion', 'Reprographie', '2025-03-01', 12050, 't')").run();
    expect(() => d.prepare("INSERT INTO expenses (convention_id, kind, label, expense_date, amount_cents, created_at) VALUES (1, 'formateurs_internes', 'x', '2025-03-01', 1, 't')").run()).toThrow(/CHECK/);
    migrate(d, { to: 8 });
    expect(d.prepare('SELECT id, consultation_date FROM marches').all()).toEqual([{ id: 1, consultation_date: null }]);
    expect(d.prepare('SELECT id, kind, label, amount_cents FROM expenses').all()).toEqual([{ id: 5, kind: 'frais_gestion', label: 'Reprographie', amount_cents: 12050 }]);
    d.prepare("INSERT INTO expenses (convention_id, kind, label, expense_date, amount_cents, created_at) VALUES (1, 'formateurs_internes', 'Vacations', '2025-03-01', 30000, 't')").run();
    expect(() => d.prepare("INSERT INTO expenses (convention_id, kind, label, expense_date, amount_cents, created_at) VALUES (1, 'autre', 'x', '2025-03-01', 1, 't')").run()).toThrow(/CHECK/);
    expect(() => d.prepare("UPDATE marches SET consultation_date = '20/03/2026'").run()).toThrow(/CHECK/);
    d.prepare("INSERT INTO other_training_purchases (year, amount_ht_cents, updated_at) VALUES (2026, 1500000, 't')").run();
    expect(() => d.prepare("INSERT INTO other_training_purchases (year, amount_ht_cents, updated_at) VALUES (2026, 1, 't')").run()).toThrow(/UNIQUE|PRIMARY/);
    expect(() => d.prepare("INSERT INTO other_training_purchases (year, amount_ht_cents, updated_at) VALUES (2027, -1, 't')").run()).toThrow(/CHECK/);
    expect(d.pragma('foreign_key_check')).toEqual([]);
    expect(d.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'expenses'").all()).toEqual([{ name: 'idx_expenses_convention' }]);
  });

  it('0009 gives each half-day its part of a combined training (NULL: both / not split, kept on existing half-days), AN or AC only', () => {
    const d = fresh();
    migrate(d, { to: 7 });
    d.prepare("INSERT INTO conventions (label, departement, beneficiaire_nom, amount_cents, end_date, departure_target, created_at, updated_at) VALUES ('c','23','CD',1,'2025-12-31',60,'t','t')").run();
    d.prepare("INSERT INTO sessions (convention_id, kind, title, modality, capacity, created_at, updated_at) VALUES (1, 'AN_AC', 'AN + AC', 'presentiel', 12, 't', 't')").run();
    d.prepare("INSERT INTO session_half_days (session_id, date, period, start_time, end_time) VALUES (1, '2025-04-08', 'matin', '09:00', '12:30')").run();
    migrate(d);
    expect(d.prepare('SELECT date, part FROM session_half_days').all()).toEqual([{ date: '2025-04-08', part: null }]);
    d.prepare("UPDATE session_half_days SET part = 'AC'").run();
    expect(() => d.prepare("UPDATE session_half_days SET part = 'AN_AC'").run()).toThrow(/CHECK/);
  });

  it('refuses a database written by a newer version of the app', () => {
    const d = fresh();
    d.pragma(`user_version = ${latestVersion() + 1}`);
    expect(() => migrate(d)).toThrow(/plus récente/);
  });

  it('runs beforeMigrate (the backup hook) only when an existing database is upgraded', () => {
    const dir = tempDir();
    const file = path.join(dir, 'b.sqlite');
    const d = new Database(file);
    migrate(d, { to: 0 });
    d.close();
    const calls: [number, number][] = [];
    const s = openStore(file, { beforeMigrate: (_s, from, to) => calls.push([from, to]) });
    expect(calls).toEqual([]); // from 0: nothing to protect
    s.sqlite.close();
  });

  it('opens with WAL, synchronous FULL and foreign keys on', () => {
    const s = openStore(path.join(tempDir(), 'p.sqlite'));
    expect(s.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(s.sqlite.pragma('synchronous', { simple: true })).toBe(2);
    expect(s.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    s.sqlite.close();
  });
});
