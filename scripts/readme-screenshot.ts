// Refreshes the README's screenshot (resources/readme/accueil.png): the home guide on the demo
// convention. Usage, after `npm run build`:
//   npm run demo -- --out /tmp/fne-demo && npx tsx scripts/readme-screenshot.ts /tmp/fne-demo
// The demo's data folder is copied first (the web host helper deletes its folder when it stops).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { startServer } from '../test/e2e/helpers';

async function main() {
  const demo = process.argv[2];
  if (!demo) throw new Error('Usage : tsx scripts/readme-screenshot.ts DOSSIER_DE_LA_DEMO');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fne-readme-'));
  fs.cpSync(path.join(demo, 'donnees-demo'), dir, { recursive: true });
  const server = await startServer({ dir });
  const browser = await chromium.launch({ executablePath: process.env.FNE_CHROMIUM ?? '/usr/bin/chromium', args: ['--lang=fr-FR', '--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'fr-FR' });
    await page.goto(server.url);
    await page.getByRole('heading', { level: 1, name: 'Guide de l’enveloppe formation' }).waitFor();
    await page.getByText('Étape 5').first().waitFor();
    await page.waitForTimeout(300);
    const out = path.resolve(__dirname, '../resources/readme/accueil.png');
    await page.screenshot({ path: out });
    console.log(out);
  } finally {
    await browser.close();
    await server.stop();
  }
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
