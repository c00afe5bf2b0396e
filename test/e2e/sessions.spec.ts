// Step 4 end to end: a session created with the keyboard, people of the imported FNE table
// assigned (a refusal reason on screen, then the officer's written override; a generic e-mail warned), both lists exported and read
// back with SheetJS, the émargement PDF downloaded, read with pdftotext and rendered as PNG,
// a registration cancelled with its reason, the Aidants Connect board updated in bulk and from
// ANCT's table. Data are seeded through the real services (the same API as the screens).
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as XLSX from 'xlsx';
import { checkScreen, fixturesDir, screenshotsDir, startServer, tabTo, type Server } from './helpers';

let server: Server;
let conventionId: number;
const EXEMPT = 'Exonération de TVA, art. 261-4-4° a du CGI';

test.beforeAll(async () => {
  server = await startServer();
  const c = await server.api<{ id: number }>('convention.create', {
    departement: '23',
    beneficiaireNom: 'Conseil départemental de la Creuse',
    beneficiaireSiret: '22230001600011',
    designationDate: '2024-09-20',
    signatureDate: '2024-10-15',
    fundsReceivedDate: '2024-11-02',
    fundsReceivedCents: 20_000_00,
    fraisGestionPlannedCents: 500_00,
    engineeringActions: [],
  });
  conventionId = c.id;
  const of = await server.api<{ id: number }>('marche.of.create', {
    name: 'Mednum Formation',
    siret: '812 345 676 00017',
    nda: '75230123423',
    qualiopiActionsFormation: true,
    qualiopiIssuer: 'AFNOR Certification',
    qualiopiNumber: 'Q-2022-0042',
    qualiopiValidFrom: '2022-01-01',
    qualiopiValidUntil: '2029-12-31',
    anctReferencedDate: '2024-05-01',
  });
  const m = await server.api<{ id: number }>('marche.create', { conventionId: c.id, label: 'Aidants Connect — agents France Services', kind: 'AC', seats: 36 });
  const q = await server.api<{ quotes: { id: number }[] }>('marche.addQuote', { marcheId: m.id, organismeId: of.id, quoteDate: '2025-02-01', amountHtCents: 12_000_00, vatCents: 0, vatExemption: EXEMPT });
  await server.api('marche.choose', { marcheId: m.id, quoteId: q.quotes[0].id, reason: 'Seul OF référencé ANCT disponible dans le département aux dates voulues.', choiceDate: '2025-02-03' });
  await server.api('marche.createOrder', { marcheId: m.id, number: 'BC-2025-007', orderDate: '2025-02-05', acceptWarnings: true });
  // The people: ANCT's FNE follow-up table (fixture), imported as the officer would.
  const bytes = fs.readFileSync(path.join(fixturesDir, 'aidants-fne-grist.xlsx'));
  await server.api('recensement.importCommit', { fileName: 'aidants-fne-grist.xlsx', contentBase64: bytes.toString('base64') });
  // One more professional, typed by hand with the structure's generic address.
  const st = await server.api<{ rows: { id: number; name: string }[] }>('recensement.structures.list', { search: 'Mairie de Bourganeuf' });
  await server.api('recensement.people.save', {
    values: { nom: 'Accueil', prenom: 'Mairie', email: 'accueil@mairiedebourganeuf.fr', profession: 'Agent d’accueil', structureId: st.rows[0].id, trainingWish: 'AC' },
  });
});
test.afterEach(async ({ page }, info) => {
  if (info.status !== info.expectedStatus) console.log(await page.locator('body').ariaSnapshot().catch(() => ''));
});
test.afterAll(async () => {
  await server?.stop();
});

async function downloadFile(page: Page, button: string, name: string): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button, exact: true }).click()]);
  const file = path.join(server.dir, name);
  await download.saveAs(file);
  await expect(page.getByRole('status').filter({ hasText: 'téléchargé' })).toBeVisible();
  return file;
}

function sheetRows(file: string): unknown[][] {
  const wb = XLSX.read(fs.readFileSync(file), { type: 'buffer' });
  return XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets[wb.SheetNames[0]], { header: 1, defval: null });
}

/** Picks a person in the assignment list by searching their name. */
async function pick(page: Page, search: string, who: string) {
  await page.getByRole('textbox', { name: 'Rechercher' }).fill(search);
  const box = page.getByRole('checkbox', { name: `Choisir ${who}` });
  await expect(box).toBeVisible();
  await box.check();
}

