// Migration 0002, and the people/structures services: filters, manual entry, override with a
// reason, merges, stats and the home guide's step.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../electron/db/migrate';
import { dispatch } from '../../electron/services/handlers';
import { dbSnapshot, fixturesDir, openTestApp, tempDir, type TestApp } from '../helpers/app';

const apps: TestApp[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});
async function withForm(): Promise<TestApp> {
  const a = openTestApp({ now: '2025-11-20T10:00:00Z' });
  apps.push(a);
  const r = await dispatch(a.ctx, 'recensement.importCommit', {
    fileName: 'form.xlsx',
    contentBase64: fs.readFileSync(path.join(fixturesDir, 'candidatures-formulaire.xlsx')).toString('base64'),
  });
  if (!r.ok) throw new Error(r.error.message);
  return a;
}
async function ok<T>(p: Promise<{ ok: boolean; value?: unknown; error?: { message: string } }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(r.error!.message);
  return r.value as T;
}

describe('migration 0002', () => {
  it('adds structures, people, imports, import issues and the SIRO table on top of 0001, with their checks', () => {
    const d = new Database(path.join(tempDir(), 'm.sqlite'));
    migrate(d, { to: 1 });
    migrate(d, { to: 2 });
    const names = (d.prepare("SELECT name FROM sqlite_master WHERE type='table'").all() as { name: string }[]).map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(['structures', 'people', 'imports', 'import_issues', 'opco_sirets']));
    d.prepare("INSERT INTO structures (name, name_key, siret, created_at, updated_at) VALUES ('Mairie', 'mairie', '21230096600018', 't', 't')").run();
    expect(() => d.prepare("INSERT INTO structures (name, name_key, siret, created_at, updated_at) VALUES ('Autre', 'autre', '21230096600018', 't', 't')").run()).toThrow(/UNIQUE/);
    expect(() => d.prepare("INSERT INTO structures (name, name_key, siret, created_at, updated_at) VALUES ('X', 'x', '2123 0096', 't', 't')").run()).toThrow(/CHECK/);
    const person = "INSERT INTO people (nom, prenom, name_key, email, eligible, created_at, updated_at) VALUES ('Durand', 'Léa', 'durand|lea', ?, 1, 't', 't')";
    d.prepare(person).run('lea@x.fr');
    expect(() => d.prepare(person).run('lea@x.fr')).toThrow(/UNIQUE/);
    expect(() => d.prepare(person).run('Lea@X.fr')).toThrow(/CHECK/); // e-mails are stored lower case
    // An override without a written reason is refused by the schema itself.
    expect(() => d.prepare("UPDATE people SET override_eligible = 0 WHERE email = 'lea@x.fr'").run()).toThrow(/CHECK/);
    d.close();
  });
});

