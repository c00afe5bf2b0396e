// Documents end to end: from the screen, the officer downloads the application-form workbook
// (drop-downs read back from the file) and prepares a demande de devis for a need of the Marché —
// edits a text, picks the organisations, downloads the PDF (read with pdftotext, rendered as PNG)
// and the Word version — then sees the quotes received compared side by side.
import { expect, test } from '@playwright/test';
import ExcelJS from 'exceljs';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { checkScreen, screenshotsDir, startServer, type Server } from './helpers';

let server: Server;
let marcheId = 0;
let ofA = 0;
let ofB = 0;
test.beforeAll(async () => {
  server = await startServer();
  await server.api('convention.create', {
    departement: '23',
    beneficiaireNom: 'Conseil départemental de la Creuse',
    beneficiaireSiret: '22230001600011',
    signatureDate: '2024-10-15',
    fundsReceivedDate: '2024-11-02',
    fundsReceivedCents: 20_000_00,
  });
  ofA = (
    await server.api<{ id: number }>('marche.of.create', {
      name: 'Mednum Formation',
      siret: '81234567600017',
      nda: '75230123423',
      qualiopiActionsFormation: true,
      qualiopiIssuer: 'AFNOR Certification',
      qualiopiValidFrom: '2022-01-01',
      qualiopiValidUntil: '2029-12-31',
      anctReferencedDate: '2024-05-01',
    })
  ).id;
  ofB = (
    await server.api<{ id: number }>('marche.of.create', {
      name: 'Familles Rurales — Fédération régionale',
      siret: '77567890700020',
      nda: '75870045687',
      qualiopiActionsFormation: true,
      qualiopiIssuer: 'Bureau Veritas',
      qualiopiValidFrom: '2021-06-01',
      qualiopiValidUntil: '2029-06-30',
      anctReferencedDate: '2024-03-01',
    })
  ).id;
  const conv = await server.api<{ id: number }[]>('convention.list', {});
  marcheId = (
    await server.api<{ id: number }>('marche.create', { conventionId: conv[0].id, label: 'Aidants Connect — agents France Services', kind: 'AC', seats: 18, needStart: '2027-01-11', needEnd: '2027-03-26' })
  ).id;
});
test.afterEach(async ({ page }, info) => {
  if (info.status !== info.expectedStatus) console.log(await page.locator('body').ariaSnapshot().catch(() => ''));
});
test.afterAll(async () => {
  await server?.stop();
});

