// Step 3 end to end: record an OF with its Qualiopi certificate, two quotes, a choice with a
// reason, an order (rules checked), an invoice and a payment; the PDFs show the figures; the
// budget and the home dashboard move.
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { checkScreen, fixturesDir, screenshotsDir, startServer, type Server } from './helpers';

let server: Server;
test.beforeAll(async () => {
  server = await startServer();
  await server.api('convention.create', {
    departement: '23',
    beneficiaireNom: 'Conseil départemental de la Creuse',
    beneficiaireSiret: '22230001600011',
    designationDate: '2024-09-20',
    signatureDate: '2024-10-15',
    fundsReceivedDate: '2024-11-02',
    fundsReceivedCents: 20_000_00,
    fraisGestionPlannedCents: 500_00,
    engineeringActions: [{ label: 'Kit de médiation numérique', plannedCents: 1_000_00 }],
  });
  await server.api('marche.of.create', {
    name: 'Familles Rurales — Fédération régionale',
    siret: '77567890700020',
    nda: '75870045687',
    qualiopiActionsFormation: true,
    qualiopiIssuer: 'Bureau Veritas',
    qualiopiValidFrom: '2021-06-01',
    qualiopiValidUntil: '2029-06-30',
    anctReferencedDate: '2024-03-01',
  });
});
test.afterEach(async ({ page }, info) => {
  // On failure, print what the screen showed (French messages, crash details).
  if (info.status !== info.expectedStatus) console.log(await page.locator('body').ariaSnapshot().catch(() => ''));
});
test.afterAll(async () => {
  await server?.stop();
});

const pdf = (name: string) => ({ name, mimeType: 'application/pdf', buffer: Buffer.from(`%PDF-1.4 ${name}`) });

async function choose(page: Page, label: string, option: string | RegExp) {
  await page.getByRole('combobox', { name: label, exact: true }).click();
  await page.getByRole('option', { name: option }).click();
}

/** Downloads a generated PDF, checks its text with pdftotext and renders page 1 as PNG. */
async function downloadAndRead(page: Page, button: string, name: string): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
  const file = path.join(server.dir, `${name}.pdf`);
  await download.saveAs(file);
  expect(fs.readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
  execFileSync('pdftoppm', ['-png', '-r', '60', '-singlefile', file, path.join(screenshotsDir, `marche-${name}`)]);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/[\u00a0\u202f]/g, ' ');
}

