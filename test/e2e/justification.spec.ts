// Step 5 end to end: the readiness checklist says what is missing and links to the screen that
// fixes it; attaching the missing pièce there shrinks the list; the dossier is generated with a
// progress bar and downloaded as a ZIP, and its bilan is rendered as PNG to be looked at.
import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openApp } from '../../electron/services/app';
import { detachPiece, listPieces } from '../../electron/services/pieces/service';
import { buildDemo, DEMO_NOW } from '../../scripts/demo';
import { checkScreen, screenshotsDir, startServer, type Server } from './helpers';
import { readZip } from '../helpers/zip';

let server: Server;
test.beforeAll(async () => {
  // The demo convention, built through the services, minus its signed convention.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fne-e2e-'));
  const fixed = new Date(DEMO_NOW);
  const ctx = openApp({ dbFile: path.join(dir, 'fne-formations.sqlite'), dataDir: dir, actor: 'e2e', now: () => fixed });
  const d = await buildDemo(ctx);
  const signed = (await listPieces(ctx, 'convention', d.conventionId)).find((p) => p.role === 'convention_signee')!;
  await detachPiece(ctx, signed.id);
  await ctx.store.close();
  server = await startServer({ dir });
});
test.afterEach(async ({ page }, info) => {
  if (info.status !== info.expectedStatus) console.log(await page.locator('body').ariaSnapshot().catch(() => ''));
});
test.afterAll(async () => {
  await server?.stop();
});

test('liste de contrôle : un manque, le lien qui le corrige, la liste qui rétrécit, puis le dossier', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(server.url);
  await page.getByRole('link', { name: '5. Présence et justification' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Étape 5 — Présence et justification' })).toBeVisible();
  const missingAlert = page.getByText(/^\d+ éléments? manquants?$/);
  await expect(missingAlert).toBeVisible();
  const before = Number((await missingAlert.textContent())!.match(/\d+/)![0]);
  const row = page.getByRole('row').filter({ hasText: 'Convention signée à joindre.' });
  await expect(row).toBeVisible();
  await checkScreen(page, 'justification-01-liste-de-controle');

  // The link opens the convention, where the signed convention is attached.
  await row.getByRole('link', { name: /Corriger/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Convention');
  await page.getByRole('combobox', { name: 'Ce document est' }).click();
  await page.getByRole('option', { name: 'Convention signée' }).click();
  await page.locator('input[type=file]').setInputFiles({ name: 'convention-signée.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 convention signée (e2e)') });
  await page.getByRole('button', { name: 'Joindre' }).click();
  await expect(page.getByRole('status').filter({ hasText: /joint/i })).toBeVisible();

  // Back to the checklist: one item fewer, and that one is gone.
  await page.getByRole('link', { name: '5. Présence et justification' }).click();
  await expect(page.getByText(new RegExp(`^${before - 1} éléments? manquants?$`))).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: 'Convention signée à joindre.' })).toHaveCount(0);

  // Generate the dossier: progress, then the result with a link to download the ZIP (the web
  // host has no folder dialog and takes no path: the dossier is made in its data folder).
  await expect(page.getByRole('textbox', { name: 'Dossier de destination' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Générer le dossier' }).click();
  const done = page.getByRole('status').filter({ hasText: 'Brouillon généré' });
  await expect(done).toBeVisible({ timeout: 60_000 });
  await checkScreen(page, 'justification-02-dossier-genere');
  const zipName = 'dossier-fin-convention-23-2025-07-15-brouillon.zip';
  const link = done.getByRole('link', { name: `Télécharger le ZIP « ${zipName} »` });
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  expect(download.suggestedFilename()).toBe(zipName);
  const saved = path.join(server.dir, 'telecharge.zip');
  await download.saveAs(saved);
  const zip = await readZip(saved);
  expect(zip.map((e) => e.name)).toContain('2-conserve-par-le-departement/01-convention/convention-signee.pdf');
  // The two parts are named on the screen: what goes to ANCT, what the département keeps.
  await expect(done).toContainText('À transmettre à l’ANCT');
  await expect(done).toContainText('Conservé par le Conseil départemental');
  const out = path.join(server.dir, 'dossiers');
  expect(fs.readFileSync(saved).equals(fs.readFileSync(path.join(out, zipName)))).toBe(true);

  // The bilan, looked at as an image.
  const bilan = path.join(out, 'dossier-fin-convention-23-2025-07-15-brouillon', '1-a-transmettre-a-l-anct', 'bilan.pdf');
  execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '2', bilan, path.join(screenshotsDir, 'justification-bilan')]);
  const text = execFileSync('pdftotext', ['-layout', bilan, '-'], { encoding: 'utf8' });
  expect(text).toContain('BILAN DE LA CONVENTION');
});