test('documents à envoyer : formulaire de candidature et demande de devis produits depuis l’écran', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto(server.url);
  await page.getByRole('link', { name: 'Documents à envoyer' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Documents à envoyer' })).toBeVisible();
  await checkScreen(page, 'documents-01-accueil');

  // --- the application form ---
  await page.getByLabel('Date limite de réponse').fill('15/01/2027');
  await page.getByLabel('Adresse de retour').fill('inclusion.numerique@creuse.fr');
  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Télécharger le formulaire (Excel)' }).click()]);
  expect(xlsx.suggestedFilename()).toBe('formulaire-candidature-23.xlsx');
  const xlsxFile = path.join(server.dir, 'formulaire.xlsx');
  await xlsx.saveAs(xlsxFile);
  await expect(page.getByRole('status').filter({ hasText: 'Formulaire produit' })).toBeVisible();
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(xlsxFile);
  expect(book.worksheets.map((w) => w.name)).toEqual(['Candidatures', 'Notes']);
  const ws = book.getWorksheet('Candidatures')!;
  expect(String(ws.getCell('A2').value)).toContain('avant le 15/01/2027 à inclusion.numerique@creuse.fr');
  const statutCol = (ws.getRow(4).values as unknown[]).indexOf('Statut du professionnel');
  expect(ws.getRow(5).getCell(statutCol).dataValidation).toMatchObject({ type: 'list', formulae: ['"Agent public,Salarié,Bénévole,Volontaire en service civique"'] });

  // --- the demande de devis of the need ---
  await page.getByRole('link', { name: 'Préparer la demande de devis : Aidants Connect — agents France Services' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /Demande de devis — Aidants Connect/ })).toBeVisible();
  await expect(page.getByText('Textes proposés')).toBeVisible();
  await expect(page.getByLabel('Contenu attendu')).toHaveValue(/Aidants Connect \(7 h/);
  await page.getByLabel('Date limite de réponse').fill('15/12/2026');
  await page.getByLabel('Nombre de groupes').fill('2');
  await page.getByLabel('Lieux et calendrier').fill('Deux groupes : Guéret (Hôtel du Département) puis Aubusson, en janvier et mars 2027.');
  await page.getByLabel('Contact pour les réponses').fill('inclusion.numerique@creuse.fr');
  await page.getByLabel(/^Mednum Formation/).check();
  await page.getByLabel(/^Familles Rurales/).check();
  await checkScreen(page, 'documents-02-demande-de-devis');
  const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Enregistrer et télécharger le PDF' }).click()]);
  const pdfFile = path.join(server.dir, 'demande.pdf');
  await pdf.saveAs(pdfFile);
  await expect(page.getByRole('status').filter({ hasText: 'Demande de devis enregistrée' })).toBeVisible();
  const text = execFileSync('pdftotext', ['-layout', pdfFile, '-'], { encoding: 'utf8' }).replace(/[\u00a0\u202f]/g, ' ').replace(/\s+/g, ' ');
  for (const s of ['DEMANDE DE DEVIS', 'Formation Aidants Connect', '18', '2 (≈ 9 pers.)', 'du 11/01/2027 au 26/03/2027', 'Réponse attendue avant le 15/12/2026', 'Deux groupes : Guéret (Hôtel du Département)', 'Qualiopi', 'Aucun référencement préalable auprès de l’ANCT', 'Commun de formation', 'Feuilles d’émargement', 'Attestation de fin de formation', 'Critères de choix']) {
    expect(text, s).toContain(s);
  }
  execFileSync('pdftoppm', ['-png', '-r', '60', '-singlefile', pdfFile, path.join(screenshotsDir, 'documents-demande-de-devis-pdf')]);
  const [docx] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Enregistrer et télécharger le Word' }).click()]);
  expect(docx.suggestedFilename()).toBe(`demande-de-devis-marche-${marcheId}.docx`);
  const docxFile = path.join(server.dir, 'demande.docx');
  await docx.saveAs(docxFile);
  expect(fs.readFileSync(docxFile).subarray(0, 2).toString()).toBe('PK');

  // The stored texts come back after a reload.
  await page.reload();
  await expect(page.getByLabel('Lieux et calendrier')).toHaveValue(/^Deux groupes : Guéret/);
  await expect(page.getByText('Textes proposés')).toHaveCount(0);

  // --- quotes received, recorded on the need, compared side by side ---
  await server.api('marche.addQuote', { marcheId, organismeId: ofA, reference: 'MN-118', quoteDate: '2026-12-01', amountHtCents: 5_400_00, vatCents: 0, vatExemption: 'Art. 261-4-4° a du CGI' });
  await server.api('marche.addQuote', { marcheId, organismeId: ofB, quoteDate: '2026-12-20', amountHtCents: 4_600_00, vatCents: 920_00 });
  await page.reload();
  const table = page.getByRole('table', { name: 'Comparaison des devis' });
  await expect(table.getByRole('columnheader')).toHaveText(['Critère', 'Mednum Formation', 'Familles Rurales — Fédération régionale']);
  await expect(table.getByRole('row', { name: /Montant TTC/ })).toContainText('5 400,00');
  await expect(table.getByRole('row', { name: /Date du devis/ })).toContainText('hors délai');
  await expect(table.getByRole('row', { name: /Prix par place/ })).toContainText('300,00');
  await expect(table.getByRole('row', { name: /Repères/ }).getByRole('cell')).toHaveText(['moins cher (offres conformes)', '—']);
  await checkScreen(page, 'documents-03-comparaison');
});
