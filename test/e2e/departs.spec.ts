// Issue 13 on screen, on the demo convention (ends 31/12/2025): a session held after the end
// date, a conseiller numérique trained with a reason, an association's employee whose OPCO is
// unknown, a management fee dated after the end date, a target the planned departures do not
// reach. Each appears on its screen (home, checklist, session, person) with the link that
// corrects it; screenshots in test/e2e/screenshots/departs-*.png.
import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openApp } from '../../electron/services/app';
import { api, buildDemo, DEMO_NOW, demoSessions } from '../../scripts/demo';
import { checkScreen, startServer, type Server } from './helpers';

let server: Server;
let lateSessionId: number;
let conumId: number;
let assoPersonId: number;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fne-e2e-departs-'));
  const fixed = new Date(DEMO_NOW);
  const ctx = openApp({ dbFile: path.join(dir, 'fne-formations.sqlite'), dataDir: dir, actor: 'e2e', now: () => fixed });
  const d = await buildDemo(ctx, { sessions: demoSessions });
  const sql = ctx.store.sqlite;
  const free = (sql.prepare(
    `SELECT p.id FROM people p WHERE p.eligible = 1 AND p.ineligible_json = '[]'
       AND NOT EXISTS (SELECT 1 FROM registrations r JOIN sessions s ON s.id = r.session_id WHERE r.person_id = p.id AND s.kind IN ('AN', 'AN_AC'))
     ORDER BY p.id LIMIT 3`,
  ).all() as { id: number }[]).map((r) => r.id);
  const structureId = (sql.prepare('SELECT id FROM structures ORDER BY id LIMIT 1').get() as { id: number }).id;
  // A session on 10/02/2026, after the end date: held, its three trainees present.
  const late = await api(ctx, 'sessions.create', { conventionId: d.conventionId, kind: 'AN', title: 'Aidant Numérique — Bourganeuf (février)', internal: true, modality: 'presentiel', place: 'Mairie de Bourganeuf', halfDays: [{ date: '2026-02-10', period: 'matin' }] });
  lateSessionId = late.id;
  const lr = await api(ctx, 'sessions.register', { sessionId: late.id, personIds: free });
  for (const r of lr.registered) await api(ctx, 'sessions.attendance.set', { registrationId: r.registrationId, halfDayId: late.halfDays[0].id, status: 'present' });
  // A conseiller numérique registered with the officer's reason, and an association's employee
  // whose OPCO nobody knows, both present in a session of November.
  conumId = (await api(ctx, 'recensement.people.save', { values: { nom: 'Conum', prenom: 'Camille', email: 'camille.conum@mairie-gueret.fr', profession: 'Conseillère numérique', conseillerNumerique: true, structureId } })).id;
  const asso = (await api(ctx, 'recensement.structures.save', { values: { name: 'Association Lien numérique', siret: '44306184100047', type: 'Association', postcode: '23000', city: 'Guéret', departement: '23' } })).id;
  assoPersonId = (await api(ctx, 'recensement.people.save', { values: { nom: 'Assoc', prenom: 'Dominique', email: 'dominique.assoc@lien-numerique.fr', profession: 'Animatrice', structureId: asso } })).id;
  const nov = await api(ctx, 'sessions.create', { conventionId: d.conventionId, kind: 'AN', title: 'Aidant Numérique — Guéret (novembre)', internal: true, modality: 'presentiel', place: 'Hôtel du département', halfDays: [{ date: '2025-11-20', period: 'matin' }] });
  await api(ctx, 'sessions.register', { sessionId: nov.id, personIds: [conumId], overrideReason: 'Demande expresse de la mairie : elle forme ses agents d’accueil.' });
  await api(ctx, 'sessions.register', { sessionId: nov.id, personIds: [assoPersonId] });
  await api(ctx, 'presence.halfDay.setAll', { sessionId: nov.id, halfDayId: nov.halfDays[0].id, status: 'present' });
  // A management fee dated after the end date; a target of 80 the planned departures do not reach.
  await api(ctx, 'marche.expenses.create', { conventionId: d.conventionId, kind: 'frais_gestion', label: 'Location de salle', expenseDate: '2026-01-15', amountCents: 120_00, acceptWarnings: true });
  await api(ctx, 'convention.update', { id: d.conventionId, patch: { departureTarget: 80 } });
  await ctx.store.close();
  server = await startServer({ dir });
});
test.afterEach(async ({ page }, info) => {
  if (info.status !== info.expectedStatus) console.log(await page.locator('body').ariaSnapshot().catch(() => ''));
});
test.afterAll(async () => {
  await server?.stop();
});

