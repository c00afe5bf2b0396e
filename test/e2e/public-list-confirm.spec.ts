// Issue 15: importing a public OF list far shorter than the stored one, from the screen, asks
// for confirmation in French; « Garder la liste actuelle » keeps it, « Remplacer quand même »
// writes the new one. The pieces are sent as bytes: a Windows-1252 file keeps its € ’ œ.
import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fixturesDir, screenshotsDir, startServer, type Server } from './helpers';

let server: Server;
test.beforeAll(async () => {
  server = await startServer();
});
test.afterAll(async () => {
  await server.stop();
});

const HEADER =
  'numeroDeclarationActivite;denomination;siren;siretEtablissementDeclarant;certifications.actionsDeFormation;adressePhysiqueOrganismeFormation.codePostal;adressePhysiqueOrganismeFormation.ville';

test('a much shorter public list asks for confirmation; a Windows-1252 list keeps its € ’ œ', async ({ page }) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fne-e2e-liste-'));
  const short = path.join(dir, 'liste-courte.csv');
  const line = '75230123423;L’Œuvre — cœur 100 €;812345676;81234567600017;true;23000;Guéret';
  const map: Record<string, number> = { '€': 0x80, '’': 0x92, 'œ': 0x9c, 'Œ': 0x8c, '—': 0x97 };
  fs.writeFileSync(short, Buffer.from([...`${HEADER}\r\n${line}\r\n`].map((c) => map[c] ?? c.charCodeAt(0))));

  await page.goto(server.url);
  await page.getByRole('link', { name: '3. Marché de formation' }).click();
  await page.getByRole('button', { name: 'Organismes de formation' }).click();
  await page.getByLabel('Importer la liste (CSV)').setInputFiles(path.join(fixturesDir, 'liste-publique-of.csv'));
  await expect(page.getByRole('status').filter({ hasText: 'Import terminé : 6 organismes.' })).toBeVisible();

  await page.getByLabel('Importer la liste (CSV)').setInputFiles(short);
  const alert = page.getByRole('alert').filter({ hasText: 'ne contient que 1 organisme, contre 6' });
  await expect(alert).toBeVisible();
  await page.screenshot({ path: path.join(screenshotsDir, 'marche-liste-publique-confirmation.png') });
  await alert.getByRole('button', { name: 'Garder la liste actuelle' }).click();
  await expect(page.getByText('6 organismes.', { exact: false }).first()).toBeVisible();

  await page.getByLabel('Importer la liste (CSV)').setInputFiles([]);
  await page.getByLabel('Importer la liste (CSV)').setInputFiles(short);
  await page.getByRole('alert').getByRole('button', { name: 'Remplacer quand même' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Import terminé : 1 organismes.' })).toBeVisible();
  await page.getByRole('textbox', { name: 'SIRET, SIREN ou NDA à vérifier' }).fill('81234567600017');
  await page.getByRole('button', { name: 'Vérifier', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'L’Œuvre — cœur 100 € est certifié Qualiopi' })).toBeVisible();
  fs.rmSync(dir, { recursive: true, force: true });
});