test('marché de formation : organisme, deux devis, choix motivé, commande, facture, paiement', async ({ page }) => {
  test.setTimeout(120_000); // the whole procurement record in one scenario (about 15 s alone, more under a loaded CI)
  await page.goto(server.url);
  await page.getByRole('link', { name: '3. Marché de formation' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Étape 3 — Marché de formation' })).toBeVisible();
  await checkScreen(page, 'marche-01-vide');

  // An OF with its Qualiopi certificate.
  await page.getByRole('button', { name: 'Organismes de formation' }).click();
  await page.getByRole('button', { name: 'Nouvel organisme' }).click();
  await page.getByRole('textbox', { name: 'Nom de l’organisme' }).fill('Mednum Formation');
  await page.getByRole('textbox', { name: 'SIRET' }).fill('812 345 676 00018'); // wrong key: refused
  await page.getByRole('textbox', { name: /NDA/ }).fill('75230123423');
  await page.getByLabel('Certifié Qualiopi pour les actions de formation').check();
  await page.getByRole('textbox', { name: 'Organisme certificateur' }).fill('AFNOR Certification');
  await page.getByRole('textbox', { name: 'Numéro du certificat' }).fill('Q-2022-0042');
  await page.getByLabel('Valide du').fill('01/01/2022');
  await page.getByLabel('Valide jusqu’au').fill('31/12/2029');
  await page.getByLabel('Référencé par l’ANCT le').fill('01/05/2024');
  await page.getByRole('button', { name: 'Enregistrer l’organisme' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'L’organisme n’a pas été enregistré' })).toContainText('clé de contrôle');
  await page.getByRole('textbox', { name: 'SIRET' }).fill('812 345 676 00017');
  await page.getByRole('button', { name: 'Enregistrer l’organisme' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Mednum Formation' })).toBeVisible();
  await expect(page.getByText('Le certificat Qualiopi n’est pas joint.')).toBeVisible();
  await choose(page, 'Ce document est', 'Certificat Qualiopi');
  await page.locator('input[type=file]').last().setInputFiles(pdf('certificat-qualiopi-mednum.pdf'));
  await page.getByRole('button', { name: 'Joindre' }).click();
  await expect(page.getByRole('cell', { name: 'certificat-qualiopi-mednum.pdf' })).toBeVisible();
  await expect(page.getByText('Le certificat Qualiopi n’est pas joint.')).toHaveCount(0);
  await expect(page.getByText('Qualiopi valide').first()).toBeVisible();
  await checkScreen(page, 'marche-02-organisme');
  await page.getByRole('link', { name: '← Organismes de formation' }).click();
  await expect(page.getByRole('row').filter({ hasText: 'Mednum Formation' })).toContainText('Qualiopi valide');
  // Every Qualiopi badge is read whole (« Formateurs internes », not « Formateurs inte… »).
  const cut = await page.locator('.mantine-Badge-label').evaluateAll((els) => els.filter((e) => e.scrollWidth > e.clientWidth).map((e) => e.textContent));
  expect(cut).toEqual([]);
  await checkScreen(page, 'marche-03-organismes');

  // The need.
  await page.getByRole('link', { name: '← Retour au marché de formation' }).click();
  await page.getByRole('button', { name: 'Nouveau besoin de formation' }).click();
  await page.getByRole('textbox', { name: 'Besoin' }).fill('Aidants Connect — agents France Services');
  await choose(page, 'Type de formation', 'Aidants Connect (AC)');
  await page.getByRole('textbox', { name: 'Nombre de places' }).fill('12');
  await page.getByLabel('Début souhaité').fill('01/04/2025');
  await page.getByLabel('Fin souhaitée').fill('30/06/2025');
  await page.getByRole('button', { name: 'Créer le besoin' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Aidants Connect — agents France Services' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'demande de devis et cahier des charges à envoyer aux organismes' })).toHaveAttribute('href', /^#\/documents\/consultation\/\d+$/);

  // Two quotes.
  const addQuote = async (of: RegExp, date: string, ht: string, vat: string, exemption: string) => {
    await choose(page, 'Organisme', of);
    await page.getByLabel('Date du devis').fill(date);
    await page.getByRole('textbox', { name: 'Montant HT' }).fill(ht);
    await page.getByRole('textbox', { name: 'TVA', exact: true }).fill(vat);
    await page.getByRole('textbox', { name: 'Motif d’exonération de TVA' }).fill(exemption);
    await page.getByRole('button', { name: 'Enregistrer le devis' }).click();
  };
  await addQuote(/^Mednum Formation/, '2025-03-01', '7000', '1400', '');
  await expect(page.getByRole('row').filter({ hasText: 'Mednum Formation' })).toContainText('8 400,00 €');
  await addQuote(/^Familles Rurales/, '2025-03-03', '9600', '', 'Exonération de TVA, art. 261-4-4° a du CGI');
  await expect(page.getByRole('row').filter({ hasText: 'Familles Rurales' })).toContainText('9 600,00 €');
  await page.getByRole('row').filter({ hasText: 'Mednum Formation' }).locator('input[type=file]').setInputFiles(pdf('devis-mednum.pdf'));
  await expect(page.getByRole('row').filter({ hasText: 'Mednum Formation' }).getByText('joint')).toBeVisible();

  // The choice and its written reason; the note de choix.
  await page.getByRole('radio', { name: /^Mednum Formation — 8\s400,00\s€ TTC/ }).check();
  await page.getByRole('textbox', { name: 'Raison du choix' }).fill('trop court');
  await page.getByRole('button', { name: 'Enregistrer le choix' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Rédigez la raison du choix' })).toBeVisible();
  await page.getByRole('textbox', { name: 'Raison du choix' }).fill('Offre la moins chère (700 € TTC par place), organisme référencé ANCT, sessions en avril à Guéret.');
  await page.getByLabel('Date du choix').fill('05/03/2025');
  await page.getByRole('button', { name: 'Enregistrer le choix' }).click();
  await expect(page.getByText('Offre choisie — bon de commande à émettre')).toBeVisible();
  const note = await downloadAndRead(page, 'Note de choix (PDF à signer)', 'note-de-choix');
  expect(note).toContain('NOTE DE CHOIX');
  expect(note).toMatch(/Mednum Formation\s+01\/03\/2025\s+7 000,00 €\s+1 400,00 €\s+8 400,00 €/);
  expect(note).toContain('Offre la moins chère (700 € TTC par place)');
  await checkScreen(page, 'marche-04-devis-choix');

  // The order: the rules are checked before saving.
  await page.getByRole('textbox', { name: 'Numéro du bon de commande' }).fill('BC-2025-001');
  await page.getByLabel('Date de commande').fill('10/03/2025');
  await page.getByRole('button', { name: 'Vérifier les règles' }).click();
  await expect(page.getByText(/Achats de formation 2025 \(cette commande comprise\) : 7\s000,00\s€ HT, soit 17 % du seuil de 40\s000,00\s€ HT/)).toBeVisible();
  await checkScreen(page, 'marche-05-controles-commande');
  await page.getByRole('button', { name: 'Émettre le bon de commande' }).click();
  await expect(page.getByText('Commandé — en attente de facture')).toBeVisible();
  const bc = await downloadAndRead(page, 'Bon de commande (PDF à signer)', 'bon-de-commande');
  expect(bc).toContain('BON DE COMMANDE n° BC-2025-001');
  expect(bc).toMatch(/7 000,00 €\s+1 400,00 €\s+8 400,00 €/);
  expect(bc).toContain('SIRET 81234567600017 — NDA 75230123423');

  // Invoice and payment.
  await page.getByRole('textbox', { name: 'Numéro de facture' }).fill('F-2025-044');
  await page.getByLabel('Date de facture').fill('01/07/2025');
  await page.getByRole('textbox', { name: 'Montant facturé' }).fill('8400');
  await page.getByRole('button', { name: 'Enregistrer la facture' }).click();
  const invoiceRow = page.getByRole('row').filter({ has: page.getByRole('cell', { name: 'F-2025-044', exact: true }) });
  await expect(invoiceRow).toContainText('8 400,00 €');
  await invoiceRow.locator('input[type=file]').setInputFiles(pdf('facture-F-2025-044.pdf'));
  await expect(invoiceRow.getByText('joint', { exact: true })).toBeVisible();
  await choose(page, 'Facture payée', /^F-2025-044/);
  await page.getByLabel('Date du paiement').fill('20/07/2025');
  await page.getByRole('textbox', { name: 'Montant payé' }).fill('5000');
  await page.getByRole('textbox', { name: 'Référence du mandat' }).fill('MDT-2025-0456');
  await page.getByRole('button', { name: 'Enregistrer le paiement' }).click();
  await expect(page.getByText(/reste à payer 3\s400,00\s€/)).toBeVisible();
  await expect(page.getByText(/20\/07\/2025 — 5\s000,00\s€ — mandat MDT-2025-0456/)).toBeVisible();
  await invoiceRow.locator('input[type=file]').setInputFiles(pdf('mandat-MDT-2025-0456.pdf'));
  await expect(invoiceRow.getByText('preuve jointe')).toBeVisible();
  await checkScreen(page, 'marche-06-factures-paiements');

  // A typo in the invoice amount is corrected in its dialog; the creation's checks apply again.
  await invoiceRow.getByRole('button', { name: 'Modifier la facture F-2025-044' }).click();
  const dialog = page.getByRole('dialog', { name: 'Modifier la facture F-2025-044' });
  await dialog.getByRole('textbox', { name: 'Montant facturé' }).fill('4000');
  await dialog.getByRole('button', { name: 'Enregistrer la correction' }).click();
  await expect(dialog.getByRole('alert')).toContainText(/5\s000,00\s€ sont déjà payés/);
  await dialog.getByRole('textbox', { name: 'Montant facturé' }).fill('8000');
  await checkScreen(page, 'marche-06b-correction-facture');
  await dialog.getByRole('button', { name: 'Enregistrer la correction' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByText(/facturé 8\s000,00\s€/)).toBeVisible();

  // The budget and the home dashboard moved.
  await page.getByRole('link', { name: '← Marché de formation' }).click();
  await page.getByRole('link', { name: 'Détail du budget, frais de gestion et ingénierie' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Budget de la convention' })).toBeVisible();
  await expect(page.getByRole('row', { name: /Engagé \(bons de commande, TTC\)/ })).toContainText('8 400,00 €');
  await expect(page.getByRole('row', { name: /^Facturé/ })).toContainText('8 000,00 €');
  await expect(page.getByRole('row', { name: /Payé \(factures de formation\)/ })).toContainText('5 000,00 €');
  await expect(page.getByRole('row', { name: /Reste disponible/ })).toContainText('11 600,00 €');
  await expect(page.getByText(/il en manque 60/)).toBeVisible();
  await checkScreen(page, 'marche-07-budget');
  await page.getByRole('link', { name: 'Accueil — guide' }).click();
  const dash = page.getByRole('region', { name: 'Tableau de bord' });
  await expect(dash).toContainText('8 400,00 €');
  await expect(dash).toContainText('5 000,00 €');
  await checkScreen(page, 'marche-08-accueil');
  const stats = await server.api<{ budget: Record<string, number> }>('stats.get', {});
  expect(stats.budget).toEqual({ amount_cents: 20_000_00, received_cents: 20_000_00, committed_cents: 8_400_00, paid_cents: 5_000_00 });
});

test('liste publique des OF importée depuis l’écran, vérification ; frais de gestion et reliquat', async ({ page }) => {
  await page.goto(server.url);
  await page.getByRole('link', { name: '3. Marché de formation' }).click();
  await page.getByRole('button', { name: 'Organismes de formation' }).click();
  await page.getByLabel('Importer la liste (CSV)').setInputFiles(path.join(fixturesDir, 'liste-publique-of.csv'));
  await expect(page.getByRole('status').filter({ hasText: 'Import terminé : 6 organismes.' })).toBeVisible();
  await page.getByRole('textbox', { name: 'SIRET, SIREN ou NDA à vérifier' }).fill('900 111 220');
  await page.getByRole('button', { name: 'Vérifier', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Institut Sans Certif figure dans la liste publique SANS certification Qualiopi' })).toBeVisible();
  await page.getByRole('textbox', { name: 'SIRET, SIREN ou NDA à vérifier' }).fill('75230123423');
  await page.getByRole('button', { name: 'Vérifier', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Mednum Formation est certifié Qualiopi pour les actions de formation' })).toBeVisible();
  await checkScreen(page, 'marche-09-liste-publique');

  await page.goto(server.url.replace(/#.*$/, '') + '#/marche/budget');
  await expect(page.getByRole('heading', { level: 1, name: 'Budget de la convention' })).toBeVisible();
  // Engineering from the reliquat: refused while the target of departures is not reached.
  await choose(page, 'Nature de la dépense', 'Ingénierie (reliquat)');
  await choose(page, 'Action d’ingénierie de la convention', 'Kit de médiation numérique');
  await page.getByRole('textbox', { name: 'Libellé de la dépense' }).fill('Impression des kits');
  await page.getByLabel('Date de la dépense').fill('01/11/2025');
  await page.getByRole('textbox', { name: 'Montant de la dépense' }).fill('300');
  await page.getByRole('button', { name: 'Enregistrer la dépense' }).click();
  await expect(page.getByRole('alert', { name: 'Refusé' })).toContainText('Dépense d’ingénierie refusée');
  await expect(page.getByRole('alert', { name: 'Refusé' })).toContainText('il en manque 60');
  // Management costs above what the convention planned: warned, saved once confirmed.
  await choose(page, 'Nature de la dépense', 'Frais de gestion');
  await page.getByRole('textbox', { name: 'Libellé de la dépense' }).fill('Location de salle');
  await page.getByRole('textbox', { name: 'Montant de la dépense' }).fill('600,50');
  await page.getByRole('button', { name: 'Enregistrer la dépense' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'au-delà des 500,00' })).toBeVisible();
  await page.getByLabel('J’ai pris connaissance des alertes et je confirme la dépense').check();
  await page.getByRole('button', { name: 'Enregistrer la dépense' }).click();
  const row = page.getByRole('row').filter({ hasText: 'Location de salle' });
  await expect(row).toContainText('600,50 €');
  await row.locator('input[type=file]').setInputFiles(pdf('facture-salle.pdf'));
  await expect(row.getByText('joint', { exact: true })).toBeVisible();
  await expect(page.getByRole('row', { name: /Frais de gestion \(prévu 500,00/ })).toContainText('600,50 €');
  await checkScreen(page, 'marche-10-depenses');
  const b = await server.api<{ fraisGestionSpentCents: number; engineeringSpentCents: number }>('marche.budget', { conventionId: 1 });
  expect(b).toMatchObject({ fraisGestionSpentCents: 600_50, engineeringSpentCents: 0 });
});
