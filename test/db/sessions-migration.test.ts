// Migration 0004 (sessions): built on the schema before it, checked with real rows.
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../electron/db/migrate';
import { tempDir } from '../helpers/app';

const opened: Database.Database[] = [];
afterEach(() => {
  for (const d of opened.splice(0)) d.close();
});

function at3(): Database.Database {
  const d = new Database(path.join(tempDir(), 'm4.sqlite'));
  d.pragma('foreign_keys = ON');
  opened.push(d);
  migrate(d, { to: 3 });
  const t = '2025-01-01T00:00:00Z';
  d.prepare(`INSERT INTO conventions (id, label, departement, beneficiaire_nom, amount_cents, end_date, departure_target, created_at, updated_at)
    VALUES (1, 'C', '23', 'CD', 2000000, '2025-12-31', 60, ?, ?)`).run(t, t);
  d.prepare(`INSERT INTO people (id, nom, prenom, name_key, email, eligible, created_at, updated_at) VALUES (1, 'Nom', 'Prénom', 'nom|prenom', 'a@b.fr', 1, ?, ?)`).run(t, t);
  return d;
}

const T = '2025-01-01T00:00:00Z';
function session(d: Database.Database, over: Record<string, unknown> = {}): number {
  const v = { kind: 'AC', internal: 0, capacity: 18, status: 'prevue', cancel_reason: null, ...over };
  return Number(
    d
      .prepare(`INSERT INTO sessions (convention_id, kind, internal, title, modality, capacity, status, cancel_reason, created_at, updated_at)
        VALUES (1, ?, ?, 'Formation', 'presentiel', ?, ?, ?, ?, ?)`)
      .run(v.kind, v.internal, v.capacity, v.status, v.cancel_reason, T, T).lastInsertRowid,
  );
}

describe('migration 0004 — sessions', () => {
  it('creates the tables of step 4 after 0003', () => {
    const d = at3();
    migrate(d, { to: 4 });
    const names = (d.prepare("SELECT name FROM sqlite_master WHERE type='table'").all() as { name: string }[]).map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(['cohorts', 'sessions', 'session_half_days', 'registrations', 'attendance', 'ac_followups']));
    expect(d.pragma('foreign_key_check')).toEqual([]);
  });

  it('keeps internal trainers to AN sessions and a cancelled session to a written reason', () => {
    const d = at3();
    migrate(d, { to: 4 });
    expect(() => session(d, { kind: 'AC', internal: 1 })).toThrow(/CHECK/);
    expect(session(d, { kind: 'AN', internal: 1 })).toBeGreaterThan(0);
    expect(() => session(d, { status: 'annulee' })).toThrow(/CHECK/);
    expect(() => session(d, { capacity: 0 })).toThrow(/CHECK/);
  });

  it('allows one active registration per person and session; attendance only on the session’s own half-days', () => {
    const d = at3();
    migrate(d, { to: 4 });
    const s1 = session(d);
    const s2 = session(d);
    const reg = (s: number, status: string) =>
      Number(d.prepare(`INSERT INTO registrations (session_id, person_id, status, cancel_reason, registered_at, created_at, updated_at) VALUES (?, 1, ?, ?, ?, ?, ?)`)
        .run(s, status, status === 'annule' ? 'malade' : null, T, T, T).lastInsertRowid);
    const r1 = reg(s1, 'inscrit');
    expect(() => reg(s1, 'attente')).toThrow(/UNIQUE/);
    reg(s1, 'annule'); // history rows are not limited
    const h2 = Number(d.prepare(`INSERT INTO session_half_days (session_id, date, period, start_time, end_time) VALUES (?, '2025-03-04', 'matin', '09:00', '12:30')`).run(s2).lastInsertRowid);
    const h1 = Number(d.prepare(`INSERT INTO session_half_days (session_id, date, period, start_time, end_time) VALUES (?, '2025-03-04', 'matin', '09:00', '12:30')`).run(s1).lastInsertRowid);
    expect(() => d.prepare(`INSERT INTO session_half_days (session_id, date, period, start_time, end_time) VALUES (?, '2025-03-04', 'matin', '13:00', '12:30')`).run(s1)).toThrow();
    const att = d.prepare(`INSERT INTO attendance (registration_id, half_day_id, status, recorded_at, recorded_by) VALUES (?, ?, 'present', ?, 'test')`);
    expect(() => att.run(r1, h2, T)).toThrow(/another session/);
    att.run(r1, h1, T);
    // A half-day with attendance recorded cannot vanish silently.
    expect(() => d.prepare('DELETE FROM session_half_days WHERE id = ?').run(h1)).toThrow(/FOREIGN KEY/);
  });

  it('needs a reason to refuse or cancel an Aidants Connect follow-up', () => {
    const d = at3();
    migrate(d, { to: 4 });
    const ins = d.prepare(`INSERT INTO ac_followups (person_id, status, stop_reason, created_at, updated_at) VALUES (1, ?, ?, ?, ?)`);
    expect(() => ins.run('refuse', null, T, T)).toThrow(/CHECK/);
    ins.run('demande', null, T, T);
    expect(() => ins.run('demande', null, T, T)).toThrow(/UNIQUE/);
  });
});
