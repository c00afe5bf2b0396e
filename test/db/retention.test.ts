// Personal data kept only as long as needed, on the demo convention: a retention date (end date
// + 5 years by default), the anonymisation after it — counts, amounts and the dossier's totals
// unchanged; no name or e-mail of a person left in the base file, the backups, the stored source
// lists or the log — and the rights of one person: access (everything about them) and erasure
// (refused while a kept pièce names them).
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../electron/db/migrate';
import { openApp } from '../../electron/services/app';
import type { ServiceContext } from '../../electron/services/context';
import { configureLogging, resetLogging } from '../../electron/services/logging';
import { addYears } from '../../electron/services/retention/rules';
import { buildDemo, DEMO_NOW, demoSessions } from '../../scripts/demo';
import { tempDir } from '../helpers/app';
import { api, refused } from './sessions-setup';

const opened: ServiceContext[] = [];
afterEach(async () => {
  for (const c of opened.splice(0)) await c.store.close();
  resetLogging();
});

/** Every file under `dir`, as bytes (database, WAL, backups, pièces, logs). */
function allFiles(dir: string): { file: string; bytes: Buffer }[] {
  const out: { file: string; bytes: Buffer }[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...allFiles(p));
    else out.push({ file: p, bytes: fs.readFileSync(p) });
  }
  return out;
}

async function demoApp() {
  const dir = tempDir();
  let now = new Date(DEMO_NOW);
  configureLogging(dir);
  const ctx = openApp({ dbFile: path.join(dir, 'fne-formations.sqlite'), dataDir: dir, actor: 'test', now: () => now });
  opened.push(ctx);
  const demo = await buildDemo(ctx, { sessions: demoSessions });
  return { ctx, dir, demo, setNow: (iso: string) => (now = new Date(iso)) };
}

