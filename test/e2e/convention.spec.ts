// Step 1 end to end, keyboard only for the form: create a convention (first refused with
// French messages), attach the signed convention, reload, see it again; home dashboard.
import { expect, test } from '@playwright/test';
import { checkScreen, startServer, tabTo, type Server } from './helpers';

let server: Server;
test.beforeAll(async () => {
  server = await startServer();
});
test.afterAll(async () => {
  await server?.stop();
});

test('créer une convention au clavier, la relire après rechargement', async ({ page }) => {
  await page.goto(server.url);
  await expect(page.getByRole('heading', { level: 1, name: 'Guide de l’enveloppe formation' })).toBeVisible();
  await expect(page.getByText('Commencez par la convention')).toBeVisible();
  await checkScreen(page, '01-accueil-vide');

  // Keyboard only: navigation, form fields, submit.
  await tabTo(page, '1. Convention');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Étape 1 — Convention' })).toBeVisible();
  await checkScreen(page, '02-conventions-vide');
  await tabTo(page, 'Nouvelle convention');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Nouvelle convention' })).toBeVisible();

  const type = async (label: string, text: string) => {
    await tabTo(page, label);
    await page.keyboard.press('Control+A');
    await page.keyboard.type(text);
  };
  await type('Département (code)', '23');
  await type('Bénéficiaire (porteur des crédits)', 'Conseil départemental de la Creuse');
  await type('SIRET du bénéficiaire', '222 300 016 00011');
  await type('Désignation par la préfecture', '20/09/2024');
  await type('Signature avec l’ANCT', '15/08/2024'); // before the designation: refused
  await type('Référence ANCT', 'ANCT-FNE-2024-023');
  await type('Fonds reçus le', '02/11/2024');
  await type('Montant reçu', '20000');
  await page.keyboard.press('Enter'); // submits the form
  const alert = page.getByRole('alert').filter({ hasText: 'La convention n’a pas été enregistrée' });
  await expect(alert).toBeVisible();
  await expect(alert).toContainText('La signature (15/08/2024) ne peut pas précéder la désignation par la préfecture (20/09/2024).');
  await expect(page.getByRole('textbox', { name: 'Signature avec l’ANCT' })).toHaveAccessibleDescription(/ne peut pas précéder la désignation/);
  await checkScreen(page, '03-convention-erreurs');

  await type('Signature avec l’ANCT', '15/10/2024');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Convention FNE 2024 — 23' })).toBeVisible();
  await expect(page.getByText('Pièces attendues')).toBeVisible();

  // Attach the signed convention (a file picked by the officer).
  await page.getByRole('combobox', { name: 'Ce document est' }).click();
  await page.getByRole('option', { name: 'Convention signée' }).click();
  await page.locator('input[type=file]').setInputFiles({ name: 'convention-signée.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 convention') });
  await page.getByRole('button', { name: 'Joindre' }).click();
  await expect(page.getByRole('status').filter({ hasText: '« convention-signée.pdf » joint comme convention signée.' })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'convention-signée.pdf' })).toBeVisible();
  await checkScreen(page, '04-convention-enregistree');

  // Reload: everything comes back from the database.
  await page.reload();
  await page.getByRole('link', { name: '1. Convention' }).click();
  const row = page.getByRole('row').filter({ hasText: 'Convention FNE 2024 — 23' });
  await expect(row).toContainText('15/10/2024');
  await expect(row).toContainText('20 000,00 €');
  await checkScreen(page, '05-conventions-liste');
  await row.getByRole('link').click();
  await expect(page.getByRole('textbox', { name: 'SIRET du bénéficiaire' })).toHaveValue('22230001600011');
  await expect(page.getByRole('cell', { name: 'convention-signée.pdf' })).toBeVisible();

  await page.getByRole('link', { name: 'Accueil — guide' }).click();
  await expect(page.getByText('Départs en formation : 0 réalisés, 0 prévus, objectif 60')).toBeVisible();
  await expect(page.getByText("Manque : Avis de situation SIRENE ; Relevé d'identité bancaire (RIB).")).toBeVisible();
  await checkScreen(page, '06-accueil-tableau-de-bord');

  // The same figures through the API the screens use.
  const stats = await server.api<{ conventions: number }>('stats.get', {});
  expect(stats.conventions).toBe(1);
});

test('une page qui n’a pas le jeton ne peut rien lire', async ({ request }) => {
  const res = await request.post(`${server.origin}/api/convention.list`, { data: {} });
  expect(res.status()).toBe(401);
  expect((await res.json()).error.message).toMatch(/Jeton/);
});
