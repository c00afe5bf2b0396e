// Step 5 end to end, attendance: a session of the demo convention (built through the real
// services) with three participants; in the UI, the attendance grid (whole-column action, cells,
// keyboard), a partial attendance accepted with a reason, the signed sheet attached; the
// readiness checklist shrinks; the dossier is generated and its bilan rendered as PNG.
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openApp } from '../../electron/services/app';
import { api, buildDemo, DEMO_NOW } from '../../scripts/demo';
import { checkScreen, screenshotsDir, startServer, type Server } from './helpers';
import { readZip } from '../helpers/zip';

let server: Server;
let sessionId: number;
let acSessionId: number;
let people: { nom: string; prenom: string }[];
let acPeople: { nom: string; prenom: string; email: string | null }[];
const TITLE = 'Aidant Numérique — Guéret, mai 2025';
const AC_TITLE = 'Aidants Connect — Aubusson, juin 2025';

test.beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fne-e2e-'));
  const fixed = new Date(DEMO_NOW);
  const ctx = openApp({ dbFile: path.join(dir, 'fne-formations.sqlite'), dataDir: dir, actor: 'e2e', now: () => fixed });
  const d = await buildDemo(ctx);
  const order = (await api(ctx, 'marche.get', { id: d.marches.an })).order!;
  const s = await api(ctx, 'sessions.create', {
    conventionId: d.conventionId,
    kind: 'AN',
    title: TITLE,
    orderId: order.id,
    modality: 'presentiel',
    place: 'Guéret, maison du Département',
    trainers: [],
    halfDays: [
      { date: '2025-05-13', period: 'matin', start: '09:00', end: '12:30' },
      { date: '2025-05-13', period: 'apres_midi', start: '13:30', end: '17:00' },
    ],
  });
  sessionId = s.id;
  const candidates = await api(ctx, 'sessions.candidates', { sessionId, assignableOnly: true, limit: 3 });
  expect(candidates.rows).toHaveLength(3);
  const reg = await api(ctx, 'sessions.register', { sessionId, personIds: candidates.rows.map((c) => c.personId) });
  people = reg.session.participants.filter((p) => p.status === 'inscrit').map((p) => ({ nom: p.nom, prenom: p.prenom }));
  expect(people).toHaveLength(3);
  // A second session, Aidants Connect: its attendance comes from the OF's file.
  const acOrder = (await api(ctx, 'marche.get', { id: d.marches.ac })).order!;
  const ac = await api(ctx, 'sessions.create', {
    conventionId: d.conventionId,
    kind: 'AC',
    title: AC_TITLE,
    orderId: acOrder.id,
    modality: 'presentiel',
    place: 'Aubusson, France Services',
    trainers: [],
    halfDays: [
      { date: '2025-06-10', period: 'matin', start: '09:00', end: '12:30' },
      { date: '2025-06-10', period: 'apres_midi', start: '13:30', end: '17:00' },
    ],
  });
  acSessionId = ac.id;
  const acCandidates = await api(ctx, 'sessions.candidates', { sessionId: ac.id, assignableOnly: true, limit: 3 });
  expect(acCandidates.rows).toHaveLength(3);
  const acReg = await api(ctx, 'sessions.register', { sessionId: ac.id, personIds: acCandidates.rows.map((c) => c.personId) });
  acPeople = acReg.session.participants.filter((p) => p.status === 'inscrit').map((p) => ({ nom: p.nom, prenom: p.prenom, email: p.email }));
  expect(acPeople).toHaveLength(3);
  await ctx.store.close();
  server = await startServer({ dir });
});
test.afterEach(async ({ page }, info) => {
  if (info.status !== info.expectedStatus) console.log(await page.locator('body').ariaSnapshot().catch(() => ''));
});
test.afterAll(async () => {
  await server?.stop();
});

const who = (p: { nom: string; prenom: string }) => `${p.nom.toUpperCase()} ${p.prenom}`;
const cell = (page: Page, p: { nom: string; prenom: string }, halfDay: string) => page.getByRole('radiogroup', { name: `Présence de ${who(p)} le ${halfDay}` });

async function missingCount(page: Page): Promise<number> {
  const alert = page.getByText(/^\d+ éléments? manquants?$/);
  await expect(alert).toBeVisible();
  return Number((await alert.textContent())!.match(/\d+/)![0]);
}

