// Never a white screen: a screen that cannot be drawn is replaced by a French error page with
// « Copier les détails »; an error outside drawing (a handler, a forgotten promise) shows a banner
// above the screen. The broken screen is provoked from outside (an answer of the wrong shape),
// with no test hook in the app.
import { expect, test } from '@playwright/test';
import { checkScreen, startServer, type Server } from './helpers';

let server: Server;
test.afterAll(async () => {
  await server?.stop();
});

test('un écran qui ne peut pas s’afficher : page d’erreur en français, détails copiables, puis reprise', async ({ page, context }) => {
  server = await startServer();
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(server.url).origin });
  await page.goto(server.url);
  await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();

  // The history answers with a shape the screen does not expect.
  await page.route('**/api/historique.liste', (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify({ ok: true, value: { entries: null, hasMore: false, lastOperation: null } }) }));
  await page.goto(server.url.replace(/#.*$/, '') + '#/sauvegardes/historique');
  await expect(page.getByRole('heading', { level: 1, name: 'Une erreur inattendue s’est produite' })).toBeVisible();
  await expect(page.getByText('Vos données enregistrées ne sont pas touchées', { exact: false })).toBeVisible();
  const details = page.getByLabel('Détails de l’erreur');
  await expect(details).toHaveValue(/TypeError/);
  await expect(details).toHaveValue(/#\/sauvegardes\/historique/);
  await page.getByRole('button', { name: 'Copier les détails' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Détails copiés' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toMatch(/^FNE Formations — erreur d’affichage[\s\S]*TypeError/);
  await checkScreen(page, 'erreurs-01-ecran');

  // Once the answer is right again, « Réessayer » brings the screen back.
  await page.unroute('**/api/historique.liste');
  await page.getByRole('button', { name: 'Réessayer' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Historique des modifications' })).toBeVisible();
});

test('une erreur hors affichage (clic, promesse oubliée) : bandeau avec les détails, l’écran reste', async ({ page }) => {
  server ??= await startServer();
  await page.goto(server.url);
  await page.getByRole('link', { name: 'Sauvegardes et historique' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sauvegardes' })).toBeVisible();

  await page.evaluate(() => {
    setTimeout(() => {
      throw new Error('panne simulée dans un gestionnaire');
    });
    void Promise.reject(new Error('promesse simulée non attendue'));
  });
  const banner = page.getByRole('alert').filter({ hasText: 'Une erreur inattendue s’est produite' });
  await expect(banner).toBeVisible();
  await expect(banner.getByLabel('Détails de l’erreur')).toHaveValue(/panne simulée dans un gestionnaire/);
  await expect(banner.getByLabel('Détails de l’erreur')).toHaveValue(/promesse simulée non attendue/);
  await expect(banner.getByRole('button', { name: 'Copier les détails' })).toBeVisible();
  // The screen underneath is still there and usable.
  await expect(page.getByRole('heading', { level: 1, name: 'Sauvegardes' })).toBeVisible();
  await checkScreen(page, 'erreurs-02-bandeau');
  await banner.getByRole('button', { name: 'Fermer le message d’erreur' }).click();
  await expect(banner).toHaveCount(0);
});