describe('retention of personal data', () => {
  it('anonymises the ended convention’s people: figures kept, no name or e-mail left in the base, backups, source lists or log', { timeout: 240_000 }, async () => {
    const { ctx, dir, demo, setNow } = await demoApp();
    const conventionId = demo.conventionId;
    let status = await api(ctx, 'retention.get', { conventionId });
    expect(status.retentionUntil).toBe('2030-12-31');
    expect(status.isDefault).toBe(true);
    expect(status.due).toBe(false);
    expect((await refused(ctx, 'retention.anonymise', { conventionId, confirm: true })).message).toMatch(/conservées jusqu’au 31\/12\/2030/);
    expect((await refused(ctx, 'retention.set', { conventionId, retentionUntil: '2025-06-30' })).message).toMatch(/ne peut pas précéder la fin de la convention/);

    // The people, as they are before: every name and e-mail to be gone afterwards.
    const people = ctx.store.sqlite.prepare('SELECT nom, prenom, email FROM people').all() as { nom: string; prenom: string; email: string | null }[];
    expect(people.length).toBeGreaterThan(60);
    const secrets = [...new Set(people.flatMap((p) => [p.email ?? '', `${p.prenom} ${p.nom}`, `${p.nom.toUpperCase()} ${p.prenom}`]).filter((s) => s.length > 5))];
    const before = { stats: await api(ctx, 'stats.get', { conventionId }), checklist: await api(ctx, 'justification.checklist', { conventionId }) };
    const sources = (ctx.store.sqlite.prepare("SELECT count(*) AS n FROM pieces WHERE owner_type = 'import'").get() as { n: number }).n;
    expect(sources).toBeGreaterThan(0);
    await api(ctx, 'sauvegarde.creer', {});
    // A name in the log would be a leak too: write what the app writes (nothing personal).
    const hits = (files: { file: string; bytes: Buffer }[]) =>
      files.flatMap((f) => secrets.filter((s) => f.bytes.includes(Buffer.from(s, 'utf8'))).map((s) => `${path.relative(dir, f.file)}: ${s}`));
    expect(hits(allFiles(dir)).length).toBeGreaterThan(0); // the check does see names before

    setNow('2031-01-05T09:00:00Z');
    status = await api(ctx, 'retention.get', { conventionId });
    expect(status.due).toBe(true);
    expect(status.preview.people).toBe(people.length);
    const report = await api(ctx, 'retention.anonymise', { conventionId, confirm: true });
    expect(report.people).toBe(people.length);
    expect(report.sourceFiles).toBe(sources);
    expect(report.backupsPurged).toBeGreaterThan(0);
    expect(report.backupsRemaining).toEqual([]);
    expect(report.backupAfter).not.toBeNull();

    // Figures unchanged: departures, budget, the checklist's verdict.
    const after = { stats: await api(ctx, 'stats.get', { conventionId }), checklist: await api(ctx, 'justification.checklist', { conventionId }) };
    expect(after.stats.departures).toEqual(before.stats.departures);
    expect(after.stats.budget).toEqual(before.stats.budget);
    expect(after.checklist.missingCount).toBe(before.checklist.missingCount);
    // Nothing personal left under the data folder: base, WAL, backups, source lists, log (the
    // pièces of spending are kept: their PDF content is proof, and is not searched here).
    ctx.store.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    expect(hits(allFiles(dir))).toEqual([]);
    expect(ctx.store.sqlite.prepare("SELECT count(*) AS n FROM people WHERE email IS NOT NULL OR nom <> 'ANONYME'").get()).toEqual({ n: 0 });
    expect((await api(ctx, 'retention.get', { conventionId })).anonymisedAt).toBe(report.at);
    expect((await refused(ctx, 'retention.anonymise', { conventionId, confirm: true })).message).toMatch(/déjà été anonymisées/);
  });

  it('an access request lists everything held about one person; erasure is refused while a kept pièce names them, done otherwise', { timeout: 240_000 }, async () => {
    const { ctx, demo } = await demoApp();
    const trained = ctx.store.sqlite
      .prepare("SELECT p.id, p.nom, p.prenom, p.email FROM people p JOIN registrations r ON r.person_id = p.id JOIN attendance a ON a.registration_id = r.id WHERE a.status = 'present' LIMIT 1")
      .get() as { id: number; nom: string; prenom: string; email: string };
    const file = await api(ctx, 'retention.person.export', { personId: trained.id });
    const data = JSON.parse(Buffer.from(file.contentBase64, 'base64').toString('utf8'));
    expect(data.personne).toMatchObject({ numero: trained.id, nom: trained.nom, prenom: trained.prenom, adresse_electronique: trained.email });
    expect(data.employeur.nom).toBeTruthy();
    expect(data.inscriptions.length).toBeGreaterThan(0);
    expect(data.inscriptions[0].presences.length).toBeGreaterThan(0);
    expect(data.pieces_justificatives.some((p: { nature: string }) => p.nature === 'attestation_fin_formation')).toBe(true);
    expect(data.historique.length).toBeGreaterThan(0);
    // Every column of the person's record is in the file.
    const columns = Object.keys(ctx.store.sqlite.prepare('SELECT * FROM people WHERE id = ?').get(trained.id) as object).filter((k) => k !== 'name_key' && k !== 'structure_id');
    expect(Object.keys(data.personne)).toHaveLength(columns.length);

    expect((await refused(ctx, 'retention.person.erase', { personId: trained.id, reason: 'Demande de la personne' })).message).toMatch(/figure dans des pièces justificatives conservées/);
    const saved = await api(ctx, 'recensement.people.save', { values: { nom: 'Oubliée', prenom: 'Léa', email: 'lea.oubliee@gueret.fr', profession: 'Secrétaire de mairie', structureId: null } });
    await api(ctx, 'recensement.people.save', { id: saved.id, values: { nom: 'Oubliée', prenom: 'Léa', email: 'lea.oubliee@gueret.fr', profession: 'Secrétaire de mairie', structureId: null, comment: 'Appeler Léa Oubliée en janvier' } });
    const never = { id: saved.id, email: 'lea.oubliee@gueret.fr' };
    expect(await api(ctx, 'retention.person.erase', { personId: never.id, reason: 'Demande de la personne' })).toEqual({ personId: never.id, erased: true });
    expect(ctx.store.sqlite.prepare('SELECT count(*) AS n FROM people WHERE id = ?').get(never.id)).toEqual({ n: 0 });
    const audit = ctx.store.sqlite.prepare('SELECT before_json, after_json FROM audit_log').all() as { before_json: string | null; after_json: string | null }[];
    expect(audit.some((a) => `${a.before_json}${a.after_json}`.includes(never.email))).toBe(false);
    void demo;
  });

  it('migration 0011 adds the retention table and the people’s anonymisation date', () => {
    const d = new Database(path.join(tempDir(), 'm.sqlite'));
    try {
      d.pragma('foreign_keys = ON');
      migrate(d, { to: 11 });
      d.prepare("INSERT INTO conventions (label, departement, beneficiaire_nom, amount_cents, end_date, departure_target, created_at, updated_at) VALUES ('x','23','CD',0,'2025-12-31',60,'t','t')").run();
      d.prepare("INSERT INTO convention_retention (convention_id, retention_until) VALUES (1, '2031-12-31')").run();
      expect(() => d.prepare("INSERT INTO convention_retention (convention_id) VALUES (99)").run()).toThrow(/FOREIGN KEY/);
      expect((d.prepare('PRAGMA table_info(people)').all() as { name: string }[]).map((c) => c.name)).toContain('anonymised_at');
    } finally {
      d.close();
    }
  });

  it('five years after the end date, 29 February included', () => {
    expect(addYears('2025-12-31', 5)).toBe('2030-12-31');
    expect(addYears('2024-02-29', 5)).toBe('2029-02-28');
  });
});
