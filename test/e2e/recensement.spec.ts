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
  await contact.click();
  await page.getByRole('option', { name: '— ignorer —' }).click();
  await expect(contact).toHaveValue('— ignorer —');
  await checkScreen(page, 'recensement-03-correspondance');
  await page.getByRole('button', { name: 'Voir l’aperçu' }).click();

  await expect(page.getByRole('heading', { name: 'Aperçu : rien n’est encore enregistré' })).toBeVisible();
  const people = page.getByRole('table', { name: 'Professionnels' });
  await expect(people.getByRole('row', { name: 'Nouveaux 85' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Structures' }).getByRole('row', { name: 'Nouvelles 28' })).toBeVisible();
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
  await expect(table.getByText(/Conseiller numérique : sa formation est financée par le dispositif Conseillers numériques/).first()).toBeVisible();
  await checkScreen(page, 'recensement-06-non-eligibles');

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