test('présences : grille, colonne entière, clavier, présence partielle, feuille jointe, liste qui rétrécit, dossier', async ({ page }) => {
  test.setTimeout(150_000);
  const [p1, p2, p3] = people;
  const morning = '13/05/2025 matin';
  const afternoon = '13/05/2025 après-midi';

  await page.goto(server.url);
  await page.getByRole('link', { name: '5. Présence et justification' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Étape 5 — Présence et justification' })).toBeVisible();
  const before = await missingCount(page);
  // Each participant's attendance is missing, with a link to this session's grid.
  const presenceRows = page.getByRole('row').filter({ hasText: TITLE }).filter({ hasText: 'Présence à saisir' });
  await expect(presenceRows).toHaveCount(3);
  await expect(presenceRows.first().getByRole('link', { name: /Corriger/ })).toHaveAttribute('href', `#/justification/presences/${sessionId}`);
  await checkScreen(page, 'presence-01-liste-de-controle');

  // The sessions to record.
  await page.getByRole('button', { name: 'Saisir les présences' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Présences — sessions à saisir' })).toBeVisible();
  const row = page.getByRole('row').filter({ hasText: TITLE });
  await expect(row).toContainText('0 / 6 cases');
  await expect(row).toContainText('À joindre');
  await expect(row).toContainText('0 / 3');
  await checkScreen(page, 'presence-02-sessions');

  // The grid of the session.
  await row.getByRole('link', { name: `Saisir les présences de la session « ${TITLE} »` }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Présences — session « ${TITLE} »` })).toBeVisible();
  await expect(cell(page, p1, morning)).toBeVisible();
  await checkScreen(page, 'presence-03-grille-vide');

  // Whole column: everyone present in the morning.
  await page.getByRole('button', { name: `Tous présents le ${morning}` }).click();
  for (const p of people) await expect(cell(page, p, morning).getByRole('radio', { name: 'Présent' })).toBeChecked();

  // Afternoon: a click for the first person, the keyboard for the others.
  await cell(page, p1, afternoon).locator('label', { hasText: 'Présent' }).click();
  await expect(cell(page, p1, afternoon).getByRole('radio', { name: 'Présent' })).toBeChecked();
  await cell(page, p1, afternoon).getByRole('radio', { name: 'Présent' }).focus();
  await page.keyboard.press('ArrowDown'); // next person, same half-day
  await page.keyboard.press('p');
  await expect(cell(page, p2, afternoon).getByRole('radio', { name: 'Présent' })).toBeChecked();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('a');
  await expect(cell(page, p3, afternoon).getByRole('radio', { name: 'Absent' })).toBeChecked();

  // The service says who attended: two complete, one partial.
  const grid = page.getByRole('table', { name: `Présences de la session « ${TITLE} »` });
  const gridRow = (p: { nom: string; prenom: string }) => grid.getByRole('row').filter({ has: page.getByRole('rowheader', { name: new RegExp(who(p)) }) });
  await expect(gridRow(p1)).toContainText('Formation suivie');
  await expect(gridRow(p2)).toContainText('Formation suivie');
  await expect(gridRow(p3)).not.toContainText('Formation suivie');
  await expect(gridRow(p3)).toContainText('Présence partielle');

  // The partial attendance is accepted with a reason.
  await page.getByRole('button', { name: `Accepter avec un motif la présence partielle de ${who(p3)}` }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('textbox', { name: 'Motif de l’acceptation' }).fill('Malade');
  await dialog.getByRole('button', { name: 'Accepter la présence partielle' }).click();
  await expect(dialog.getByText(/au moins 10 caractères/)).toBeVisible(); // the service's refusal, shown
  await dialog.getByRole('textbox', { name: 'Motif de l’acceptation' }).fill('Rendez-vous médical l’après-midi ; contenus rattrapés avec la formatrice.');
  await dialog.getByRole('button', { name: 'Accepter la présence partielle' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(gridRow(p3)).toContainText('Formation suivie');
  await expect(gridRow(p3)).toContainText('partielle acceptée');
  await expect(gridRow(p3)).toContainText('Rendez-vous médical');

  // The signed attendance sheet.
  const sheet = page.getByRole('region', { name: 'Feuille d’émargement signée' });
  await sheet.getByRole('combobox', { name: 'Ce document est' }).click();
  await page.getByRole('option', { name: 'Feuille d\'émargement signée' }).click();
  await sheet.locator('input[type=file]').setInputFiles({ name: 'emargement-13-05-2025.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 feuille émargement signée (e2e)') });
  await sheet.getByRole('button', { name: 'Joindre', exact: true }).click();
  await expect(sheet.getByRole('status').filter({ hasText: /joint/i })).toBeVisible();
  await checkScreen(page, 'presence-04-grille-saisie');

  // One certificate, attached for one person.
  await page.getByRole('button', { name: `Joindre l’attestation de ${who(p1)}` }).click();
  const modal = page.getByRole('dialog', { name: `Attestation de ${who(p1)}` });
  await modal.getByRole('combobox', { name: 'Ce document est' }).click();
  await page.getByRole('option', { name: 'Attestation de fin de formation' }).click();
  await modal.locator('input[type=file]').setInputFiles({ name: 'attestation-p1.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 attestation (e2e)') });
  await modal.getByRole('button', { name: 'Joindre', exact: true }).click();
  await expect(modal.getByRole('status').filter({ hasText: /joint/i })).toBeVisible();
  await checkScreen(page, 'presence-05-attestation');
  await page.keyboard.press('Escape');
  await expect(modal).toHaveCount(0);
  const certRow = page.getByRole('table', { name: 'Attestations de fin de formation' }).getByRole('row', { name: new RegExp(who(p1)) });
  await expect(certRow).toContainText('Jointe : attestation-p1.pdf');

  // Recorded: the list of sessions says so, after a reload (what the services hold).
  await page.getByRole('link', { name: '← Retour aux sessions à saisir' }).click();
  const row2 = page.getByRole('row').filter({ hasText: TITLE });
  await expect(row2).toContainText('6 / 6 cases');
  await expect(row2).toContainText('Jointe');
  await expect(row2).toContainText('3 formés');
  await expect(row2.getByRole('cell').last()).toHaveText('1 / 3');

  // The checklist shrinks: no attendance and no sheet missing any more.
  await page.getByRole('link', { name: '5. Présence et justification' }).click();
  const after = await missingCount(page);
  expect(after).toBeLessThan(before);
  const ours = page.getByRole('row').filter({ hasText: TITLE });
  await expect(ours.filter({ hasText: 'Présence à saisir' })).toHaveCount(0);
  await expect(ours.filter({ hasText: 'Feuille d’émargement signée à joindre' })).toHaveCount(0);
  // The certificate attached for the first person: only the two others are still asked for.
  await expect(ours.filter({ hasText: 'Attestation de fin de formation à joindre' })).toHaveCount(2);
  await checkScreen(page, 'presence-06-liste-apres');

  // The dossier: made in the web host's data folder (no path is typed: issue 15), downloaded as a ZIP.
  await page.getByRole('button', { name: 'Générer le dossier' }).click();
  const done = page.getByRole('status').filter({ hasText: /généré/ });
  await expect(done).toBeVisible({ timeout: 60_000 });
  await expect(done).toContainText('3 départs dans le tableau art. 5.2');
  await checkScreen(page, 'presence-07-dossier');
  const [download] = await Promise.all([page.waitForEvent('download'), done.getByRole('link', { name: /^Télécharger le ZIP/ }).click()]);
  const out = path.join(server.dir, 'dossiers');
  const zips = fs.readdirSync(out).filter((n) => n.endsWith('.zip'));
  expect(zips).toHaveLength(1);
  expect(download.suggestedFilename()).toBe(zips[0]);
  const saved = path.join(server.dir, 'telecharge.zip');
  await download.saveAs(saved);
  expect(fs.readFileSync(saved).equals(fs.readFileSync(path.join(out, zips[0])))).toBe(true);
  const zip = await readZip(saved);
  expect(zip.some((e) => /emargement/i.test(e.name) || /feuille/i.test(e.name))).toBe(true);
  const bilan = path.join(out, zips[0].replace(/\.zip$/, ''), '1-a-transmettre-a-l-anct', 'bilan.pdf');
  execFileSync('pdftoppm', ['-png', '-r', '60', bilan, path.join(screenshotsDir, 'presence-bilan')]);
  const text = execFileSync('pdftotext', ['-layout', bilan, '-'], { encoding: 'utf8' });
  expect(text).toContain('BILAN DE LA CONVENTION');
});

test('présences : fichier de l’organisme importé, attestations découpées d’un seul PDF, dates Pix', async ({ page }) => {
  test.setTimeout(120_000);
  const [a, b, c] = acPeople;
  await page.goto(server.url);
  await page.getByRole('link', { name: '5. Présence et justification' }).click();
  await page.getByRole('button', { name: 'Saisir les présences' }).click();
  await page.getByRole('link', { name: `Saisir les présences de la session « ${AC_TITLE} »` }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Présences — session « ${AC_TITLE} »` })).toBeVisible();

  // The OF's file: one person by e-mail, two by name (one written « Prénom NOM »), a stranger, an excused afternoon.
  const csv = [
    'Stagiaire;Courriel;10/06/2025 matin;10/06/2025 après-midi',
    `${a.nom} ${a.prenom};${a.email ?? ''};P;P`,
    `${b.prenom} ${b.nom.toUpperCase()};;X;X`,
    `${c.nom} ${c.prenom};;P;Excusé`,
    'INCONNU Paul;paul.inconnu@example.org;P;P',
  ].join('\r\n');
  const region = page.getByRole('region', { name: 'Importer la feuille de présence de l’organisme' });
  await region.locator('input[type=file]').setInputFiles({ name: 'presences-aubusson.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
  await region.getByRole('button', { name: 'Lire le fichier' }).click();
  await expect(region.getByText('Aperçu : rien n’est encore enregistré')).toBeVisible();
  await expect(region).toContainText('3 participants reconnus, 1 ligne non rapprochée');
  await expect(region.getByRole('table', { name: 'Lignes non rapprochées' })).toContainText('INCONNU Paul');
  await expect(region.getByRole('table', { name: 'Présences à enregistrer' }).getByRole('row')).toHaveCount(7); // header + 6 cells
  await checkScreen(page, 'presence-08-import-apercu');
  await region.getByRole('button', { name: 'Enregistrer 6 présences' }).click();
  await expect(region.getByRole('status').filter({ hasText: '6 présences enregistrées' })).toBeVisible();
  const grid = page.getByRole('table', { name: `Présences de la session « ${AC_TITLE} »` });
  const cellOf = (p: { nom: string; prenom: string }, h: string) => grid.getByRole('radiogroup', { name: `Présence de ${who(p)} le 10/06/2025 ${h}` });
  await expect(cellOf(b, 'matin').getByRole('radio', { name: 'Présent' })).toBeChecked();
  await expect(cellOf(c, 'après-midi').getByRole('radio', { name: 'Excusé' })).toBeChecked();
  const rowOf = (p: { nom: string; prenom: string }) => grid.getByRole('row').filter({ has: page.getByRole('rowheader', { name: new RegExp(who(p)) }) });
  await expect(rowOf(a)).toContainText('Formation suivie');
  await expect(rowOf(c)).toContainText('Présence partielle');

  // One PDF of three pages: one certificate per participant, in the order of the list.
  const { PDFDocument, StandardFonts } = await import('pdf-lib');
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const p of acPeople) doc.addPage([595, 842]).drawText(`Attestation de fin de formation — ${p.prenom} ${p.nom}`, { x: 50, y: 780, size: 14, font });
  const certs = page.getByRole('region', { name: 'Attestations de fin de formation' });
  await certs.locator('input[type=file]').setInputFiles({ name: 'attestations-aubusson.pdf', mimeType: 'application/pdf', buffer: Buffer.from(await doc.save()) });
  await certs.getByRole('button', { name: 'Lire les pages' }).click();
  await expect(certs.getByText('3 pages pour 3 participants')).toBeVisible();
  await expect(certs.getByRole('combobox', { name: 'Participant de la page 1' })).toHaveValue(who(a));
  await checkScreen(page, 'presence-09-attestations-pages');
  await certs.getByRole('button', { name: 'Découper et joindre' }).click();
  await expect(certs.getByRole('status').filter({ hasText: '3 attestations jointes' })).toBeVisible();
  await expect(certs.getByRole('table', { name: 'Attestations de fin de formation' }).getByText(/^Jointe/)).toHaveCount(3);

  // Pix test dates (Aidants Connect): a date before the training is refused by the service.
  const pix = page.getByRole('region', { name: 'Test Pix (Aidants Connect)' });
  await pix.getByRole('textbox', { name: `Date du test Pix de ${who(a)}` }).fill('01/06/2025');
  await pix.getByRole('button', { name: `Enregistrer la date du test Pix de ${who(a)}` }).click();
  await expect(pix.getByText(/précéder la dernière demi-journée/)).toBeVisible();
  await pix.getByRole('textbox', { name: `Date du test Pix de ${who(a)}` }).fill('24/06/2025');
  await pix.getByRole('button', { name: `Enregistrer la date du test Pix de ${who(a)}` }).click();
  await expect(pix.getByRole('status').filter({ hasText: 'Enregistrée : 24/06/2025' })).toBeVisible();
  await checkScreen(page, 'presence-10-import-attestations-pix');

  // What the services hold, read back through the API.
  const held = await server.api<{ participants: { nom: string; pixDate: string | null; certificates: unknown[]; state: string }[] }>('presence.get', { sessionId: acSessionId });
  expect(held.participants.map((p) => p.certificates.length)).toEqual([1, 1, 1]);
  expect(held.participants.find((p) => p.nom === a.nom)!.pixDate).toBe('2025-06-24');
  expect(held.participants.map((p) => p.state).sort()).toEqual(['complete', 'complete', 'partial']);
});
