// Step 2 end to end: import the FNE xlsx through the wizard, fix one mapping, see the preview,
// commit, then filter the ineligible people and read their reasons.
import { expect, test } from '@playwright/test';
import path from 'node:path';
import { checkScreen, fixturesDir, startServer, type Server } from './helpers';

let server: Server;
test.beforeAll(async () => {
  server = await startServer();
});
test.afterAll(async () => {
  await server?.stop();
});

test('importer le tableau FNE, corriger une colonne, filtrer les non éligibles', async ({ page }) => {
  await page.goto(server.url);
  await page.getByRole('link', { name: '2. Recensement des besoins' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Étape 2 — Recensement des besoins' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Formulaire de candidature à envoyer aux structures' })).toHaveAttribute('href', '#/documents');
  await checkScreen(page, 'recensement-01-vide');

  await page.getByRole('button', { name: 'Importer une liste' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Importer une liste de professionnels' })).toBeVisible();
  await page.locator('input[type=file]').setInputFiles(path.join(fixturesDir, 'aidants-fne-grist.xlsx'));
  // A chosen file shows a clear button: it has a French accessible name (axe), from the theme.
  await expect(page.getByRole('button', { name: 'Retirer le fichier choisi' })).toBeVisible();
  await checkScreen(page, 'recensement-01b-fichier-choisi');
  await page.getByRole('button', { name: 'Lire le fichier' }).click();
  await expect(page.getByText('Tableau de suivi FNE (Grist)')).toBeVisible();
  await expect(page.getByText(/Feuille « Demandes FNE », en-têtes en ligne 1/)).toBeVisible();
  // The automatic mapping is complete: its step is skipped, shown collapsed with a way to change it.
  await expect(page.getByText(/Correspondance des colonnes reconnue d’après les en-têtes : \d+ colonnes utilisées.*toutes les colonnes obligatoires sont présentes/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Voir l’aperçu' })).toBeVisible();
  await checkScreen(page, 'recensement-02-feuille');
  await page.getByRole('button', { name: 'Modifier la correspondance' }).click();

  // Fix one mapping: the « Eligibilite_validee » column is not ours; the structure's e-mail column is
  // set to be ignored instead of being kept as the structure's contact.
  const contact = page.getByRole('combobox', { name: 'Champ pour la colonne « E_mail_de_contact »' });
  await expect(contact).toHaveValue('E-mail de contact de la structure');
  // Each column says why it got its field: its header and what its cells are.
  const mappingTable = page.getByRole('table', { name: 'Correspondance des colonnes' });
  await expect(mappingTable.getByRole('row').filter({ hasText: 'Adresse_e_mail' })).toContainText('contenu : 85 adresses e-mail');
  await contact.click();
  await page.getByRole('option', { name: '— ignorer —' }).click();
  await expect(contact).toHaveValue('— ignorer —');
  await checkScreen(page, 'recensement-03-correspondance');
  await page.getByRole('button', { name: 'Voir l’aperçu' }).click();

  await expect(page.getByRole('heading', { name: 'Aperçu : rien n’est encore enregistré' })).toBeVisible();
  const people = page.getByRole('table', { name: 'Professionnels' });
  await expect(people.getByRole('row', { name: 'Nouveaux 85' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Structures' }).getByRole('row', { name: 'Nouvelles 28' })).toBeVisible();
  // Counts by code are named in French, not by the code.
  await expect(page.getByText('Non éligibles dans ce fichier').locator('..')).toContainText('conseiller numérique : 15');
  // Harmless repairs are one line with their count, apart from the alerts (issue 16).
  await expect(page.getByLabel('Corrections sans conséquence')).toContainText(/SIRET corrigés sur 85 lignes \(espaces retirés\)/);
  await expect(page.getByText(/\d+ alertes \(/)).toHaveCount(0);
  // The first rows as they will be stored: French dates and labels, not ISO or codes.
  const firstRows = page.getByRole('table', { name: 'Premières lignes' });
  await expect(firstRows.getByRole('row').nth(1)).toContainText(/\d{2}\/\d{2}\/2025/);
  await expect(firstRows.getByRole('row').nth(1)).toContainText(/23 — Creuse/);
  await expect(firstRows).not.toContainText(/\d{4}-\d{2}-\d{2}/);
  await checkScreen(page, 'recensement-04-apercu');
  // The import runs as a job: its progress bar and « Annuler » are shown while it runs (the first
  // status answer is held back a moment so that the screen can be seen).
  let held = false;
  await page.route('**/api/jobs.status', async (route) => {
    if (!held) {
      held = true;
      await new Promise((r) => setTimeout(r, 1500));
    }
    await route.continue();
  });
  await page.getByRole('button', { name: 'Importer', exact: true }).click();
  await expect(page.getByText('Import en cours', { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Annuler' })).toBeVisible();
  await checkScreen(page, 'recensement-04b-import-en-cours');
  await expect(page.getByRole('status').filter({ hasText: 'Import terminé' })).toBeVisible();
  await page.unroute('**/api/jobs.status');
  await expect(page.getByText(/Professionnels : 85 nouveaux/)).toBeVisible();
  await checkScreen(page, 'recensement-05-termine');

  // The structure contact e-mail column was ignored, as the officer decided.
  const structures = await server.api<{ rows: { email: string | null }[] }>('recensement.structures.list', { limit: 100 });
  expect(structures.rows.every((s) => s.email === null)).toBe(true);

  await page.getByRole('button', { name: 'Voir les professionnels' }).click();
  const panel = page.getByRole('tabpanel', { name: 'Professionnels' });
  await expect(panel.getByText('85 professionnels', { exact: true })).toBeVisible();
  await page.getByRole('combobox', { name: 'Éligibilité', exact: true }).click();
  await page.getByRole('option', { name: 'Non éligibles' }).click();
  await expect(panel.getByText('15 professionnels', { exact: true })).toBeVisible();
  const table = page.getByRole('table', { name: 'Professionnels recensés' });
  await expect(table.getByRole('row')).toHaveCount(16);
  // Each row names its reason; the whole sentence is in the cell's tooltip and on the person's page.
  const first = table.locator('tbody tr[aria-rowindex="2"]');
  await expect(first).toContainText('Non éligible');
  await expect(first).toContainText('Conseiller numérique');
  await expect(first.getByRole('cell').last()).toHaveAttribute('title', /Conseiller numérique : sa formation est financée par le dispositif Conseillers numériques/);
  await checkScreen(page, 'recensement-06-non-eligibles');
  await first.getByRole('link').first().click();
  await expect(page.getByText(/Conseiller numérique : sa formation est financée par le dispositif Conseillers numériques/)).toBeVisible();
  await page.goBack();

  // The next file with the same columns gets the corrected mapping back.
  await page.getByRole('button', { name: 'Importer une liste' }).click();
  await page.locator('input[type=file]').setInputFiles(path.join(fixturesDir, 'aidants-fne-grist.ods'));
  await page.getByRole('button', { name: 'Lire le fichier' }).click();
  await expect(page.getByText(/Correspondance des colonnes reprise du dernier fichier ayant les mêmes colonnes/)).toBeVisible();
  await page.getByRole('button', { name: 'Modifier la correspondance' }).click();
  await expect(page.getByText('Correspondance reprise du dernier fichier ayant les mêmes colonnes.')).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Champ pour la colonne « E_mail_de_contact »' })).toHaveValue('— ignorer —');
  await page.getByRole('button', { name: 'Voir l’aperçu' }).click();
  await expect(page.getByRole('table', { name: 'Professionnels' }).getByRole('row', { name: 'Inchangés 85' })).toBeVisible();
  await checkScreen(page, 'recensement-07-reimport');
});

test('plusieurs formulaires retournés : un seul aperçu, un seul import', async ({ page }) => {
  const header = 'Nom de la structure;SIRET de la structure;Nom;Prénom;Adresse e-mail professionnelle;Formation souhaitée';
  const gueret = [header, 'Mairie de Guéret;21230096600018;Durand;Léa;lea.durand@mairie-gueret.fr;Aidants Numériques', 'Mairie de Guéret;21230096600018;Roux;Paul;paul.roux@mairie-gueret.fr;Aidants Connect'];
  const boussac = [header, 'CCAS de Boussac;;Petit;Jean;jean.petit@ccas-boussac.fr;Les deux', ';;;Inès;ines@ccas-boussac.fr;Les deux'];
  const csv = (name: string, lines: string[]) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(lines.join('\r\n') + '\r\n', 'utf8') });

  await page.goto(server.url);
  await page.getByRole('link', { name: '2. Recensement des besoins' }).click();
  await page.getByRole('button', { name: 'Importer une liste' }).click();
  await page.getByRole('link', { name: 'Importer plusieurs fichiers d’un coup' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Importer plusieurs fichiers d’un coup' })).toBeVisible();
  await page.locator('input[type=file]').setInputFiles([csv('formulaire-gueret.csv', gueret), csv('formulaire-boussac.csv', boussac)]);
  await page.getByRole('button', { name: 'Lire les 2 fichiers' }).click();
  await expect(page.getByRole('heading', { name: 'Aperçu des 2 fichiers : rien n’est encore enregistré' })).toBeVisible();
  const files = page.getByRole('table', { name: 'Fichiers lus' });
  await expect(files.getByRole('row', { name: /formulaire-gueret\.csv Réponses au formulaire de candidature 2 2 \/ 0 \/ 0/ })).toBeVisible();
  await expect(files.getByRole('row', { name: /^Total 4 3 \/ 0 \/ 0 2 \/ 0 \/ 0 1$/ })).toBeVisible();
  // The row without a name is named with its file and row; nothing can be imported until the officer accepts.
  await expect(page.getByRole('table', { name: 'Lignes qui seront rejetées' }).getByRole('row', { name: /formulaire-boussac\.csv 3 .*nom manquant/ })).toBeVisible();
  const importer = page.getByRole('button', { name: 'Importer les 2 fichiers' });
  await expect(importer).toBeDisabled();
  await checkScreen(page, 'recensement-08-plusieurs-apercu');
  await page.getByRole('checkbox', { name: 'Importer les autres lignes et laisser de côté les lignes rejetées' }).check();
  await importer.click();
  await expect(page.getByRole('status').filter({ hasText: 'Import des fichiers terminé' })).toContainText('2 fichiers, 4 lignes lues. Professionnels : 3 nouveaux');
  await checkScreen(page, 'recensement-09-plusieurs-termine');
  const list = await server.api<{ fileName: string }[]>('recensement.imports.list', {});
  expect(list.map((i) => i.fileName).filter((n) => n.startsWith('formulaire-')).sort()).toEqual(['formulaire-boussac.csv', 'formulaire-gueret.csv']);
});
