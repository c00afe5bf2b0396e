// Step 5 on a real database: the readiness checklist and the end-of-convention dossier.
import { registerPicked } from '../../electron/services/common/picked-paths';
import { execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as XLSX from 'xlsx';
import { readinessChecklist } from '../../electron/services/justification/checklist';
import { TEMP_PREFIX } from '../../electron/services/justification/archive';
import { ART_5_2_COLUMNS } from '../../electron/services/justification/documents';
import { DOSSIER_FILES, FOLDERS, generateDossier, PARTS } from '../../electron/services/justification/dossier';
import { waitForJob } from '../../electron/services/jobs';
import { budgetFigures } from '../../electron/services/marche/budget';
import { attachPiece } from '../../electron/services/pieces/service';
import { dossierResultSchema } from '../../shared/ipc/channels/justification';
import { api, attachPdf, buildDemo, DEMO_NOW } from '../../scripts/demo';
import { dbSnapshot, openTestApp, tempDir, type TestApp } from '../helpers/app';
import { readZip } from '../helpers/zip';

const apps: TestApp[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const a of apps.splice(0)) await a.close();
});
function app(now = DEMO_NOW): TestApp {
  const a = openTestApp({ now });
  apps.push(a);
  return a;
}
const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

function parseManifest(text: string) {
  const lines = text.replace(/^\ufeff/, '').trim().split('\r\n');
  expect(lines[0]).toBe('chemin;sha256;taille_octets;prouve');
  return lines.slice(1).map((l) => {
    const [p, h, size] = l.split(';');
    return { path: p, sha256: h, size: Number(size) };
  });
}

describe('readiness checklist', () => {
  it('says, for a bare convention, exactly what is missing, grouped and linked to the screen that fixes it', async () => {
    const { ctx } = app();
    const c = await api(ctx, 'convention.create', { departement: '23', beneficiaireNom: 'Conseil départemental de la Creuse' });
    const cl = await api(ctx, 'justification.checklist', { conventionId: c.id });
    expect(cl.ready).toBe(false);
    expect(cl.items.map((i) => i.key)).toEqual(['convention:signature', 'convention:convention_signee', 'convention:avis_sirene', 'convention:rib', 'convention:fonds', 'objectif:departs']);
    expect(cl.items.every((i) => i.link === `convention/${c.id}` || i.key === 'objectif:departs')).toBe(true);
    expect(cl.items.find((i) => i.key === 'objectif:departs')!.missing).toBe('0 départ réalisé sur 60 : il en manque 60.');
    expect(cl.groups.find((g) => g.group === 'convention')).toMatchObject({ checked: 5, missing: 5 });
  });

  it('checks every euro: quotes, reason, signed order, invoices, payments and their pièces; the list shrinks as pièces arrive', async () => {
    const { ctx } = app();
    const d = await buildDemo(ctx);
    let cl = await readinessChecklist(ctx, d.conventionId);
    // Everything of the convention and of the purchases is there; only the departures are missing.
    expect(cl.items.map((i) => i.key)).toEqual(['objectif:departs']);
    expect(cl.groups.find((g) => g.group === 'depenses')!.checked).toBeGreaterThan(15);

    // A new order without its pièces: each missing proof appears, linked to its procurement record.
    const m = await api(ctx, 'marche.create', { conventionId: d.conventionId, label: 'AN complément', kind: 'AN', seats: 6 });
    const q = await api(ctx, 'marche.addQuote', { marcheId: m.id, organismeId: d.organismes.famillesRurales, quoteDate: '2025-09-01', amountHtCents: 900_00, vatCents: 0, vatExemption: 'Exonération art. 261-4-4° a du CGI' });
    await api(ctx, 'marche.choose', { marcheId: m.id, quoteId: q.quotes[0].id, reason: 'Seul organisme disponible à cette date, même tarif que le marché précédent.', choiceDate: '2025-09-02' });
    const o = await api(ctx, 'marche.createOrder', { marcheId: m.id, number: 'BC-2025-003', orderDate: '2025-09-02', acceptWarnings: true });
    const inv = await api(ctx, 'marche.addInvoice', { orderId: o.order!.id, number: 'F-9', invoiceDate: '2025-10-01', amountCents: 900_00 });
    cl = await readinessChecklist(ctx, d.conventionId);
    const mine = cl.items.filter((i) => i.link === `marche/${m.id}`);
    expect(mine.map((i) => i.missing)).toEqual([
      'Devis de Familles Rurales — Fédération régionale du 01/09/2025 : fichier à joindre.',
      'Bon de commande signé à joindre.',
      'Fichier de la facture à joindre.',
      'Paiement (mandat) à enregistrer.',
    ]);
    await attachPdf(ctx, 'invoice', inv.order!.invoices[0].id, 'facture', 'f9.pdf', 'Facture F-9', ['900 €']);
    const after = await readinessChecklist(ctx, d.conventionId);
    expect(after.missingCount).toBe(cl.missingCount - 1);
    expect(after.items.some((i) => i.key === `invoice:${inv.order!.invoices[0].id}:facture`)).toBe(false);

    // An expense without its justificatif.
    const e = await api(ctx, 'marche.expenses.create', { conventionId: d.conventionId, kind: 'frais_gestion', label: 'Affranchissement', expenseDate: '2025-10-02', amountCents: 40_00 });
    const withExpense = await readinessChecklist(ctx, d.conventionId);
    expect(withExpense.items.find((i) => i.key === `expense:${e.id}:justificatif`)).toMatchObject({ group: 'depenses', link: 'marche/budget', missing: 'Justificatif de dépense à joindre.' });
  });
});

