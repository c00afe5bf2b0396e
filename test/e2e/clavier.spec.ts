// Keyboard only (issue « Foundation »: every screen can be used with the keyboard alone), on the
// demo convention: skip link, the navigation (focus goes to each new screen's h1, never lost on
// <body>), a form typed and submitted, a modal (focus kept inside, Escape closes it and gives the
// focus back), the attendance grid, and the import wizard's steps. No mouse click anywhere:
// only Tab, Shift+Tab, Enter, Space, arrows, Escape and typed text.
import { expect, test, type Page } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openApp } from '../../electron/services/app';
import { buildDemo, DEMO_NOW, demoSessions } from '../../scripts/demo';
import { checkScreen, fixturesDir, startServer, tabTo, type Server } from './helpers';

let server: Server;
test.beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fne-e2e-'));
  const fixed = new Date(DEMO_NOW);
  const ctx = openApp({ dbFile: path.join(dir, 'fne-formations.sqlite'), dataDir: dir, actor: 'e2e', now: () => fixed });
  await buildDemo(ctx, { sessions: demoSessions });
  await ctx.store.close();
  server = await startServer({ dir });
});
test.afterAll(async () => {
  await server?.stop();
});

/** What has the focus: tag, role, accessible label — and whether a focus ring is drawn. */
async function focused(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { tag: 'body', name: '', ring: false, inDialog: false };
    const cs = getComputedStyle(el);
    const ring = (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0) || (cs.boxShadow !== '' && cs.boxShadow !== 'none');
    const name = (el.getAttribute('aria-label') || el.textContent || '').trim();
    return { tag: el.tagName.toLowerCase(), name, ring, inDialog: el.closest('[role="dialog"]') !== null };
  });
}

/** Shift+Tab until the focused element has this accessible name (the navigation is behind the content). */
async function shiftTabTo(page: Page, label: string, max = 80) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Shift+Tab');
    if ((await focused(page)).name === label) return;
  }
  throw new Error(`« ${label} » not reachable with Shift+Tab in ${max} presses`);
}

/** After a change of screen the focus is on the new screen's h1 (not lost on <body>). */
async function expectFocusOnHeading(page: Page, name: string | RegExp) {
  await expect(page.getByRole('heading', { level: 1, name })).toBeFocused();
}

/** The focused control shows a focus ring (outline or box-shadow), so a keyboard user sees it. */
async function expectVisibleFocus(page: Page) {
  const f = await focused(page);
  expect(f.tag, 'focus lost on <body>').not.toBe('body');
  expect(f.ring, `no focus ring on ${f.tag} « ${f.name} »`).toBe(true);
}

