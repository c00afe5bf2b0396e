// Step 2 with a département-sized list: 20 000 people imported (by the CLI, the same services),
// then the people table scrolls through all of them. Only the rows in view are in the page; the
// rest are fetched by blocks as the officer scrolls, with the mouse or the keyboard.
import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ANCT_HEADERS, anctRows, toCsv } from '../bench/fixtures';
import { checkScreen, root, startServer, type Server } from './helpers';

const N = 20_000;
let server: Server;
test.beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fne-e2e-longue-'));
  const csv = path.join(dir, 'aidants-anct-20000.csv');
  fs.writeFileSync(csv, toCsv(ANCT_HEADERS, anctRows(N)));
  const out = execFileSync(path.join(root, 'node_modules', '.bin', 'tsx'), ['electron/cli/main.ts', 'import', csv, '--db', path.join(dir, 'fne-formations.sqlite'), '--json'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  expect(JSON.parse(out).people.created).toBe(N);
  server = await startServer({ dir });
});
test.afterAll(async () => {
  await server?.stop();
});

test('20 000 professionnels : le tableau défile jusqu’au dernier, seules les lignes visibles sont dans la page', async ({ page }) => {
  const sorted = async (offset: number) =>
    (await server.api<{ rows: { nom: string; prenom: string; email: string | null }[] }>('recensement.people.list', { sort: 'nom', dir: 'asc', offset, limit: 1 })).rows[0];
  const firstPerson = await sorted(0);
  const lastPerson = await sorted(N - 1);

  await page.goto(server.url);
  await page.getByRole('link', { name: '2. Recensement des besoins' }).click();
  const panel = page.getByRole('tabpanel', { name: 'Professionnels' });
  await expect(panel.getByText('20\u202f000 professionnels', { exact: true })).toBeVisible();
  const table = page.getByRole('table', { name: 'Professionnels recensés' });
  await expect(table).toHaveAttribute('aria-rowcount', String(N + 1));
  const firstRow = table.locator('tbody tr[aria-rowindex="2"]');
  await expect(firstRow).toContainText(firstPerson.email!);
  // A window of rows, not 20 000: the page stays light whatever the size of the list.
  const rendered = table.locator('tbody tr:not([aria-hidden])');
  expect(await rendered.count()).toBeLessThan(80);
  await checkScreen(page, 'recensement-10-longue-liste');

  // The mouse (or a scroll bar) takes the officer to the end: the last rows are fetched and shown.
  const region = page.getByRole('region', { name: 'Professionnels recensés : zone défilante' });
  await region.evaluate((el) => el.scrollTo(0, el.scrollHeight));
  const lastRow = table.locator(`tbody tr[aria-rowindex="${N + 1}"]`);
  await expect(lastRow).toContainText(lastPerson.email!);
  await expect(lastRow).toContainText(lastPerson.prenom);
  expect(await rendered.count()).toBeLessThan(80);
  await expect(table.getByText('Chargement…')).toHaveCount(0);
  await checkScreen(page, 'recensement-11-longue-liste-fin');

  // The keyboard alone: the scrolling box takes the focus, Début / Fin go to either end.
  await region.focus();
  await page.keyboard.press('Home');
  await expect(firstRow).toContainText(firstPerson.email!);
  await page.keyboard.press('End');
  await expect(lastRow).toContainText(lastPerson.email!);

  // A filter fetches anew from the first row.
  await page.getByRole('combobox', { name: 'Éligibilité', exact: true }).click();
  await page.getByRole('option', { name: 'Non éligibles' }).click();
  const ineligible = (await server.api<{ total: number }>('recensement.people.list', { eligibility: 'ineligible', limit: 1 })).total;
  expect(ineligible).toBeGreaterThan(0);
  await expect(table).toHaveAttribute('aria-rowcount', String(ineligible + 1));
  await expect(table.locator('tbody tr[aria-rowindex="2"]')).toContainText('Non éligible');

  await checkScreen(page, 'recensement-12-longue-liste-non-eligibles');

  // The structures table is the same kind of table.
  const structures = (await server.api<{ total: number; rows: { name: string }[] }>('recensement.structures.list', { sort: 'name', dir: 'desc', limit: 1 }));
  await page.getByRole('tab', { name: 'Structures' }).click();
  const stable = page.getByRole('table', { name: 'Structures' });
  await expect(stable).toHaveAttribute('aria-rowcount', String(structures.total + 1));
  await page.getByRole('region', { name: 'Structures : zone défilante' }).focus();
  await page.keyboard.press('End');
  await expect(stable.locator(`tbody tr[aria-rowindex="${structures.total + 1}"]`)).toContainText(structures.rows[0].name);
  await checkScreen(page, 'recensement-13-longue-liste-structures');

  // A structure's page lists its people in the same kind of table.
  await stable.locator(`tbody tr[aria-rowindex="${structures.total + 1}"]`).getByRole('link').click();
  const own = page.getByRole('table', { name: 'Professionnels recensés' });
  await expect(own.locator('tbody tr[aria-rowindex="2"]')).toBeVisible();
  const ownTotal = Number(await own.getAttribute('aria-rowcount')) - 1;
  expect(ownTotal).toBeGreaterThan(0);
  expect(ownTotal).toBeLessThan(N);
  await checkScreen(page, 'recensement-14-structure-et-ses-professionnels');

  // Straight from that structure's page to another's (the address changed by hand): the form shows the
  // second one, and saving it keeps its own name. Saving refreshes its people table where the
  // officer is: same place, rows still shown.
  const biggest = (await server.api<{ rows: { id: number; name: string; siret: string | null; people: number }[] }>('recensement.structures.list', { sort: 'people', dir: 'desc', limit: 1 })).rows[0];
  expect(biggest.people).toBeGreaterThan(150);
  await page.goto(`${server.url.split('#')[0]}#/recensement/structures/${biggest.id}`);
  const big = page.getByRole('table', { name: 'Professionnels recensés' });
  await expect(big).toHaveAttribute('aria-rowcount', String(biggest.people + 1));
  await expect(page.getByRole('textbox', { name: 'Nom de la structure' })).toHaveValue(biggest.name);
  const box = page.getByRole('region', { name: 'Professionnels recensés : zone défilante' });
  await box.evaluate((el) => el.scrollTo(0, el.scrollHeight / 2));
  const middle = big.locator(`tbody tr[aria-rowindex="${Math.floor(biggest.people / 2)}"]`);
  await expect(middle.getByRole('link').first()).toBeVisible();
  const top = await box.evaluate((el) => el.scrollTop);
  const name = await middle.textContent();
  await page.getByLabel('Note').fill('Vérifiée avec la liste de l’ANCT.');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByLabel('Note')).toHaveValue('Vérifiée avec la liste de l’ANCT.');
  await expect.poll(async () => (await server.api<{ note: string | null }>('recensement.structures.get', { id: biggest.id })).note).toBe('Vérifiée avec la liste de l’ANCT.');
  const saved = await server.api<{ name: string; siret: string | null }>('recensement.structures.get', { id: biggest.id });
  expect([saved.name, saved.siret]).toEqual([biggest.name, biggest.siret]);
  await expect(middle).toHaveText(name!);
  expect(await box.evaluate((el) => el.scrollTop)).toBe(top);
  await expect(big.getByText('Chargement…')).toHaveCount(0);
});