describe('end-of-convention dossier', () => {
  it('holds the generated documents, every pièce in numbered folders, a manifest that matches every file, and changes nothing in the database', async () => {
    const { ctx, dir } = app();
    const d = await buildDemo(ctx);
    const before = dbSnapshot(ctx);
    const out = path.join(dir, 'sortie');
    const r = await generateDossier(ctx, d.conventionId, { outDir: out });
    expect(dbSnapshot(ctx).equals(before)).toBe(true);
    // Named with the département and the date of the situation (latest date of the data); a draft says so.
    expect(path.basename(r.zipPath)).toBe('dossier-fin-convention-23-2025-07-15-brouillon.zip');
    const zip = await readZip(r.zipPath);
    // Every entry's CRC-32 checks out (computed natively, see archive.ts) for an independent reader.
    expect(execFileSync('unzip', ['-tq', r.zipPath], { encoding: 'utf8' })).toMatch(/No errors detected/);
    const names = zip.map((e) => e.name);
    for (const f of Object.values(DOSSIER_FILES)) expect(names).toContain(f);
    expect(names).toContain('manifeste.csv');
    // Two parts: what is sent to ANCT (the documents and the organismes' Qualiopi certificates),
    // what the département keeps (every other pièce); LISEZMOI, the missing list and the root
    // manifest beside them.
    const anct = names.filter((n) => n.startsWith(`${PARTS.anct}/`));
    const kept = names.filter((n) => n.startsWith(`${PARTS.departement}/`));
    expect(names.filter((n) => !anct.includes(n) && !kept.includes(n)).sort()).toEqual(['LISEZMOI.txt', 'elements-manquants.txt', 'manifeste.csv']);
    expect(anct.sort()).toEqual(
      [
        DOSSIER_FILES.art52,
        DOSSIER_FILES.bilan,
        DOSSIER_FILES.expensesPdf,
        DOSSIER_FILES.expensesXlsx,
        `${FOLDERS.certifications}/Familles-Rurales-Federation-regionale/certificat-qualiopi.pdf`,
        `${FOLDERS.certifications}/Mednum-Formation/certificat-qualiopi.pdf`,
        `${PARTS.anct}/manifeste.csv`,
      ].sort(),
    );
    expect(kept).toEqual(
      expect.arrayContaining([
        `${FOLDERS.convention}/convention-signee.pdf`,
        `${FOLDERS.convention}/avis-de-situation-sirene.pdf`,
        `${FOLDERS.convention}/rib.pdf`,
        `${FOLDERS.organismes}/Mednum-Formation/referencement-anct.pdf`,
        `${FOLDERS.achats}/commande-BC-2025-001/bon-de-commande-signe.pdf`,
        `${FOLDERS.achats}/commande-BC-2025-001/facture-F-FR-2025-031.pdf`,
        `${FOLDERS.achats}/commande-BC-2025-001/preuve-de-paiement-MDT-2025-0412.pdf`,
        `${FOLDERS.achats}/commande-BC-2025-001/devis-Familles-Rurales-Federation-regionale-2025-01-08-retenu.pdf`,
        `${FOLDERS.fraisGestion}/2025-03-14-Impression-des-supports-et-convocations.pdf`,
        `${PARTS.departement}/manifeste.csv`,
      ]),
    );
    // Every manifest line: right SHA-256 and size, in the ZIP and in the folder; every file listed.
    const manifest = parseManifest(zip.find((e) => e.name === 'manifeste.csv')!.bytes.toString('utf8'));
    expect(manifest.map((m) => m.path).sort()).toEqual(names.filter((n) => n !== 'manifeste.csv').sort());
    for (const m of manifest) {
      const e = zip.find((z) => z.name === m.path)!;
      expect(sha(e.bytes), m.path).toBe(m.sha256);
      expect(e.bytes.length).toBe(m.size);
      expect(sha(fs.readFileSync(path.join(r.folderPath, ...m.path.split('/'))))).toBe(m.sha256);
    }
    // Each part's manifest: exactly its files, paths relative to the part, hashes of the files.
    for (const part of Object.values(PARTS)) {
      const own = parseManifest(fs.readFileSync(path.join(r.folderPath, part, 'manifeste.csv'), 'utf8'));
      const files = names.filter((n) => n.startsWith(`${part}/`) && n !== `${part}/manifeste.csv`);
      expect(own.map((m) => `${part}/${m.path}`).sort()).toEqual(files.sort());
      for (const m of own) expect(sha(fs.readFileSync(path.join(r.folderPath, part, ...m.path.split('/'))))).toBe(m.sha256);
    }
    expect(r.parts.map((p) => [p.key, p.folderPath, p.files])).toEqual([
      ['anct', path.join(r.folderPath, PARTS.anct), anct.length],
      ['departement', path.join(r.folderPath, PARTS.departement), kept.length],
    ]);
    // The readme says which part is which.
    const readme = zip.find((e) => e.name === DOSSIER_FILES.readme)!.bytes.toString('utf8');
    expect(readme).toContain(`1. ${PARTS.anct}/ — À TRANSMETTRE À L’ANCT`);
    expect(readme).toContain(`2. ${PARTS.departement}/ — CONSERVÉ PAR LE CONSEIL DÉPARTEMENTAL`);
    expect(readme).toMatch(/07-attestations-de-fin-de-formation\/ : l’attestation de fin de formation/);
    // A pièce in the dossier is the stored file itself.
    const pieces = await api(ctx, 'pieces.list', { ownerType: 'convention', ownerId: d.conventionId });
    const signed = pieces.find((p) => p.role === 'convention_signee')!;
    expect(sha(zip.find((e) => e.name === `${FOLDERS.convention}/convention-signee.pdf`)!.bytes)).toBe(signed.sha256);

    // The état des dépenses: the figures of budget.ts, never recomputed differently.
    const b = await budgetFigures(ctx, d.conventionId);
    const wb = XLSX.read(zip.find((e) => e.name === DOSSIER_FILES.expensesXlsx)!.bytes);
    const synth = XLSX.utils.sheet_to_json<(string | number)[]>(wb.Sheets['Synthèse'], { header: 1 });
    const val = (label: string) => synth.find((row) => row[0] === label)![1];
    expect(val('Montant reçu de l’ANCT')).toBe(b.receivedCents / 100);
    expect(val('Achats de formation engagés (bons de commande TTC)')).toBe(b.committedCents / 100);
    expect(val('Frais de gestion')).toBe(b.fraisGestionSpentCents / 100);
    expect(val('Reste (montant reçu moins dépenses engagées)')).toBe(b.remainingCents / 100);
    const detail = XLSX.utils.sheet_to_json<Record<string, string | number>>(wb.Sheets['Détail']);
    expect(detail.reduce((s, r) => s + Math.round(Number(r['Montant TTC (€)']) * 100), 0)).toBe(b.totalCommittedCents);
    expect(detail.every((row) => String(row['Pièces justificatives (dans le dossier)']).length > 0)).toBe(true);

    // The PDFs read back: the expenses statement and the bilan carry the figures.
    const text = (name: string) => {
      const f = path.join(r.folderPath, name);
      return execFileSync('pdftotext', ['-layout', f, '-'], { encoding: 'utf8' }).replace(/[\u00a0\u202f]/g, ' ');
    };
    const etat = text(DOSSIER_FILES.expensesPdf);
    expect(etat).toContain('ÉTAT RÉCAPITULATIF DES DÉPENSES');
    expect(etat).toMatch(/Reste \(montant reçu moins dépenses engagées\)\s+5 850,00 €/);
    const bilan = text(DOSSIER_FILES.bilan);
    expect(bilan).toContain('BILAN DE LA CONVENTION');
    expect(bilan).toContain('0 départ en formation réalisé (0 professionnel) pour un objectif de 60');
    const missing = zip.find((e) => e.name === DOSSIER_FILES.missing)!.bytes.toString('utf8');
    expect(missing).toContain('il en manque 60');
  });

  it('is reproducible: the same database gives a byte-identical ZIP, whatever the clock says', async () => {
    const { ctx, dir } = app();
    const d = await buildDemo(ctx);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-05T08:00:00Z'));
    const a = await generateDossier(ctx, d.conventionId, { outDir: path.join(dir, 'a') });
    vi.setSystemTime(new Date('2027-07-14T23:59:58Z'));
    const b = await generateDossier(ctx, d.conventionId, { outDir: path.join(dir, 'b') });
    vi.useRealTimers();
    expect(b.zipSha256).toBe(a.zipSha256);
    expect(sha(fs.readFileSync(b.zipPath))).toBe(a.zipSha256);
    // No "now" in the generated files: the PDFs' dates are the dossier's date.
    const bilan = fs.readFileSync(path.join(a.folderPath, DOSSIER_FILES.bilan)).toString('latin1');
    expect(bilan).toContain('/CreationDate (D:20250715120000Z)');
    expect(bilan).not.toContain('pdf-lib');
  });

  it('the art. 5.2 table has exactly the convention’s columns', async () => {
    const { ctx, dir } = app();
    const d = await buildDemo(ctx);
    const r = await generateDossier(ctx, d.conventionId, { outDir: path.join(dir, 'o') });
    const wb = XLSX.read(fs.readFileSync(path.join(r.folderPath, DOSSIER_FILES.art52)));
    const rows = XLSX.utils.sheet_to_json<string[]>(wb.Sheets[wb.SheetNames[0]], { header: 1 });
    expect(rows[0]).toEqual([...ART_5_2_COLUMNS]);
  });

  it('the manifest says in plain French what each pièce proves, and an expense’s file names its line of the état récapitulatif', async () => {
    const { ctx, dir } = app();
    const d = await buildDemo(ctx);
    const r = await generateDossier(ctx, d.conventionId, { outDir: path.join(dir, 'o') });
    const proves = new Map(
      fs
        .readFileSync(path.join(r.folderPath, 'manifeste.csv'), 'utf8')
        .replace(/^\ufeff/, '')
        .trim()
        .split('\r\n')
        .slice(1)
        .map((l) => [l.split(';')[0], l.split(';').slice(3).join(';')] as const),
    );
    expect(proves.get(`${FOLDERS.convention}/convention-signee.pdf`)).toMatch(/ : convention signée$/);
    expect(proves.get(`${FOLDERS.convention}/avis-de-situation-sirene.pdf`)).toMatch(/ : avis de situation SIRENE$/);
    expect(proves.get(`${FOLDERS.convention}/rib.pdf`)).toMatch(/ : RIB$/);
    expect(proves.get(`${FOLDERS.achats}/commande-BC-2025-001/bon-de-commande-signe.pdf`)).toBe('Commande BC-2025-001 (Familles Rurales — Fédération régionale) : bon de commande signé');
    // The expense's reference is the one of the état récapitulatif (sheet « Détail »).
    const wb = XLSX.read(fs.readFileSync(path.join(r.folderPath, DOSSIER_FILES.expensesXlsx)));
    const detail = XLSX.utils.sheet_to_json<Record<string, string>>(wb.Sheets['Détail']);
    const fg = detail.find((row) => row['Catégorie'] === 'Frais de gestion')!;
    const file = fg['Pièces justificatives (dans le dossier)'];
    expect(file).toBe(`${FOLDERS.fraisGestion}/2025-03-14-Impression-des-supports-et-convocations.pdf`);
    expect(proves.get(file)).toBe(`État récapitulatif des dépenses, ${fg['Référence']} — Frais de gestion : Impression des supports et convocations du 14/03/2025`);
  });
});