test('navigation au clavier : lien d’évitement, chaque étape, le focus va au titre', async ({ page }) => {
  await page.goto(server.url);
  await expect(page.getByRole('heading', { level: 1, name: 'Guide de l’enveloppe formation' })).toBeVisible();

  // The first Tab reaches the skip link, visible once focused; Enter moves to the content.
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Aller au contenu' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await expectVisibleFocus(page);
  await checkScreen(page, 'clavier-01-lien-evitement');
  await page.keyboard.press('Enter');
  await expectFocusOnHeading(page, 'Guide de l’enveloppe formation');
  await expect(page).toHaveURL(/#token=|#\/?$/); // the skip link did not change the screen

  // Every entry of the navigation, reached with Shift+Tab / Tab, opened with Enter.
  const steps: [string, string][] = [
    ['1. Convention', 'Étape 1 — Convention'],
    ['2. Recensement des besoins', 'Étape 2 — Recensement des besoins'],
    ['3. Marché de formation', 'Étape 3 — Marché de formation'],
    ['4. Cohortes et sessions', 'Étape 4 — Cohortes et sessions'],
    ['5. Présence et justification', 'Étape 5 — Présence et justification'],
    ['Documents à envoyer', 'Documents à envoyer'],
    ['Sauvegardes et historique', 'Sauvegardes'],
    ['Accueil — guide', 'Guide de l’enveloppe formation'],
  ];
  for (const [link, heading] of steps) {
    await shiftTabTo(page, link);
    await expectVisibleFocus(page);
    await page.keyboard.press('Enter');
    await expectFocusOnHeading(page, heading);
    // The next Tab goes on into the screen, not back to the top of the window.
    await page.keyboard.press('Tab');
    const f = await focused(page);
    expect(f.tag, `after « ${heading} », Tab left the page`).not.toBe('body');
    expect(await page.evaluate(() => document.getElementById('contenu')!.contains(document.activeElement)), `after « ${heading} », Tab went out of the content: ${f.tag} « ${f.name} »`).toBe(true);
    await expectVisibleFocus(page);
  }

  // A step of the home guide opens its screen; a row's link opens the detail.
  await tabTo(page, 'Étape 4 — Cohortes et sessions');
  await page.keyboard.press('Enter');
  await expectFocusOnHeading(page, 'Étape 4 — Cohortes et sessions');
  await tabTo(page, /^Aidant Numérique — Guéret/);
  await page.keyboard.press('Enter');
  await expectFocusOnHeading(page, /^Aidant Numérique — Guéret/);
  await checkScreen(page, 'clavier-02-detail-session');
});

test('un formulaire saisi et envoyé au clavier', async ({ page }) => {
  await page.goto(server.url);
  await tabTo(page, '2. Recensement des besoins');
  await page.keyboard.press('Enter');
  await expectFocusOnHeading(page, 'Étape 2 — Recensement des besoins');
  await tabTo(page, 'Saisir un professionnel');
  await page.keyboard.press('Enter');
  await expectFocusOnHeading(page, 'Nouveau professionnel');

  const type = async (label: string, text: string) => {
    await tabTo(page, label);
    await expectVisibleFocus(page);
    await page.keyboard.press('Control+A');
    await page.keyboard.type(text);
  };
  await type('Nom', 'Clavier');
  await type('Prénom', 'Camille');
  await type('Adresse e-mail (nominative)', 'camille.clavier@creuse.fr');
  // A Select: opened with the arrow keys, an option chosen with Enter.
  await tabTo(page, 'Structure (employeur)');
  await page.keyboard.type('Médiathèque de Guéret');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('combobox', { name: 'Structure (employeur)' })).toHaveValue(/Médiathèque de Guéret/);
  await tabTo(page, 'Enregistrer');
  await page.keyboard.press('Enter');
  await expectFocusOnHeading(page, /^Camille Clavier$/i);
  await checkScreen(page, 'clavier-03-formulaire-enregistre');
});

test('une modale au clavier : le focus reste dedans, Échap la ferme et rend le focus', async ({ page }) => {
  await page.goto(server.url);
  await tabTo(page, '3. Marché de formation');
  await page.keyboard.press('Enter');
  await expectFocusOnHeading(page, 'Étape 3 — Marché de formation');
  await tabTo(page, /^Formation Aidant Numérique/);
  await page.keyboard.press('Enter');
  await expectFocusOnHeading(page, /^Formation Aidant Numérique/);
  await tabTo(page, /^Modifier le devis/);
  const opener = (await focused(page)).name;
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  expect((await focused(page)).inDialog, 'focus moved into the dialog').toBe(true);
  await checkScreen(page, 'clavier-04-modale');
  // Tab and Shift+Tab cycle inside the dialog.
  for (let i = 0; i < 25; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    expect(f.inDialog, `Tab ${i + 1} left the dialog: ${f.tag} « ${f.name} »`).toBe(true);
    await expectVisibleFocus(page);
  }
  for (let i = 0; i < 5; i++) {
    await page.keyboard.press('Shift+Tab');
    expect((await focused(page)).inDialog).toBe(true);
  }
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  const back = await focused(page);
  expect(back.name, 'focus returned to the button that opened the dialog').toBe(opener);
});

