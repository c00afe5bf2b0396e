// Backup → damage the live database on disk → restart → the app says so → restore from the
// screen → everything is back (convention and its pièce), on the web host over a real file.
import Database from 'better-sqlite3';
import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import { checkScreen, startServer, type Server } from './helpers';

let server: Server;
test.afterAll(async () => {
  await server?.stop();
});

async function stopKeepingData(s: Server): Promise<void> {
  if (s.proc.exitCode !== null) return;
  s.proc.kill('SIGTERM');
  await new Promise((r) => s.proc.once('exit', r));
}

/** Overwrites the conventions table's page: the file still opens, but its data are gone. */
function damageConventions(file: string): void {
  const d = new Database(file);
  d.pragma('wal_checkpoint(TRUNCATE)');
  const pageSize = d.pragma('page_size', { simple: true }) as number;
  const { rootpage } = d.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'conventions'").get() as { rootpage: number };
  d.close();
  const fd = fs.openSync(file, 'r+');
  fs.writeSync(fd, Buffer.alloc(pageSize - 8, 0xa5), 0, pageSize - 8, (rootpage - 1) * pageSize + 8);
  fs.closeSync(fd);
}

test('sauvegarder, abîmer la base, restaurer depuis l’écran : tout revient', async ({ page }) => {
  server = await startServer();
  const conv = await server.api<{ id: number }>('convention.create', {
    departement: '23',
    beneficiaireNom: 'Conseil départemental de la Creuse',
    signatureDate: '2024-10-15',
    fundsReceivedDate: '2024-11-02',
    fundsReceivedCents: 20_000_00,
  });
  await server.api('pieces.attach', {
    ownerType: 'convention',
    ownerId: conv.id,
    role: 'convention_signee',
    fileName: 'convention-signée.pdf',
    contentBase64: Buffer.from('%PDF-1.4 convention signée').toString('base64'),
  });

  await page.goto(server.url);
  await page.getByRole('link', { name: 'Sauvegardes et historique' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sauvegardes' })).toBeVisible();
  await expect(page.getByText(/la base est saine et chaque pièce a son fichier/)).toBeVisible();
  // The daily backup was taken when the host started (empty base then).
  await expect(page.getByRole('cell', { name: 'Automatique (quotidienne)' })).toBeVisible();
  await page.getByRole('button', { name: 'Sauvegarder maintenant' }).click();
  await expect(page.getByRole('status')).toContainText('enregistrée');
  await expect(page.getByRole('cell', { name: 'Manuelle' })).toBeVisible();
  await checkScreen(page, 'sauvegarde-01-liste');

  // The history shows who did what.
  await page.getByRole('link', { name: 'Historique des modifications' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Historique des modifications' })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'Pièce jointe' })).toBeVisible();
  await checkScreen(page, 'sauvegarde-02-historique');

  // The live file is damaged while the app is closed (disk error, interrupted copy…).
  await stopKeepingData(server);
  damageConventions(server.dbFile);
  const damaged = server;
  server = await startServer({ dir: damaged.dir });

  await page.goto(server.url);
  const banner = page.getByRole('alert').filter({ hasText: 'Vérification de la base : problème détecté' });
  await expect(banner).toBeVisible();
  await expect(banner).toContainText('La base de données est endommagée');
  await checkScreen(page, 'sauvegarde-03-base-endommagee');

  await banner.getByRole('link', { name: 'Ouvrir les sauvegardes' }).click();
  const manual = page.getByRole('row').filter({ hasText: 'Manuelle' });
  await manual.getByRole('button', { name: /^Restaurer la sauvegarde du / }).click();
  await expect(page.getByText('Confirmer la restauration')).toBeVisible();
  await checkScreen(page, 'sauvegarde-04-confirmation');
  await page.getByRole('button', { name: 'Restaurer cette sauvegarde' }).click();
  await expect(page.getByRole('status')).toContainText('restaurée');
  await expect(page.getByText(/la base est saine et chaque pièce a son fichier/)).toBeVisible();
  await expect(page.getByRole('cell', { name: 'Base remplacée par une restauration' })).toBeVisible();
  await checkScreen(page, 'sauvegarde-05-restauree');

  // Everything is back: the convention and its pièce, and no more banner.
  await page.getByRole('link', { name: '1. Convention' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'problème détecté' })).toHaveCount(0);
  const row = page.getByRole('row').filter({ hasText: 'Convention FNE 2024 — 23' });
  await expect(row).toContainText('15/10/2024');
  await row.getByRole('link').click();
  await expect(page.getByRole('cell', { name: 'convention-signée.pdf' })).toBeVisible();
  await checkScreen(page, 'sauvegarde-06-convention-revenue');
  const check = await server.api<{ verification: { ok: boolean } }>('sauvegarde.etat', { refresh: true });
  expect(check.verification.ok).toBe(true);
});