describe('regenerating the dossier (issue 14: it never deletes)', () => {
  it('into a folder holding the previous dossier with an officer’s file: the file is kept, the new dossier takes the next name', async () => {
    const { ctx, dir } = app();
    const d = await buildDemo(ctx);
    const out = path.join(dir, 'sortie');
    const run = async () => {
      const job = await api(ctx, 'justification.dossier.start', { conventionId: d.conventionId, destination: registerPicked(ctx, 'folder', out) });
      const end = await waitForJob(ctx, job.id);
      expect(end.state).toBe('termine');
      return dossierResultSchema.parse(end.result);
    };
    const first = await run();
    const signed = path.join(first.folderPath, PARTS.anct, 'bilan-signe.pdf');
    fs.writeFileSync(signed, '%PDF-1.4 bilan signé par le président');
    const notes = path.join(out, 'notes de l’agent.txt');
    fs.writeFileSync(notes, 'à envoyer lundi');
    const firstZip = sha(fs.readFileSync(first.zipPath));
    const second = await run();
    expect(path.basename(second.zipPath)).toBe('dossier-fin-convention-23-2025-07-15-brouillon-2.zip');
    expect(path.basename(second.folderPath)).toBe('dossier-fin-convention-23-2025-07-15-brouillon-2');
    expect(fs.readFileSync(signed, 'utf8')).toBe('%PDF-1.4 bilan signé par le président');
    expect(fs.readFileSync(notes, 'utf8')).toBe('à envoyer lundi');
    expect(sha(fs.readFileSync(first.zipPath))).toBe(firstZip);
    expect(second.zipSha256).toBe(first.zipSha256); // the same dossier, under its new name
    expect(fs.readdirSync(out).sort()).toEqual([path.basename(first.folderPath), path.basename(first.zipPath), path.basename(second.folderPath), path.basename(second.zipPath), 'notes de l’agent.txt'].sort());
  });
});

