// Personal data kept only as long as needed, in the officer's screens: a convention ended more
// than five years ago proposes the anonymisation, asks for confirmation, shows its report; a
// person's page exports everything held about them and erases them.
import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import { checkScreen, startServer, type Server } from './helpers';

let server: Server;
let conventionId: number;
let keptId: number;
let erasedId: number;

test.beforeAll(async () => {
  server = await startServer();
  const c = await server.api<{ id: number }>('convention.create', {
    label: 'Convention FNE 2019 — 23',
    departement: '23',
    beneficiaireNom: 'Conseil départemental de la Creuse',
    signatureDate: '2019-10-15',
    endDate: '2020-12-31',
    engineeringActions: [],
  });
  conventionId = c.id;
  const save = (nom: string, prenom: string) =>
    server.api<{ id: number }>('recensement.people.save', { values: { nom, prenom, email: `${prenom.toLowerCase()}.${nom.toLowerCase()}@gueret.fr`, profession: 'Secrétaire de mairie', structureId: null } });
  keptId = (await save('Durand', 'Anne')).id;
  erasedId = (await save('Martin', 'Paul')).id;
});
test.afterAll(async () => {
  await server?.stop();
});

test('a person’s data exported and erased; the ended convention’s people anonymised after confirmation, with a report', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto(server.url);
  await page.goto(`${server.origin}/#/recensement/personnes/${erasedId}`);
  const rights = page.locator('section', { has: page.getByRole('heading', { name: 'Données personnelles de Paul Martin' }) });
  const downloaded = page.waitForEvent('download');
  await rights.getByRole('button', { name: 'Exporter ses données (demande d’accès)' }).click();
  const file = JSON.parse(fs.readFileSync((await (await downloaded).path())!, 'utf8'));
  expect(file.personne).toMatchObject({ nom: 'Martin', prenom: 'Paul', adresse_electronique: 'paul.martin@gueret.fr' });
  await rights.getByRole('button', { name: 'Effacer cette personne…' }).click();
  await rights.getByLabel('Motif de l’effacement').fill('Demande de l’intéressé du 01/12/2026');
  await checkScreen(page, 'conservation-01-effacer');
  await rights.getByRole('button', { name: 'Confirmer l’effacement définitif' }).click();
  await expect(page).toHaveURL(/#\/recensement$/);

  await page.goto(`${server.origin}/#/convention/${conventionId}`);
  const panel = page.locator('section', { has: page.getByRole('heading', { name: 'Conservation des données personnelles' }) });
  await expect(panel.getByText('31/12/2025')).toBeVisible();
  await expect(panel.getByText('La durée de conservation est écoulée')).toBeVisible();
  await panel.getByRole('button', { name: 'Anonymiser les données personnelles…' }).click();
  await checkScreen(page, 'conservation-02-confirmer');
  await panel.getByRole('button', { name: 'Confirmer l’anonymisation définitive' }).click();
  await expect(panel.getByRole('status')).toContainText('1 personne anonymisée');
  await expect(panel.getByText(/Données anonymisées le/)).toBeVisible();
  await checkScreen(page, 'conservation-03-rapport');

  await page.goto(`${server.origin}/#/recensement/personnes/${keptId}`);
  await expect(page.getByRole('heading', { level: 1, name: `Personne n° ${keptId} ANONYME` })).toBeVisible();
});