test('session créée au clavier, inscriptions avec refus motivé, listes OF et ANCT, émargement, suivi Aidants Connect', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto(server.url);
  await page.getByRole('link', { name: '4. Cohortes et sessions' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Étape 4 — Cohortes et sessions' })).toBeVisible();
  await expect(page.getByText('Aucune session')).toBeVisible();
  await checkScreen(page, 'sessions-01-vide');

  // The form, with the keyboard only.
  await tabTo(page, 'Nouvelle session');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Nouvelle session' })).toBeVisible();
  await tabTo(page, 'Animée par');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('combobox', { name: 'Animée par' })).toHaveValue(/^BC-2025-007 — Mednum Formation/);
  // The order's kind is taken over; the default capacity comes from the service.
  await expect(page.getByRole('combobox', { name: 'Type de formation' })).toHaveValue('Formation Aidants Connect');
  await expect(page.getByText('Vide : 12 places par défaut')).toBeVisible();
  await tabTo(page, 'Intitulé');
  await page.keyboard.type('Aidants Connect — France Services de Guéret');
  const halfDay1 = page.getByRole('group', { name: 'Demi-journée 1' });
  const halfDay2 = page.getByRole('group', { name: 'Demi-journée 2' });
  await halfDay1.getByRole('textbox', { name: 'Date' }).focus();
  await page.keyboard.type('08/04/2025');
  await page.keyboard.press('Tab'); // Moment: matin by default
  await page.keyboard.press('Tab');
  await page.keyboard.type('09:00');
  await page.keyboard.press('Tab');
  await page.keyboard.type('12:30');
  await halfDay2.getByRole('textbox', { name: 'Date' }).focus();
  await page.keyboard.type('08/04/2025');
  await expect(halfDay2.getByRole('combobox', { name: 'Moment' })).toHaveValue('Après-midi');
  await tabTo(page, 'Formateurs');
  await page.keyboard.type('Léa Martin');
  // Submitted without a place: the service says what is missing, on the field.
  await tabTo(page, 'Créer la session');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('alert').filter({ hasText: 'Corrigez les champs signalés.' })).toContainText('Indiquez le lieu de la session.');
  await expect(page.getByRole('textbox', { name: 'Lieu' })).toHaveAttribute('aria-invalid', 'true');
  await checkScreen(page, 'sessions-02-formulaire-erreur');
  await page.getByRole('textbox', { name: 'Lieu' }).focus();
  await page.keyboard.type('Salle du conseil, 1 place Louis Lacrocq, Guéret');
  await tabTo(page, 'Créer la session');
  await page.keyboard.press('Enter');

  // The session: 0 / 12, two half-days of 3,5 h.
  await expect(page.getByRole('heading', { level: 1, name: 'Aidants Connect — France Services de Guéret' })).toBeVisible();
  await expect(page.getByText('0 inscrit pour 12 places.')).toBeVisible();
  await expect(page.getByText('08/04/2025 après-midi : 13:30 – 17:00')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Mednum Formation' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Saisir les présences' })).toHaveAttribute('href', /#\/justification\/presences\/\d+$/);
  await checkScreen(page, 'sessions-03-session-vide');

  // Assignment from the imported people.
  await page.getByRole('button', { name: 'Inscrire des professionnels' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^Inscrire des professionnels/ })).toBeVisible();
  await expect(page.getByText(/^86 professionnels/)).toBeVisible();
  // The list already says why a conseiller numérique cannot be registered.
  await page.getByRole('textbox', { name: 'Rechercher' }).fill('Perrin Maëlys');
  const perrin = page.getByRole('row').filter({ hasText: 'maelys.perrin@maisondepartementa.fr' });
  await expect(perrin).toContainText('n’est pas éligible (Conseiller numérique');
  await perrin.getByRole('checkbox').check();
  await pick(page, 'David Catherine', 'Catherine DAVID');
  await pick(page, 'Perrin Anaïs', 'Anaïs PERRIN');
  await pick(page, 'accueil@', 'Mairie Accueil');
  await expect(page.getByRole('row').filter({ hasText: 'accueil@mairiedebourganeuf.fr' })).toContainText('Adresse e-mail générique');
  await page.getByRole('button', { name: 'Inscrire la sélection (4)' }).click();
  const refusal = page.getByRole('alert').filter({ hasText: 'Inscription refusée : rien n’a été enregistré' });
  await expect(refusal).toBeVisible();
  await expect(refusal).toContainText('Maëlys PERRIN n’est pas éligible (Conseiller numérique');
  await checkScreen(page, 'sessions-04-refus');
  // The officer decides to register her anyway, with the written reason the service asks for.
  await page.getByRole('textbox', { name: 'Motif pour inscrire une personne non éligible' }).fill('Contrat de conseillère numérique terminé au 31/01/2025 : désormais agent d’accueil de la MDS.');
  await page.getByRole('button', { name: 'Inscrire la sélection (4)' }).click();
  const ok = page.getByRole('status').filter({ hasText: '4 personnes inscrites' });
  await expect(ok).toBeVisible();
  await expect(ok).toContainText('Mairie Accueil — Adresse e-mail générique');
  // Registered people now show it in the list; registering them again is refused with its reason.
  await page.getByRole('textbox', { name: 'Rechercher' }).fill('David Catherine');
  await expect(page.getByRole('row').filter({ hasText: 'catherine.david@associationnumeriq.fr' })).toContainText('Déjà inscrit');
  await page.getByRole('textbox', { name: 'Rechercher' }).fill('');
  await checkScreen(page, 'sessions-05-inscriptions');

  // Back to the session: 3 / 12, the lists and the émargement.
  await page.getByRole('link', { name: '← Retour à la session' }).click();
  await expect(page.getByText('4 inscrits pour 12 places.')).toBeVisible();
  const participants = page.getByRole('table', { name: 'Participants inscrits' });
  await expect(participants.getByRole('row')).toHaveCount(5);
  await expect(participants.getByRole('row').filter({ hasText: 'Maëlys' })).toContainText('Inscrit malgré la non-éligibilité : Contrat de conseillère numérique terminé');

  const ofFile = await downloadFile(page, 'Liste pour l’organisme (Excel)', 'liste-of.xlsx');
  const of = sheetRows(ofFile);
  expect(of[0]).toEqual(['Nom', 'Prénom', 'Fonction', 'E-mail', 'Téléphone', 'Structure', 'SIRET', 'Adresse', 'Code postal', 'Ville']);
  expect(of.slice(1).map((r) => r[0])).toEqual(expect.arrayContaining(['DAVID', 'PERRIN', 'Accueil']));
  const anctFile = await downloadFile(page, 'Liste pour l’ANCT (Excel)', 'liste-anct.xlsx');
  const anct = sheetRows(anctFile);
  const fne = sheetRows(path.join(fixturesDir, 'aidants-fne-grist.xlsx'));
  expect(anct[0]).toEqual(fne[0]); // ANCT's own column names, in its order
  expect(anct).toHaveLength(5);
  const csvFile = await downloadFile(page, 'Liste pour l’organisme (CSV)', 'liste-of.csv');
  const csv = fs.readFileSync(csvFile);
  expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  expect(csv.toString('utf8').split(/\r?\n/)[0]).toBe('\ufeffNom;Prénom;Fonction;E-mail;Téléphone;Structure;SIRET;Adresse;Code postal;Ville');

  const pdfFile = await downloadFile(page, 'Feuille d’émargement (PDF)', 'emargement.pdf');
  expect(fs.readFileSync(pdfFile).subarray(0, 5).toString()).toBe('%PDF-');
  const text = execFileSync('pdftotext', ['-layout', pdfFile, '-'], { encoding: 'utf8' });
  expect(text).toMatch(/DAVID\s+Catherine/);
  expect(text).toContain('Aidants Connect — France Services de Guéret');
  execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', pdfFile, path.join(screenshotsDir, 'sessions-emargement')]);
  const blank = await downloadFile(page, 'Feuille d’émargement vierge (PDF)', 'emargement-vierge.pdf');
  expect(fs.readFileSync(blank).subarray(0, 5).toString()).toBe('%PDF-');
  expect(execFileSync('pdftotext', ['-layout', blank, '-'], { encoding: 'utf8' })).not.toContain('Catherine');
  const conv = await downloadFile(page, 'Convocations (PDF)', 'convocations.pdf');
  const convText = execFileSync('pdftotext', [conv, '-'], { encoding: 'utf8' });
  expect(convText.match(/Convocation à une formation/g)).toHaveLength(4);
  await checkScreen(page, 'sessions-06-session-remplie');

  // A registration cancelled with its reason stays in the history.
  await page.getByRole('button', { name: 'Annuler l’inscription de Anaïs PERRIN' }).click();
  await page.getByRole('textbox', { name: 'Motif de l’annulation (Anaïs PERRIN)' }).fill('Départ du poste au 31/03');
  await page.getByRole('button', { name: 'Confirmer l’annulation' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Inscription de Anaïs PERRIN annulée.' })).toBeVisible();
  await expect(page.getByText('3 inscrits pour 12 places.')).toBeVisible();
  const history = page.getByRole('table', { name: 'Inscriptions annulées ou déplacées' });
  await expect(history.getByRole('row').filter({ hasText: 'PERRIN' })).toContainText('Motif : Départ du poste au 31/03');

  // Moved to another session of the convention: the history keeps where she went.
  const options = await server.api<{ orders: { id: number }[] }>('sessions.options', { conventionId });
  await server.api('sessions.create', {
    conventionId,
    kind: 'AC',
    title: 'Aidants Connect — Aubusson',
    orderId: options.orders[0].id,
    modality: 'presentiel',
    place: 'Médiathèque d’Aubusson',
    halfDays: [
      { date: '2025-05-13', period: 'matin' },
      { date: '2025-05-13', period: 'apres_midi' },
    ],
  });
  await page.reload();
  await page.getByRole('button', { name: 'Déplacer Mairie Accueil' }).click();
  await page.getByRole('combobox', { name: 'Nouvelle session pour Mairie Accueil' }).click();
  await page.getByRole('option', { name: /Aidants Connect — Aubusson \(0\/12\)/ }).click();
  await page.getByRole('button', { name: 'Déplacer', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Mairie Accueil est déplacé(e) vers « Aidants Connect — Aubusson »' })).toBeVisible();
  await expect(page.getByText('2 inscrits pour 12 places.')).toBeVisible();
  await expect(history.getByRole('row').filter({ hasText: 'Accueil' })).toContainText('Vers Aidants Connect — Aubusson');
  await checkScreen(page, 'sessions-07-historique');

  // The sessions of the convention, month by month.
  await page.getByRole('link', { name: '← Sessions' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Avril 2025' })).toBeVisible();
  const row = page.getByRole('table', { name: 'Sessions — Avril 2025' }).getByRole('row').filter({ hasText: 'France Services de Guéret' });
  await expect(row).toContainText('2 / 12');
  await expect(page.getByRole('table', { name: 'Sessions — Mai 2025' })).toContainText('1 / 12');
  await expect(row).toContainText('Mednum Formation');
  await checkScreen(page, 'sessions-08-calendrier');

  // Aidants Connect follow-up: the FNE table imported with the list already brought ANCT's
  // decisions (Catherine DAVID attended, per ANCT); a bulk update with a date corrects it; ANCT's table again.
  await page.getByRole('button', { name: 'Suivi Aidants Connect' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Suivi Aidants Connect' })).toBeVisible();
  const board = page.getByRole('table', { name: 'Suivi Aidants Connect par professionnel' });
  await expect(board.getByRole('row').filter({ hasText: 'Catherine DAVID' })).toContainText('Présence transmise à l’ANCT');
  await board.getByRole('checkbox', { name: 'Choisir Catherine DAVID' }).check();
  await board.getByRole('checkbox', { name: 'Choisir Mairie Accueil' }).check(); // now in the Aubusson session
  await page.getByRole('combobox', { name: 'Nouvelle étape' }).click();
  await page.getByRole('option', { name: 'Accès au bac à sable ouvert' }).click();
  await page.getByRole('textbox', { name: 'Date de l’étape' }).fill('25/03/2025');
  await page.getByRole('button', { name: 'Mettre à jour (2)' }).click();
  await expect(page.getByRole('status').filter({ hasText: '2 suivis mis à jour : Accès au bac à sable ouvert.' })).toBeVisible();
  await expect(board.getByRole('row').filter({ hasText: 'Catherine DAVID' })).toContainText('25/03/2025');
  await page.locator('input[type=file]').setInputFiles(path.join(fixturesDir, 'aidants-fne-grist.xlsx'));
  await page.getByRole('button', { name: 'Lire le fichier' }).click();
  await expect(page.getByRole('status').filter({ hasText: /Rien n’est encore enregistré/ })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Changements du suivi' })).toBeVisible();
  await checkScreen(page, 'sessions-09-suivi-ac-apercu');
  await page.getByRole('button', { name: /^Appliquer les \d+ changements?$/ }).click();
  await expect(page.getByRole('status').filter({ hasText: /^Import appliqué/ })).toBeVisible();
  await expect(page.getByRole('status', { name: 'Professionnels par étape' })).toContainText('Présence transmise à l’ANCT');
  await checkScreen(page, 'sessions-10-suivi-ac');
});