describe('names unique once case is ignored (issue 15: Windows)', () => {
  it('two organismes whose names differ only by case get two folders: both certificates are in the dossier, no two entries collide on Windows', async () => {
    const { ctx, dir } = app();
    const d = await buildDemo(ctx);
    const twin = await api(ctx, 'marche.of.create', { name: 'MEDNUM FORMATION', siret: '11122233300010', qualiopiActionsFormation: true, qualiopiIssuer: 'AFNOR Certification', qualiopiValidFrom: '2022-01-01', qualiopiValidUntil: '2027-12-31' });
    await attachPdf(ctx, 'organisme', twin.id, 'certificat_qualiopi', 'qualiopi-twin.pdf', 'Certificat Qualiopi — MEDNUM FORMATION', ['Autre organisme, autre certificat']);
    // Consulted for a purchase of the convention: its certificate belongs to the dossier.
    const m = await api(ctx, 'marche.create', { conventionId: d.conventionId, label: 'AN complément', kind: 'AN', seats: 6 });
    await api(ctx, 'marche.addQuote', { marcheId: m.id, organismeId: twin.id, quoteDate: '2025-09-01', amountHtCents: 900_00, vatCents: 0, vatExemption: 'Exonération art. 261-4-4° a du CGI' });
    const e1 = await api(ctx, 'marche.expenses.create', { conventionId: d.conventionId, kind: 'frais_gestion', label: 'Affranchissement', expenseDate: '2025-06-02', amountCents: 10_00 });
    const e2 = await api(ctx, 'marche.expenses.create', { conventionId: d.conventionId, kind: 'frais_gestion', label: 'AFFRANCHISSEMENT', expenseDate: '2025-06-02', amountCents: 12_00 });
    await attachPdf(ctx, 'expense', e1.id, 'justificatif', 'a.pdf', 'Affranchissement', ['10 €']);
    await attachPdf(ctx, 'expense', e2.id, 'justificatif', 'b.pdf', 'AFFRANCHISSEMENT', ['12 €']);
    const r = await generateDossier(ctx, d.conventionId, { outDir: path.join(dir, 'o') });
    const names = (await readZip(r.zipPath)).map((e) => e.name);
    const keys = names.map((n) => n.toLowerCase());
    expect(new Set(keys).size).toBe(keys.length);
    // Every folder, too, is spelled one way only.
    const folders = new Map<string, string>();
    for (const n of names) {
      const parts = n.split('/');
      for (let i = 1; i < parts.length; i++) {
        const f = parts.slice(0, i).join('/');
        expect(folders.get(f.toLowerCase()) ?? f, f).toBe(f);
        folders.set(f.toLowerCase(), f);
      }
    }
    const certificates = names.filter((n) => n.startsWith(`${FOLDERS.certifications}/`) && /mednum/i.test(n));
    expect(certificates).toHaveLength(2);
    const expenses = names.filter((n) => /2025-06-02-affranchissement/i.test(n));
    expect(expenses).toHaveLength(2);
  });
});