test('accueil : fin de la convention, formés non comptés, objectif non atteint, et les liens qui corrigent', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(server.url);
  await expect(page.getByText('Fin de la convention : 31/12/2025')).toBeVisible();
  await expect(page.getByText(/formations comptées du 15\/10\/2024 au 31\/12\/2025/)).toBeVisible();
  await expect(page.getByText(/Formés mais non comptés dans l’objectif : hors période de la convention : 3 ; conseiller numérique : 1/)).toBeVisible();
  const alert = page.locator('[data-alert="objectif_non_atteint"]');
  await expect(alert).toContainText(/68 départs prévus sur 80 : il en manque 12/);
  await checkScreen(page, 'departs-01-accueil');
  await alert.getByRole('link', { name: 'Programmer des sessions' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Cohortes et sessions');
});

test('liste de contrôle : les points à vérifier, chacun avec le lien qui le corrige', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(server.url);
  await page.getByRole('link', { name: 'Voir les points à vérifier' }).click();
  const table = page.getByRole('table', { name: 'Points à vérifier' });
  await expect(table).toBeVisible();
  const late = table.getByRole('row').filter({ hasText: 'Bourganeuf (février)' });
  await expect(late).toContainText(/après la fin de la convention \(31\/12\/2025\) : ses participants ne comptent pas/);
  const conum = table.locator('tr[data-key$=":non_compte"]').filter({ hasText: 'CONUM Camille' });
  await expect(conum).toContainText(/Conseiller numérique.*Motif de l’inscription : « Demande expresse/);
  const opco = table.locator('tr[data-key$=":opco_inconnu"]').filter({ hasText: 'ASSOC Dominique' });
  await expect(opco).toContainText(/OPCO est inconnu/);
  const fee = table.getByRole('row').filter({ hasText: 'Location de salle' });
  await expect(fee).toContainText(/15\/01\/2026, après la fin de la convention/);
  await checkScreen(page, 'departs-02-points-a-verifier');

  // Each « Corriger » opens the screen where the date or the record is corrected.
  await late.getByRole('link', { name: /Corriger/ }).click();
  await expect(page).toHaveURL(new RegExp(`#/sessions/${lateSessionId}/modifier$`));
  await expect(page.getByRole('button', { name: 'Enregistrer les modifications' })).toBeVisible();
  await page.goBack();
  await conum.getByRole('link', { name: /Corriger/ }).click();
  await expect(page).toHaveURL(new RegExp(`#/recensement/personnes/${conumId}$`));
  await expect(page.getByText(/Conseiller numérique : sa formation est financée/)).toBeVisible();
  await page.goBack();
  await opco.getByRole('link', { name: /Corriger/ }).click();
  await expect(page).toHaveURL(new RegExp(`#/recensement/personnes/${assoPersonId}$`));
  await expect(page.getByText(/Employeur associatif dont l’OPCO est inconnu/)).toBeVisible();
  await checkScreen(page, 'departs-03-fiche-opco-inconnu');
  await page.goBack();
  await fee.getByRole('link', { name: /Corriger/ }).click();
  await expect(page).toHaveURL(/#\/marche\/budget$/);
  // The budget's list says it beside the expense, where its date is corrected.
  await expect(page.getByRole('note').filter({ hasText: /Location de salle.*15\/01\/2026, après la fin de la convention/ })).toBeVisible();
  await checkScreen(page, 'departs-06-budget-depense-hors-periode');
});

test('session hors de la période : avertissement sur la session, participants non comptés, lien vers ses dates', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(server.url);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await page.goto(`${server.url.replace(/#.*$/, '')}#/sessions/${lateSessionId}`);
  const warning = page.locator('[data-warning="hors_fenetre"]');
  await expect(warning).toContainText('Session hors de la période de la convention');
  await expect(warning).toContainText(/le 10\/02\/2026, après la fin de la convention \(31\/12\/2025\)/);
  await checkScreen(page, 'departs-04-session-hors-periode');
  await warning.getByRole('link', { name: 'Corriger les dates de la session' }).click();
  await expect(page).toHaveURL(new RegExp(`#/sessions/${lateSessionId}/modifier$`));
});

test('personne non éligible formée : marquée « ne compte pas » dans sa session, avec le lien vers sa fiche', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(server.url);
  await page.getByRole('link', { name: /4\. Cohortes et sessions/ }).click();
  await page.getByRole('link', { name: 'Aidant Numérique — Guéret (novembre)' }).click();
  const mark = page.locator('[data-warning="non_compte_conseiller_numerique"]');
  await expect(mark).toContainText(/Conseiller numérique : formation financée par un autre dispositif, ne compte pas dans l’objectif/);
  await checkScreen(page, 'departs-05-session-non-compte');
  await mark.getByRole('link', { name: 'Vérifier sa fiche' }).click();
  await expect(page).toHaveURL(new RegExp(`#/recensement/personnes/${conumId}$`));
});
