// Acceptance of step 2's import: each fixture through the CLI finds what expected.json lists;
// accents of the Windows-1252 CSV survive; a re-import changes nothing; bad rows need the
// officer's consent; a damaged workbook changes nothing.
import fs from 'node:fs';
import path from 'node:path';
import * as XLSX from 'xlsx';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli/run';
import { dispatch } from '../../electron/services/handlers';
import { dbSnapshot, fixturesDir, openTestApp, tempDir, type TestApp } from '../helpers/app';

const expected = JSON.parse(fs.readFileSync(path.join(fixturesDir, 'expected.json'), 'utf8')) as {
  files: Record<string, { rows: number; people: number; structures: number; ineligible: Record<string, number>; ineligiblePeople?: number }>;
};

async function cli(db: string, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli([...argv, '--db', db], { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function tables(file: string) {
  // A read-only look at people and structures (ids, values, timestamps).
  const Database = require('better-sqlite3');
  const d = new Database(file, { readonly: true });
  const r = {
    people: d.prepare('SELECT * FROM people ORDER BY id').all(),
    structures: d.prepare('SELECT * FROM structures ORDER BY id').all(),
  };
  d.close();
  return r;
}

const apps: TestApp[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});
function app(): TestApp {
  const a = openTestApp({ now: '2025-11-20T10:00:00Z' });
  apps.push(a);
  return a;
}
const b64 = (p: string) => fs.readFileSync(p).toString('base64');

describe('import of each fixture into an empty database (CLI)', () => {
  it.each(Object.keys(expected.files))('%s finds the people, structures and ineligible counts of expected.json', async (name) => {
    const exp = expected.files[name];
    const db = path.join(tempDir(), 'x.sqlite');
    const r = await cli(db, 'import', path.join(fixturesDir, name), '--json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out);
    expect(Object.keys(out)).toEqual(['kind', 'sheet', 'headerRow', 'rows', 'people', 'structures', 'rejected', 'warnings']);
    expect(out.rows).toBe(exp.rows);
    expect(out.people.created).toBe(exp.people);
    expect(out.structures.created).toBe(exp.structures);
    expect(out.rejected).toEqual([]);
    const stats = JSON.parse((await cli(db, 'stats', '--json')).out);
    expect(stats.people).toBe(exp.people);
    expect(stats.structures).toBe(exp.structures);
    expect(stats.ineligible).toEqual(exp.ineligible);
    if (exp.ineligiblePeople !== undefined) expect(stats.people - stats.eligible).toBe(exp.ineligiblePeople);
  });

  it('recognises the kind of each file and its header row (title row and blank row above it in the Excel CSV)', async () => {
    const kinds: Record<string, [string, number]> = {
      'aidants-anct-export.csv': ['anct', 1],
      'aidants-anct-export-excel.csv': ['anct', 3],
      'aidants-fne-grist.xlsx': ['grist', 1],
      'candidatures-formulaire.xls': ['formulaire', 1],
    };
    for (const [name, [kind, headerRow]] of Object.entries(kinds)) {
      const r = await cli(path.join(tempDir(), 'k.sqlite'), 'import', path.join(fixturesDir, name), '--dry-run', '--json');
      const out = JSON.parse(r.out);
      expect([name, out.kind, out.headerRow]).toEqual([name, kind, headerRow]);
    }
  });

  it('the Windows-1252 « ; » CSV with a title row keeps its accents (same names as the UTF-8 export)', async () => {
    const a = path.join(tempDir(), 'a.sqlite');
    const b = path.join(tempDir(), 'b.sqlite');
    expect((await cli(a, 'import', path.join(fixturesDir, 'aidants-anct-export.csv'), '--json')).code).toBe(0);
    expect((await cli(b, 'import', path.join(fixturesDir, 'aidants-anct-export-excel.csv'), '--json')).code).toBe(0);
    const names = (f: string) => (tables(f).people as { prenom: string; nom: string }[]).map((p) => `${p.prenom} ${p.nom}`).sort();
    const utf8 = names(a);
    expect(names(b)).toEqual(utf8);
    // The UTF-8 file itself says which accented names must be there.
    const text = fs.readFileSync(path.join(fixturesDir, 'aidants-anct-export.csv'), 'utf8');
    const accented = [...new Set(text.split(/\r?\n/).slice(1).filter(Boolean).map((l) => l.split(',').slice(0, 2).join(' ')).filter((n) => /[À-ÿ]/.test(n)))];
    expect(accented.length).toBeGreaterThan(5);
    for (const n of accented) expect(names(b)).toContain(n);
    const structures = (tables(b).structures as { name: string; city: string }[]).map((s) => s.city);
    expect(structures.some((c) => c === 'Guéret' || c === 'Évaux-les-Bains')).toBe(true);
  });
});

describe('re-import', () => {
  it.each(['aidants-anct-export.csv', 'aidants-fne-grist.xlsx', 'candidatures-formulaire.xls'])('of the same file (%s): 0 created, 0 updated, people and structures unchanged', async (name) => {
    const db = path.join(tempDir(), 'r.sqlite');
    expect((await cli(db, 'import', path.join(fixturesDir, name), '--json')).code).toBe(0);
    const before = tables(db);
    const r = await cli(db, 'import', path.join(fixturesDir, name), '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out);
    expect(out.people).toEqual({ created: 0, updated: 0, unchanged: expected.files[name].people });
    expect(out.structures).toEqual({ created: 0, updated: 0, unchanged: expected.files[name].structures });
    expect(tables(db)).toEqual(before);
  });

  it('of another list of the same people: nobody duplicated (ANCT export, then FNE table, then form answers)', async () => {
    const db = path.join(tempDir(), 'm.sqlite');
    for (const f of ['aidants-anct-export.csv', 'aidants-fne-grist.xlsx', 'candidatures-formulaire.xlsx']) {
      expect((await cli(db, 'import', path.join(fixturesDir, f), '--json')).code).toBe(0);
    }
    const t = tables(db);
    expect(t.people).toHaveLength(expected.files['aidants-anct-export.csv'].people);
    expect(t.structures).toHaveLength(expected.files['aidants-anct-export.csv'].structures);
  });

  it('of an updated file: the changed fields are shown in the preview, then applied', async () => {
    const a = app();
    const file = path.join(fixturesDir, 'aidants-anct-export.csv');
    const first = await dispatch(a.ctx, 'recensement.importCommit', { fileName: 'anct.csv', contentBase64: b64(file) });
    expect(first.ok).toBe(true);
    const lines = fs.readFileSync(file, 'utf8').split('\r\n');
    const cols = lines[1].split(',');
    cols[5] = 'Secrétaire de mairie (mi-temps)';
    lines[1] = cols.join(',');
    const changed = Buffer.from(lines.join('\r\n'), 'utf8').toString('base64');
    const prev = await dispatch(a.ctx, 'recensement.importPreview', { fileName: 'anct-v2.csv', contentBase64: changed });
    if (!prev.ok) throw new Error(prev.error.message);
    const p = prev.value as { people: { updated: number; created: number }; changes: { row: number; fields: { field: string; after: string | null }[] }[] };
    expect(p.people).toMatchObject({ created: 0, updated: 1 });
    expect(p.changes).toEqual([expect.objectContaining({ row: 2, fields: [expect.objectContaining({ field: 'profession', after: 'Secrétaire de mairie (mi-temps)' })] })]);
    const done = await dispatch(a.ctx, 'recensement.importCommit', { fileName: 'anct-v2.csv', contentBase64: changed });
    expect(done.ok).toBe(true);
    const email = cols[2].toLowerCase();
    expect(a.ctx.store.sqlite.prepare('SELECT profession FROM people WHERE email = ?').get(email)).toEqual({ profession: 'Secrétaire de mairie (mi-temps)' });
  });
});

describe('département written by name', () => {
  it('« Creuse », « Corse-du-Sud », « La Réunion » give their codes: no warning, and Corsica needs no question', async () => {
    const a = app();
    const csv = Buffer.from(
      [
        'Nom;Prénom;Courriel;Structure;CP;Département',
        'Durand;Léa;lea.durand@mairie-gueret.fr;Mairie de Guéret;23000;Creuse',
        'Santoni;Marie;marie.santoni@ajaccio.fr;Mairie d’Ajaccio;20000;Corse-du-Sud',
        'Hoarau;Paul;paul.hoarau@saint-denis.re;CCAS de Saint-Denis;97400;Réunion',
        'Leroy;Anne;anne.leroy@bastia.fr;Mairie de Bastia;20200;Département de la Haute-Corse',
      ].join('\r\n') + '\r\n',
      'utf8',
    );
    const prev = await dispatch(a.ctx, 'recensement.importPreview', { fileName: 'liste.csv', contentBase64: csv.toString('base64') });
    if (!prev.ok) throw new Error(prev.error.message);
    const codes = (prev.value as { warnings: { code: string }[] }).warnings.map((w) => w.code);
    expect(codes).not.toContain('departement_invalide');
    expect(codes).not.toContain('departement_corse');
    const done = await dispatch(a.ctx, 'recensement.importCommit', { fileName: 'liste.csv', contentBase64: csv.toString('base64') });
    if (!done.ok) throw new Error(done.error.message);
    const deps = a.ctx.store.sqlite.prepare('SELECT name, departement FROM structures ORDER BY name').all();
    expect(deps).toEqual([
      { name: 'CCAS de Saint-Denis', departement: '974' },
      { name: 'Mairie de Bastia', departement: '2B' },
      { name: 'Mairie de Guéret', departement: '23' },
      { name: 'Mairie d’Ajaccio', departement: '2A' },
    ]);
  });
  it('a name that is no département is still reported, and the postcode is used', async () => {
    const a = app();
    const csv = Buffer.from(['Nom;Prénom;Courriel;Structure;CP;Département', 'Durand;Léa;lea.durand@mairie-gueret.fr;Mairie de Guéret;23000;Limousin'].join('\r\n'), 'utf8');
    const prev = await dispatch(a.ctx, 'recensement.importPreview', { fileName: 'liste.csv', contentBase64: csv.toString('base64') });
    if (!prev.ok) throw new Error(prev.error.message);
    const w = (prev.value as { warnings: { code: string; message: string }[] }).warnings.find((x) => x.code === 'departement_invalide');
    expect(w?.message).toMatch(/Département inconnu « Limousin »/);
  });
});

describe('bad rows and bad files', () => {
  const header = 'Nom;Prénom;Courriel;Structure;SIRET;CP';
  const good1 = 'Durand;Léa;lea.durand@mairie-gueret.fr;Mairie de Guéret;21230096600018;23000';
  const badSiret = 'Martin;Paul;paul.martin@ccas.fr;CCAS de Boussac;12345678901234;23600';
  const noName = ';Inès;ines@asso.fr;Association Numérique;;23200';
  const good2 = 'Petit;Jean;jean.petit@mds23.fr;MDS Aubusson;;23200';
  const csv = Buffer.from([header, good1, badSiret, noName, good2].join('\r\n') + '\r\n', 'utf8');

  it('are listed with their row numbers; nothing is imported until the officer accepts them', async () => {
    const a = app();
    const snap = dbSnapshot(a.ctx);
    const prev = await dispatch(a.ctx, 'recensement.importPreview', { fileName: 'liste.csv', contentBase64: csv.toString('base64') });
    if (!prev.ok) throw new Error(prev.error.message);
    const p = prev.value as { rejected: { row: number; reason: string }[]; people: { created: number } };
    expect(p.rejected.map((r) => r.row)).toEqual([3, 4]);
    expect(p.rejected[0].reason).toMatch(/SIRET invalide « 12345678901234 »/);
    expect(p.rejected[1].reason).toMatch(/nom manquant/);
    expect(p.people.created).toBe(2);
    const refused = await dispatch(a.ctx, 'recensement.importCommit', { fileName: 'liste.csv', contentBase64: csv.toString('base64') });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.message).toMatch(/2 lignes du fichier seront rejetées \(ligne 3, ligne 4\)/);
    expect(dbSnapshot(a.ctx).equals(snap)).toBe(true);
    const accepted = await dispatch(a.ctx, 'recensement.importCommit', { fileName: 'liste.csv', contentBase64: csv.toString('base64'), acceptRejected: true });
    if (!accepted.ok) throw new Error(accepted.error.message);
    expect((accepted.value as { people: { created: number } }).people.created).toBe(2);
    const names = a.ctx.store.sqlite.prepare('SELECT nom FROM people ORDER BY nom').all();
    expect(names).toEqual([{ nom: 'Durand' }, { nom: 'Petit' }]);
    const issues = a.ctx.store.sqlite.prepare("SELECT row FROM import_issues WHERE level = 'rejet' ORDER BY row").all();
    expect(issues).toEqual([{ row: 3 }, { row: 4 }]);
  });

  it('through the CLI: refused without --yes (exit 2, rows named), imported with --yes', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'liste.csv');
    fs.writeFileSync(file, csv);
    const db = path.join(dir, 'c.sqlite');
    const r = await cli(db, 'import', file, '--json');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/ligne 3, ligne 4/);
    expect(tables(db).people).toEqual([]);
    const ok = await cli(db, 'import', file, '--yes', '--json');
    expect(ok.code).toBe(0);
    const out = JSON.parse(ok.out);
    expect(out.rejected.map((x: { row: number }) => x.row)).toEqual([3, 4]);
    expect(out.people.created).toBe(2);
  });

  it('a truncated xlsx gives a French error and changes nothing', async () => {
    const a = app();
    await dispatch(a.ctx, 'recensement.importCommit', { fileName: 'anct.csv', contentBase64: b64(path.join(fixturesDir, 'aidants-anct-export.csv')) });
    const snap = dbSnapshot(a.ctx);
    const piecesBefore = fs.readdirSync(path.join(a.dir, 'pieces'), { recursive: true }).length;
    const bytes = fs.readFileSync(path.join(fixturesDir, 'aidants-fne-grist.xlsx'));
    const truncated = bytes.subarray(0, Math.floor(bytes.length / 2)).toString('base64');
    for (const ch of ['recensement.importPreview', 'recensement.importCommit'] as const) {
      const r = await dispatch(a.ctx, ch, { fileName: 'grist.xlsx', contentBase64: truncated });
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('file_unreadable');
        expect(r.error.message).toMatch(/endommagé ou incomplet.*Rien n’a été importé/);
      }
    }
    expect(dbSnapshot(a.ctx).equals(snap)).toBe(true);
    expect(fs.readdirSync(path.join(a.dir, 'pieces'), { recursive: true }).length).toBe(piecesBefore);
  });

  it('a file without the required columns: the CLI exits non-zero naming the columns it could not map', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'sans-mail.csv');
    fs.writeFileSync(file, 'Nom,Prénom,Employeur,Couleur préférée\nDurand,Léa,Mairie,bleu\n');
    const r = await cli(path.join(dir, 'd.sqlite'), 'import', file, '--json');
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/Colonnes obligatoires introuvables : adresse e-mail/);
    expect(r.err).toMatch(/« Couleur préférée »/);
  });
});