describe('dossier from the CLI', () => {
  it('check --json and dossier --json', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'test.sqlite');
    const { ctx } = openTestApp({ now: DEMO_NOW, dir });
    await buildDemo(ctx);
    await ctx.store.close();
    const run = (...args: string[]) => execFileSync(process.execPath, ['--import', 'tsx', 'electron/cli/main.ts', ...args, '--db', db, '--json'], { cwd: path.resolve(__dirname, '../..'), encoding: 'utf8' });
    const cl = JSON.parse(run('check'));
    expect(cl.items.map((i: { key: string }) => i.key)).toEqual(['objectif:departs']);
    const res = JSON.parse(run('dossier', '--out', path.join(dir, 'out')));
    expect(res.zipPath).toBe(path.join(dir, 'out', 'dossier-fin-convention-23-2025-07-15-brouillon.zip'));
    expect(sha(fs.readFileSync(res.zipPath))).toBe(res.zipSha256);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);
});

describe('a failed, cancelled or killed run leaves no ZIP', () => {
  const root = path.resolve(__dirname, '../..');

  /** The demo plus large scanned documents, so that the run takes long enough to be interrupted. */
  async function bigDossierDb(dir: string) {
    const { ctx } = openTestApp({ now: DEMO_NOW, dir });
    const d = await buildDemo(ctx);
    for (let i = 0; i < 12; i++) {
      const bytes = Buffer.concat([Buffer.from('%PDF-1.4\n'), crypto.randomBytes(24 * 1024 * 1024)]);
      await attachPiece(ctx, { ownerType: 'convention', ownerId: d.conventionId, role: 'autre', fileName: `annexe-${i}.pdf`, bytes });
    }
    return { ctx, d };
  }

  it('cancelled from the screen (jobs.cancel): the job ends « annulé » and the output folder holds no ZIP', async () => {
    const dir = tempDir();
    const { ctx, d } = await bigDossierDb(dir);
    const out = path.join(dir, 'sortie');
    fs.mkdirSync(out);
    // The folder as the desktop app's dialog gives it: an opaque handle, never a path in the channel.
    const job = await api(ctx, 'justification.dossier.start', { conventionId: d.conventionId, destination: registerPicked(ctx, 'folder', out) });
    for (let i = 0; i < 500; i++) {
      const s = await api(ctx, 'jobs.status', { id: job.id });
      if (s.progress.done >= 2) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    await api(ctx, 'jobs.cancel', { id: job.id });
    const end = await waitForJob(ctx, job.id);
    expect(end.state).toBe('annule');
    expect(fs.existsSync(out) ? fs.readdirSync(out) : []).toEqual([]);
    await ctx.store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('SIGKILL of the CLI midway: no .zip in the output folder; the next run completes beside the leftovers, removing nothing', async () => {
    const dir = tempDir();
    const { ctx } = await bigDossierDb(dir);
    await ctx.store.close();
    const db = path.join(dir, 'test.sqlite');
    const out = path.join(dir, 'sortie');
    // The worker itself (not npm, not the tsx CLI wrapper): killing it kills the run.
    const child = spawn(process.execPath, ['--import', 'tsx', 'electron/cli/main.ts', 'dossier', '--db', db, '--out', out], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    await new Promise<void>((resolve, reject) => {
      child.stderr!.on('data', (c) => {
        stderr += String(c);
        const m = /(\d+)\/(\d+) fichiers/.exec(stderr.split('\n').filter(Boolean).pop() ?? '');
        if (m && Number(m[1]) >= 3 && Number(m[1]) < Number(m[2]) - 3) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.once('exit', () => reject(new Error(`finished before being killed: ${stderr}`)));
    });
    await new Promise((r) => child.once('exit', r));
    expect(child.signalCode).toBe('SIGKILL');
    const left = fs.readdirSync(out);
    expect(left.filter((n) => n.endsWith('.zip'))).toEqual([]);
    const leftovers = left.filter((n) => n.startsWith(TEMP_PREFIX)).sort();
    expect(leftovers.length).toBeGreaterThan(0); // the killed run's hidden temporaries are there…
    expect(leftovers).toEqual([...left].sort()); // …and nothing else
    const res = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', 'electron/cli/main.ts', 'dossier', '--db', db, '--out', out, '--json'], { cwd: root, encoding: 'utf8' }));
    // The next run completes beside them, reports them and removes nothing (it cannot know
    // they are not another run's, still writing).
    expect(res.staleTemporaries).toEqual(leftovers);
    expect(fs.readdirSync(out).sort()).toEqual([...leftovers, path.basename(res.zipPath, '.zip'), path.basename(res.zipPath)].sort());
    expect(sha(fs.readFileSync(res.zipPath))).toBe(res.zipSha256);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 180_000);
});