test('la grille de présence au clavier', async ({ page }) => {
  await page.goto(server.url);
  await tabTo(page, '5. Présence et justification');
  await page.keyboard.press('Enter');
  await tabTo(page, 'Saisir les présences');
  await page.keyboard.press('Enter');
  await expectFocusOnHeading(page, 'Présences — sessions à saisir');
  await tabTo(page, /^Saisir les présences de la session « Aidant Numérique — Guéret/);
  await page.keyboard.press('Enter');
  await expectFocusOnHeading(page, /Aidant Numérique — Guéret/);
  // Into the grid: the first cell's radio group; arrow keys change the value, P/A/E too.
  const cell = page.locator('[data-cell="0:0"]');
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    if (await cell.evaluate((g) => g.contains(document.activeElement))) break;
  }
  expect(await cell.evaluate((g) => g.contains(document.activeElement)), 'first attendance cell reached with Tab').toBe(true);
  await expectVisibleFocus(page);
  const before = await cell.getByRole('radio', { checked: true }).getAttribute('value');
  await page.keyboard.press('e'); // excusé
  await expect(cell.getByRole('radio', { checked: true })).toHaveAccessibleName(/excus/i);
  expect(await cell.evaluate((g) => g.contains(document.activeElement)), 'focus kept on the cell after the change').toBe(true);
  await page.keyboard.press('ArrowDown'); // next person, same half-day
  const second = page.locator('[data-cell="1:0"]');
  expect(await second.evaluate((g) => g.contains(document.activeElement))).toBe(true);
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press(before === 'absent' ? 'a' : 'p'); // put back a plausible value
  await expect(cell.getByRole('radio', { checked: true })).toHaveAttribute('value', before === 'absent' ? 'absent' : 'present');

  // Typed quickly on a busy machine, « E ↓ A »: the next frame comes only after ↓ (frames are held,
  // then let go). The first cell's refocus after its change must not pull the focus back from the
  // second, where « A » belongs.
  expect(await second.getByRole('radio', { checked: true }).getAttribute('value')).not.toBe('absent');
  await page.evaluate(() => {
    const w = window as unknown as { heldFrames: FrameRequestCallback[]; realRaf: typeof requestAnimationFrame };
    w.heldFrames = [];
    w.realRaf = window.requestAnimationFrame;
    window.requestAnimationFrame = (cb) => (w.heldFrames.push(cb), 0);
  });
  await page.keyboard.press('e');
  await page.keyboard.press('ArrowDown');
  await page.evaluate(() => {
    const w = window as unknown as { heldFrames: FrameRequestCallback[]; realRaf: typeof requestAnimationFrame };
    window.requestAnimationFrame = w.realRaf;
    for (const cb of w.heldFrames.splice(0)) cb(performance.now());
  });
  await page.keyboard.press('a');
  await expect(cell.getByRole('radio', { checked: true })).toHaveAttribute('value', 'excuse');
  await expect(second.getByRole('radio', { checked: true })).toHaveAttribute('value', 'absent');
  expect(await second.evaluate((g) => g.contains(document.activeElement)), 'focus on the second cell').toBe(true);
  await checkScreen(page, 'clavier-05-grille-presence');
});

test('l’assistant d’import au clavier, étape par étape', async ({ page }) => {
  // Listen first: Playwright starts intercepting the system file dialog only once a listener exists
  // (asynchronously), so a listener added just before Enter may miss the dialog on a busy machine.
  const chooser = page.waitForEvent('filechooser', { timeout: 50_000 });
  await page.goto(server.url);
  await tabTo(page, '2. Recensement des besoins');
  await page.keyboard.press('Enter');
  await tabTo(page, 'Importer une liste');
  await page.keyboard.press('Enter');
  await expectFocusOnHeading(page, 'Importer une liste de professionnels');
  await tabTo(page, 'Fichier reçu');
  await expectVisibleFocus(page);
  await page.keyboard.press('Enter'); // opens the system file dialog
  await (await chooser).setFiles(path.join(fixturesDir, 'candidatures-formulaire.xlsx'));
  await tabTo(page, 'Lire le fichier');
  await page.keyboard.press('Enter');
  // Each step keeps the focus in the wizard (never lost on <body>) and is reached with Tab.
  await expect(page.getByRole('heading', { name: 'Réponses au formulaire de candidature' }).or(page.getByRole('alert').filter({ hasText: 'Réponses au formulaire de candidature' }))).toBeVisible();
  expect((await focused(page)).tag, 'focus lost after « Lire le fichier »').not.toBe('body');
  await checkScreen(page, 'clavier-06-import-feuille');
  // This file's columns are all recognised: straight to the preview (else « Continuer », then the mapping).
  await tabTo(page, 'Voir l’aperçu');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: /^Importer/ })).toBeVisible();
  expect((await focused(page)).tag, 'focus lost on the preview step').not.toBe('body');
  await checkScreen(page, 'clavier-07-import-apercu');
});

test('restaurer une sauvegarde : la confirmation reçoit le focus, « Ne pas restaurer » le rend', async ({ page }) => {
  await page.goto(server.url);
  await tabTo(page, 'Sauvegardes et historique');
  await page.keyboard.press('Enter');
  await expectFocusOnHeading(page, 'Sauvegardes');
  await tabTo(page, 'Sauvegarder maintenant');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status')).toContainText('Sauvegarde');
  await tabTo(page, /^Restaurer la sauvegarde du /);
  const opener = (await focused(page)).name;
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Restaurer cette sauvegarde' })).toBeFocused();
  await checkScreen(page, 'clavier-08-confirmer-restauration');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Ne pas restaurer' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByText('Confirmer la restauration')).toBeHidden();
  expect((await focused(page)).name, 'focus back on the row’s button').toBe(opener);
});