describe('people and structures', () => {
  it('filters ineligible people by reason, with the French reason on each row, paginated', async () => {
    const a = await withForm();
    const all = await ok<{ total: number; rows: unknown[] }>(dispatch(a.ctx, 'recensement.people.list', { limit: 10 }));
    expect(all.total).toBe(90);
    expect(all.rows).toHaveLength(10);
    const benevoles = await ok<{ total: number; rows: { eligible: boolean; ineligible: { code: string; label: string }[] }[] }>(
      dispatch(a.ctx, 'recensement.people.list', { eligibility: 'ineligible', reason: 'benevole' }),
    );
    expect(benevoles.total).toBe(5);
    for (const r of benevoles.rows) {
      expect(r.eligible).toBe(false);
      expect(r.ineligible).toContainEqual({ code: 'benevole', label: expect.stringMatching(/^Bénévole/) });
    }
    const eligible = await ok<{ total: number }>(dispatch(a.ctx, 'recensement.people.list', { eligibility: 'eligible' }));
    expect(eligible.total).toBe(62);
    const ac = await ok<{ total: number; rows: { trainingWish: string }[] }>(dispatch(a.ctx, 'recensement.people.list', { training: 'AC', limit: 1000 }));
    expect(ac.rows.every((r) => r.trainingWish === 'AC')).toBe(true);
    const search = await ok<{ rows: { nom: string }[] }>(dispatch(a.ctx, 'recensement.people.list', { search: 'lefevre' }));
    expect(search.rows.length).toBeGreaterThan(0);
    expect(search.rows.every((r) => /Lef[eè]vre/.test(r.nom))).toBe(true);
    // Every word must match, in any order, accents and case ignored.
    type Found = { total: number; rows: { id: number; nom: string; prenom: string }[] };
    const first = search.rows[0] as unknown as { id: number; nom: string; prenom: string };
    for (const q of [`${first.nom} ${first.prenom}`, `${first.prenom.toUpperCase()} ${first.nom.toLowerCase()}`]) {
      const found = await ok<Found>(dispatch(a.ctx, 'recensement.people.list', { search: q }));
      expect(found.rows.map((r) => r.id)).toContain(first.id);
      expect(found.rows.every((r) => /Lef[eè]vre/i.test(r.nom))).toBe(true);
    }
    const none = await ok<Found>(dispatch(a.ctx, 'recensement.people.list', { search: `${first.prenom} Zzyzx` }));
    expect(none.total).toBe(0);
  });

  it('the officer overrides a decision only with a written reason, kept on the record; stats follow', async () => {
    const a = await withForm();
    const list = await ok<{ rows: { id: number }[] }>(dispatch(a.ctx, 'recensement.people.list', { reason: 'benevole', limit: 1 }));
    const id = list.rows[0].id;
    const snap = dbSnapshot(a.ctx);
    const refused = await dispatch(a.ctx, 'recensement.people.override', { id, eligible: true, reason: '' });
    expect(refused.ok).toBe(false);
    expect(dbSnapshot(a.ctx).equals(snap)).toBe(true);
    const p = await ok<{ eligible: boolean; ruleEligible: boolean; override: { reason: string } }>(
      dispatch(a.ctx, 'recensement.people.override', { id, eligible: true, reason: 'Agent contractuel du CCAS, statut mal saisi dans le formulaire' }),
    );
    expect(p).toMatchObject({ eligible: true, ruleEligible: false, override: { reason: 'Agent contractuel du CCAS, statut mal saisi dans le formulaire' } });
    const stats = await ok<{ eligible: number; ineligible: Record<string, number> }>(dispatch(a.ctx, 'stats.get', {}));
    expect(stats.eligible).toBe(63);
    expect(stats.ineligible.benevole).toBe(4);
  });

  it('manual entry: refused with French messages when incomplete, then saved with its eligibility', async () => {
    const a = await withForm();
    const bad = await dispatch(a.ctx, 'recensement.people.save', { values: { nom: '', prenom: 'Léa', email: 'pas-un-mail' } });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.fields).toMatchObject({ nom: 'Le nom est obligatoire.', email: expect.stringMatching(/invalide/) });
    const s = await ok<{ id: number }>(dispatch(a.ctx, 'recensement.structures.save', { values: { name: 'Mairie de Mainsat', siret: '212 300 966 00018', postcode: '23700' } }));
    const p = await ok<{ eligible: boolean; warnings: { code: string }[] }>(
      dispatch(a.ctx, 'recensement.people.save', { values: { nom: 'Nouvelle', prenom: 'Agente', email: 'mairie@mainsat.fr', structureId: s.id, trainingWish: 'AN' } }),
    );
    expect(p.eligible).toBe(true);
    expect(p.warnings.map((w) => w.code)).toEqual(['generic_email']);
    const st = await ok<{ departement: string; siret: string }>(dispatch(a.ctx, 'recensement.structures.get', { id: s.id }));
    expect(st).toMatchObject({ departement: '23', siret: '21230096600018' });
    const corse = await dispatch(a.ctx, 'recensement.structures.save', { values: { name: 'Mairie de Corte', postcode: '20250' } });
    expect(corse.ok).toBe(false);
    if (!corse.ok) expect(corse.error.fields?.departement).toMatch(/2A ou 2B/);
  });

  it('merges two records of the same person and of the same structure', async () => {
    const a = await withForm();
    const s1 = await ok<{ id: number }>(dispatch(a.ctx, 'recensement.structures.save', { values: { name: 'CCAS de Felletin', postcode: '23500' } }));
    const s2 = await ok<{ id: number }>(dispatch(a.ctx, 'recensement.structures.save', { values: { name: 'C.C.A.S. Felletin', siret: '21230096600018' } }));
    const p1 = await ok<{ id: number }>(dispatch(a.ctx, 'recensement.people.save', { values: { nom: 'Roux', prenom: 'Zoé', structureId: s1.id } }));
    const p2 = await ok<{ id: number }>(dispatch(a.ctx, 'recensement.people.save', { values: { nom: 'ROUX', prenom: 'Zoe', email: 'zoe.roux@felletin.fr', structureId: s2.id } }));
    const s = await ok<{ siret: string; people: number }>(dispatch(a.ctx, 'recensement.structures.merge', { keepId: s1.id, mergeId: s2.id }));
    expect(s).toMatchObject({ siret: '21230096600018', people: 2 });
    const p = await ok<{ email: string; structureId: number }>(dispatch(a.ctx, 'recensement.people.merge', { keepId: p1.id, mergeId: p2.id }));
    expect(p).toMatchObject({ email: 'zoe.roux@felletin.fr', structureId: s1.id });
    expect((await dispatch(a.ctx, 'recensement.people.get', { id: p2.id })).ok).toBe(false);
  });

  it('the SIRO table flags employers covered by Uniformation', async () => {
    const a = await withForm();
    const before = await ok<{ ineligible: Record<string, number> }>(dispatch(a.ctx, 'stats.get', {}));
    const st = await ok<{ rows: { siret: string; people: number }[] }>(dispatch(a.ctx, 'recensement.structures.list', { sort: 'people', dir: 'desc', limit: 1 }));
    const csv = `SIRET;OPCO\n${st.rows[0].siret};OPCO UNIFORMATION\n`;
    const r = await ok<{ rows: number; uniformation: number }>(dispatch(a.ctx, 'recensement.opco.import', { fileName: 'siro.csv', contentBase64: Buffer.from(csv).toString('base64') }));
    expect(r).toMatchObject({ rows: 1, uniformation: 1 });
    const after = await ok<{ ineligible: Record<string, number> }>(dispatch(a.ctx, 'stats.get', {}));
    expect(after.ineligible.uniformation).toBeGreaterThan(before.ineligible.uniformation);
  });

  it('the home guide shows the step under way with the figures', async () => {
    const a = await withForm();
    const g = await ok<{ steps: { key: string; status: string; summary: string }[] }>(dispatch(a.ctx, 'guide.get', {}));
    const step = g.steps.find((s) => s.key === 'recensement')!;
    expect(step.status).toBe('termine');
    expect(step.summary).toMatch(/^90 professionnels dans 28 structures : 62 éligibles, 28 non éligibles\./);
  });
});
