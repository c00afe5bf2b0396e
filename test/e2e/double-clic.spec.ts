// A double click on « Enregistrer » (or a click repeated while the first one is still being
// answered) records the thing once.
import { expect, test } from '@playwright/test';
import { checkScreen, startServer, type Server } from './helpers';

let server: Server;
test.beforeAll(async () => {
  server = await startServer();
});
test.afterAll(async () => {
  await server?.stop();
});

test('double clic sur « Enregistrer » : une seule structure, un seul professionnel', async ({ page }) => {
  await page.goto(server.url);
  await page.getByRole('link', { name: '2. Recensement des besoins' }).click();
  await page.getByRole('tab', { name: 'Structures' }).click();
  await page.getByRole('button', { name: 'Nouvelle structure' }).click();
  await page.getByRole('textbox', { name: 'Nom de la structure' }).fill('Mairie de Bonnat');
  await page.getByRole('button', { name: 'Enregistrer' }).dblclick();
  await expect(page.getByRole('heading', { level: 1, name: 'Mairie de Bonnat' })).toBeVisible();
  await expect.poll(async () => (await server.api<{ total: number }>('recensement.structures.list', { search: 'Bonnat' })).total).toBe(1);

  await page.getByRole('link', { name: '2. Recensement des besoins' }).click();
  await page.getByRole('button', { name: 'Saisir un professionnel' }).click();
  await page.getByRole('textbox', { name: 'Nom' }).first().fill('Lemoine');
  await page.getByRole('textbox', { name: 'Prénom' }).fill('Odile');
  await page.getByRole('button', { name: 'Enregistrer' }).dblclick();
  await expect(page.getByRole('heading', { level: 1, name: /Lemoine/i })).toBeVisible();
  await page.waitForLoadState('networkidle'); // a second request, if one was sent, has been answered
  expect((await server.api<{ total: number }>('recensement.people.list', { search: 'Lemoine' })).total).toBe(1);
  expect((await server.api<{ total: number }>('recensement.structures.list', { search: 'Bonnat' })).total).toBe(1);
  await checkScreen(page, 'double-clic-professionnel');
});