describe('import record, source file, remembered mapping', () => {
  it('records the import (name, SHA-256, counts) and keeps the source file in the pièces store', async () => {
    const a = app();
    const file = path.join(fixturesDir, 'candidatures-formulaire.xlsx');
    const r = await dispatch(a.ctx, 'recensement.importCommit', { fileName: 'candidatures.xlsx', contentBase64: b64(file) });
    if (!r.ok) throw new Error(r.error.message);
    const id = (r.value as { importId: number }).importId;
    const imp = a.ctx.store.sqlite.prepare('SELECT * FROM imports WHERE id = ?').get(id) as Record<string, unknown>;
    const sha = require('node:crypto').createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    expect(imp).toMatchObject({ file_name: 'candidatures.xlsx', sha256: sha, kind: 'formulaire', people_created: 90, structures_created: 28, imported_at: '2025-11-20T10:00:00.000Z' });
    const pieces = await dispatch(a.ctx, 'pieces.list', { ownerType: 'import', ownerId: id });
    if (!pieces.ok) throw new Error(pieces.error.message);
    expect(pieces.value).toEqual([expect.objectContaining({ role: 'fichier_source', sha256: sha, originalName: 'candidatures.xlsx' })]);
    expect(fs.readFileSync(path.join(a.dir, 'pieces', sha.slice(0, 2), sha)).equals(fs.readFileSync(file))).toBe(true);
  });

  it('remembers the officer’s corrected mapping for the next file with the same columns', async () => {
    const a = app();
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['Notes'], ['Remplir le tableau']]), 'Notes');
    XLSX.utils.book_append_sheet(
      wb,
      XLSX.utils.aoa_to_sheet([
        ['Recensement des besoins 2025'],
        [],
        ['NOM', 'Prénom', 'Mél pro', 'Employeur', 'Qui'],
        ['Durand', 'Léa', 'lea.durand@mairie-gueret.fr', 'Mairie de Guéret', 'Aidants Connect'],
        ['Total', '', '', '', ''],
      ]),
      'Liste',
    );
    const content = Buffer.from(XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' })).toString('base64');
    const p1 = await dispatch(a.ctx, 'recensement.importPreview', { fileName: 'liste.xlsx', contentBase64: content });
    if (!p1.ok) throw new Error(p1.error.message);
    const v1 = p1.value as { sheet: string; headerRow: number; mappingSource: string; rows: number; columns: { field: string | null }[]; missingRequired: string[] };
    expect([v1.sheet, v1.headerRow, v1.mappingSource]).toEqual(['Liste', 3, 'automatique']);
    // « Mél pro » is an e-mail by its words (issue 16); « Qui » says nothing and one cell does not decide.
    expect(v1.columns.map((c) => c.field)).toEqual(['nom', 'prenom', 'email', 'structure_nom', null]);
    expect(v1.missingRequired).toEqual([]);
    const mapping = ['nom', 'prenom', 'email', 'structure_nom', 'formation_souhaitee'] as const;
    const c = await dispatch(a.ctx, 'recensement.importCommit', { fileName: 'liste.xlsx', contentBase64: content, mapping: [...mapping] });
    if (!c.ok) throw new Error(c.error.message);
    expect((c.value as { rows: number }).rows).toBe(1); // the totals row is not a person
    const p2 = await dispatch(a.ctx, 'recensement.importPreview', { fileName: 'liste-2.xlsx', contentBase64: content });
    if (!p2.ok) throw new Error(p2.error.message);
    const v2 = p2.value as typeof v1;
    expect(v2.mappingSource).toBe('memorisee');
    expect(v2.columns.map((x) => x.field)).toEqual([...mapping]);
    expect(a.ctx.store.sqlite.prepare('SELECT training_wish FROM people').get()).toEqual({ training_wish: 'AC' });
  });
});
