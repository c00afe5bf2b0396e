// Acceptance of issue 16: lists the import has never seen (test/fixtures/inference/, made by
// test/fixtures/gen-fixtures.mjs --inference, expectations from the generator's data) each import
// through the CLI with no mapping given, to the expected people, structures, ineligible codes,
// names and request dates; a 2B list on a 2B convention asks nothing about 2A/2B; SIRET repairs
// are one line; a date column no value decides is not guessed.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli/run';
import { dispatch } from '../../electron/services/handlers';
import type { ImportPreview } from '../../shared/ipc/channels/recensement';
import { fixturesDir, openTestApp, tempDir } from '../helpers/app';
import { normaliseHeader } from '../../electron/services/common/tabular/header';
import { recensementDictionary } from '../../electron/services/recensement/fields';

const dir = path.join(fixturesDir, 'inference');
const expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8')) as {
  files: Record<
    string,
    {
      rows: number;
      people: number;
      structures: number;
      ineligible: Record<string, number>;
      requestDates?: Record<string, string>;
      names?: Record<string, [string, string]>;
      departement?: string;
      sirets_spaced?: number;
      homonymEmployers?: number;
    }
  >;
};

async function cli(db: string, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli([...argv, '--db', db], { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function query<T>(file: string, sql: string): T[] {
  const Database = require('better-sqlite3');
  const d = new Database(file, { readonly: true });
  const r = d.prepare(sql).all() as T[];
  d.close();
  return r;
}

describe('lists never seen import with no mapping given (CLI)', () => {
  it.each(Object.keys(expected.files))('%s: people, structures, ineligible codes, names and dates as the generator made them', async (name) => {
    const exp = expected.files[name];
    const db = path.join(tempDir(), 'x.sqlite');
    if (exp.departement) expect((await cli(db, 'convention', 'create', '--departement', exp.departement, '--beneficiaire', 'CD test', '--json')).code).toBe(0);
    const r = await cli(db, 'import', path.join(dir, name), '--json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out) as { rows: number; people: { created: number }; structures: { created: number }; rejected: unknown[]; warnings: { row: number; code: string; message: string }[] };
    expect(out.rows).toBe(exp.rows);
    expect(out.people.created).toBe(exp.people);
    expect(out.structures.created).toBe(exp.structures);
    expect(out.rejected).toEqual([]);
    const people = query<{ email: string; nom: string; prenom: string; request_date: string | null; ineligible_json: string }>(db, 'SELECT email, nom, prenom, request_date, ineligible_json FROM people');
    const ineligible: Record<string, number> = {};
    for (const p of people) for (const c of JSON.parse(p.ineligible_json) as string[]) ineligible[c] = (ineligible[c] ?? 0) + 1;
    expect(ineligible).toEqual(exp.ineligible);
    if (exp.requestDates) expect(Object.fromEntries(people.map((p) => [p.email, p.request_date]))).toEqual(exp.requestDates);
    if (exp.names) expect(Object.fromEntries(people.map((p) => [p.email, [p.nom, p.prenom]]))).toEqual(exp.names);
    if (exp.homonymEmployers) {
      // Distinct employers sharing one name stay apart: their SIRETs are found under « Identifiant ».
      expect(query<{ n: number }>(db, "SELECT count(*) AS n FROM structures WHERE name = 'CCAS de Guéret'")[0].n).toBe(exp.homonymEmployers);
    }
    if (exp.departement) {
      expect(new Set(query<{ departement: string }>(db, 'SELECT departement FROM structures').map((s) => s.departement))).toEqual(new Set([exp.departement]));
      expect(out.warnings.filter((w) => w.code === 'departement_corse')).toEqual([]);
    }
    if (exp.sirets_spaced) {
      // The repairs are one line with their count, not one per row.
      const repairs = out.warnings.filter((w) => w.code === 'siret_corrige');
      expect(repairs).toHaveLength(1);
      expect(repairs[0].message).toContain(`sur ${exp.sirets_spaced} lignes`);
      expect(repairs[0].message).toContain('espaces retirés');
    }
  });

  it('the same 2B list without a Corsican convention asks 2A or 2B (the convention is what answers)', async () => {
    const db = path.join(tempDir(), 'x.sqlite');
    expect((await cli(db, 'convention', 'create', '--departement', '23', '--beneficiaire', 'CD 23', '--json')).code).toBe(0);
    const r = await cli(db, 'import', path.join(dir, 'liste-2b.csv'), '--dry-run', '--json');
    const out = JSON.parse(r.out) as { warnings: { code: string }[] };
    expect(out.warnings.filter((w) => w.code === 'departement_corse').length).toBe(expected.files['liste-2b.csv'].rows);
  });
});

describe('a date column no value decides', () => {
  const csv = ['Nom,Prénom,Email,Structure,Date de la demande', 'Durand,Léa,lea@a.fr,Mairie A,02/01/2025', 'Petit,Hugo,hugo@b.fr,Mairie B,03/04/2025', ''].join('\r\n');
  const file = () => {
    const f = path.join(tempDir(), 'ambigu.csv');
    fs.writeFileSync(f, csv);
    return f;
  };

  it('is not guessed: the CLI refuses, naming the column and the choice', async () => {
    const db = path.join(tempDir(), 'x.sqlite');
    const r = await cli(db, 'import', file(), '--json');
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('Date de la demande');
    expect(r.err).toContain('jma ou mja');
  });

  it('the wizard’s preview asks, and the answer (dates) decides the stored dates', async () => {
    const a = openTestApp({ now: '2025-11-20T10:00:00Z' });
    try {
      const contentBase64 = fs.readFileSync(file()).toString('base64');
      const p = await dispatch(a.ctx, 'recensement.importPreview', { fileName: 'ambigu.csv', contentBase64 });
      if (!p.ok) throw new Error(p.error.message);
      const v = p.value as ImportPreview;
      expect(v.dateQuestions).toEqual([expect.objectContaining({ header: 'Date de la demande', examples: ['02/01/2025', '03/04/2025'] })]);
      expect(v.people.created).toBe(0); // not counted until the order is said
      const c = await dispatch(a.ctx, 'recensement.importCommit', { fileName: 'ambigu.csv', contentBase64, dates: 'mja' });
      if (!c.ok) throw new Error(c.error.message);
      expect(a.ctx.store.sqlite.prepare('SELECT request_date FROM people ORDER BY email').all()).toEqual([{ request_date: '2025-03-04' }, { request_date: '2025-02-01' }]);
    } finally {
      await a.close();
    }
  });
});

describe('the mapping step and the preview speak French', () => {
  it('each column says why; Excel dates are dates; the first rows are shown as they will be stored', async () => {
    const a = openTestApp({ now: '2025-11-20T10:00:00Z' });
    try {
      const contentBase64 = fs.readFileSync(path.join(dir, 'formulaire-en-ligne.xlsx')).toString('base64');
      const p = await dispatch(a.ctx, 'recensement.importPreview', { fileName: 'formulaire-en-ligne.xlsx', contentBase64 });
      if (!p.ok) throw new Error(p.error.message);
      const v = p.value as ImportPreview;
      const col = (f: string) => v.columns.find((c) => c.field === f)!;
      expect(col('email').reason).toMatch(/contenu : 60 adresses e-mail/);
      expect(col('date_demande').samples[0]).toMatch(/^\d{2}\/\d{2}\/2025$/);
      const first = v.sampleRows[0];
      expect(first.dateDemande).toMatch(/^\d{2}\/\d{2}\/2025$/);
      expect(first.formation).toMatch(/^(Aidants Numériques|Aidants Connect|Les deux \(AN et AC\))$/);
      expect(first.eligibilite).toMatch(/^(Éligible|Non éligible : .+)$/);
      expect(first.departement).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    } finally {
      await a.close();
    }
  });

  it('the changes of a re-import are in French too (Oui/Non, dd/mm/yyyy), not as stored', async () => {
    const a = openTestApp({ now: '2025-11-20T10:00:00Z' });
    try {
      const csv = (fs: string, date: string) =>
        Buffer.from(['Nom,Prénom,Email,Structure,SIRET,Labellisation France Services,Date de la demande', `Durand,Léa,lea@mairie-a.fr,Mairie A,13002603200016,${fs},${date}`, ''].join('\n')).toString('base64');
      const c = await dispatch(a.ctx, 'recensement.importCommit', { fileName: 'a.csv', contentBase64: csv('Non', '2024-09-12') });
      if (!c.ok) throw new Error(c.error.message);
      const p = await dispatch(a.ctx, 'recensement.importPreview', { fileName: 'b.csv', contentBase64: csv('Oui', '2024-09-13') });
      if (!p.ok) throw new Error(p.error.message);
      const fields = (p.value as ImportPreview).changes.flatMap((x) => x.fields.map((f) => [f.label, f.before, f.after]));
      expect(fields).toContainEqual(['France Services', 'Non', 'Oui']);
      expect(fields).toContainEqual(['Date de la demande', '12/09/2024', '13/09/2024']);
    } finally {
      await a.close();
    }
  });

  it('headers that say nothing stay the header row: a data row naming a « Mairie » is not taken for it', async () => {
    const a = openTestApp({ now: '2025-11-20T10:00:00Z' });
    try {
      const rows = ['Qui ?;Contact;Chez qui;Identifiant', 'DUPONT Jean;jean.dupont@a.fr;Mairie de Guéret;13002603200016', 'Léa MARTIN;lea.martin@b.fr;CCAS de Bussière;13002603200016', ''];
      const p = await dispatch(a.ctx, 'recensement.importPreview', { fileName: 'vague.csv', contentBase64: Buffer.from(rows.join('\n')).toString('base64') });
      if (!p.ok) throw new Error(p.error.message);
      const v = p.value as ImportPreview;
      expect(v.headerRow).toBe(1);
      expect(v.columns.map((c) => c.field)).toEqual(['nom_complet', 'email', null, 'siret']);
      expect(v.people.created).toBe(2);
      expect(v.sampleRows.map((r) => [r.nom, r.prenom])).toEqual([['DUPONT', 'Jean'], ['MARTIN', 'Léa']]);
    } finally {
      await a.close();
    }
  });

  it.each(['aidants-anct-export.csv', 'aidants-fne-grist.xlsx', 'candidatures-formulaire.xlsx'])('%s: every header of the known exports keeps its field', async (name) => {
    const a = openTestApp({ now: '2025-11-20T10:00:00Z' });
    try {
      const contentBase64 = fs.readFileSync(path.join(fixturesDir, name)).toString('base64');
      const p = await dispatch(a.ctx, 'recensement.importPreview', { fileName: name, contentBase64 });
      if (!p.ok) throw new Error(p.error.message);
      const v = p.value as ImportPreview;
      const known = new Set(v.columns.map((c) => recensementDictionary.lookup(normaliseHeader(c.header))).filter((f) => f !== null));
      expect(known.size).toBeGreaterThan(8);
      expect(new Set(v.columns.map((c) => c.field).filter((f) => f !== null))).toEqual(known);
    } finally {
      await a.close();
    }
  });
});
