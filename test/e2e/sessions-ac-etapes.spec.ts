// The Aidants Connect steps of a session, as the officer meets them: the checklist names each
// missing step and links to the session; the session lists them with their people and records
// each one (a date, or the connection method); the warnings go as they are recorded.
import { expect, test } from '@playwright/test';
import { checkScreen, startServer, type Server } from './helpers';

let server: Server;
let conventionId: number;
let sessionId: number;
const EXEMPT = 'Exonération de TVA, art. 261-4-4° a du CGI';

test.beforeAll(async () => {
  server = await startServer();
  const c = await server.api<{ id: number }>('convention.create', {
    departement: '23',
    beneficiaireNom: 'Conseil départemental de la Creuse',
    beneficiaireSiret: '22230001600011',
    signatureDate: '2024-10-15',
    fundsReceivedDate: '2024-11-02',
    fundsReceivedCents: 20_000_00,
    engineeringActions: [],
  });
  conventionId = c.id;
  const of = await server.api<{ id: number }>('marche.of.create', {
    name: 'Mednum Formation',
    siret: '812 345 676 00017',
    nda: '75230123423',
    qualiopiActionsFormation: true,
    qualiopiIssuer: 'AFNOR Certification',
    qualiopiNumber: 'Q-2022-0042',
    qualiopiValidFrom: '2022-01-01',
    qualiopiValidUntil: '2029-12-31',
    anctReferencedDate: '2024-05-01',
  });
  const m = await server.api<{ id: number }>('marche.create', { conventionId, label: 'Aidants Connect', kind: 'AC', seats: 12 });
  const q = await server.api<{ quotes: { id: number }[] }>('marche.addQuote', { marcheId: m.id, organismeId: of.id, quoteDate: '2025-02-01', amountHtCents: 4_000_00, vatCents: 0, vatExemption: EXEMPT });
  await server.api('marche.choose', { marcheId: m.id, quoteId: q.quotes[0]!.id, reason: 'Seul organisme disponible dans le département aux dates voulues.', choiceDate: '2025-02-03' });
  const order = await server.api<{ order: { id: number } }>('marche.createOrder', { marcheId: m.id, number: 'BC-2025-007', orderDate: '2025-02-05', acceptWarnings: true });
  const st = await server.api<{ id: number }>('recensement.structures.save', {
    values: { name: 'Mairie de Guéret', siret: '21230096500010', address: '1 rue de la Mairie', postcode: '23000', city: 'Guéret', departement: '23', type: 'Commune' },
  });
  const ids: number[] = [];
  for (const [nom, prenom] of [
    ['Durand', 'Anne'],
    ['Martin', 'Paul'],
  ]) {
    const p = await server.api<{ id: number }>('recensement.people.save', {
      values: { nom, prenom, email: `${prenom.toLowerCase()}.${nom.toLowerCase()}@gueret.fr`, profession: 'Agent France Services', structureId: st.id },
    });
    ids.push(p.id);
  }
  const s = await server.api<{ id: number; halfDays: { id: number }[] }>('sessions.create', {
    conventionId,
    kind: 'AC',
    title: 'Aidants Connect — Guéret',
    orderId: order.order.id,
    modality: 'presentiel',
    place: 'Guéret',
    halfDays: [
      { date: '2025-04-08', period: 'matin', start: '09:00', end: '12:30' },
      { date: '2025-04-08', period: 'apres_midi', start: '13:30', end: '17:00' },
    ],
  });
  sessionId = s.id;
  const reg = await server.api<{ registered: { registrationId: number }[] }>('sessions.register', { sessionId, personIds: ids });
  for (const r of reg.registered) for (const h of s.halfDays) await server.api('sessions.attendance.set', { registrationId: r.registrationId, halfDayId: h.id, status: 'present' });
});
test.afterAll(async () => {
  await server?.stop();
});

test('each missing Aidants Connect step is on the checklist, linked to the session that records it', async ({ page }) => {
  await page.goto(server.url);
  await page.goto(`${server.origin}/#/justification`);
  const link = page.getByRole('link', { name: /Corriger : Session « Aidants Connect — Guéret » — 2 personnes dont l’éligibilité n’est pas validée/ });
  await expect(link).toBeVisible();
  await expect(page.getByRole('link', { name: /Corriger : Session « Aidants Connect — Guéret » — 2 personnes présentes sans test Pix/ })).toBeVisible();
  await link.click();
  await expect(page.getByRole('heading', { level: 1, name: 'Aidants Connect — Guéret' })).toBeVisible();

  const panel = page.locator('section', { has: page.getByRole('heading', { name: 'Étapes Aidants Connect avec l’ANCT' }) });
  await expect(panel.getByText('2 personnes dont l’éligibilité n’est pas validée par l’ANCT.')).toBeVisible();
  await expect(panel.getByText(/2 personnes présentes sans test Pix enregistré/)).toBeVisible();
  await expect(panel.getByText(/sans moyen de connexion choisi/)).toBeVisible();
  await checkScreen(page, 'sessions-ac-etapes-01-manquantes');

  // Eligibility validated by ANCT, for both.
  await panel.getByRole('button', { name: 'Enregistrer : Éligibilité validée par l’ANCT' }).click();
  await panel.getByLabel('Éligibilité validée par l’ANCT le').fill('20/03/2025');
  await panel.getByRole('button', { name: 'Enregistrer pour ces 2 personnes' }).click();
  await expect(panel.getByText('2 personnes dont l’éligibilité n’est pas validée par l’ANCT.')).toHaveCount(0);
  await expect(panel.getByRole('table', { name: 'Étapes Aidants Connect des personnes inscrites' }).getByText('20/03/2025')).toHaveCount(2);

  // The connection method chosen at the end of the day.
  await panel.getByRole('button', { name: 'Enregistrer : Moyen de connexion choisi' }).click();
  await panel.getByRole('combobox', { name: 'Moyen de connexion choisi', exact: true }).click();
  await page.getByRole('option', { name: /Application OTP/ }).click();
  await panel.getByRole('button', { name: 'Enregistrer pour ces 2 personnes' }).click();
  await expect(panel.getByText(/sans moyen de connexion choisi/)).toHaveCount(0);

  // Pix taken a week after the training day: recorded, and flagged.
  await panel.getByRole('button', { name: 'Enregistrer : Test Pix passé' }).click();
  await panel.getByLabel('Test Pix passé le').fill('15/04/2025');
  await panel.getByRole('button', { name: 'Enregistrer pour ces 2 personnes' }).click();
  await expect(panel.getByText(/ont passé le test Pix après la journée de formation \(08\/04\/2025\)/)).toBeVisible();
  await checkScreen(page, 'sessions-ac-etapes-02-pix-tardif');

  // The checklist follows.
  await page.goto(`${server.origin}/#/justification`);
  await expect(page.getByRole('link', { name: /Corriger : Session « Aidants Connect — Guéret » — 2 personnes ont passé le test Pix après/ })).toBeVisible();
  await expect(page.getByRole('link', { name: /dont l’éligibilité n’est pas validée/ })).toHaveCount(0);
  void conventionId;
});

test('assigning someone not yet sensibilised to Aidants Connect alone warns, with the link to the answer on their record', async ({ page }) => {
  const p = await server.api<{ id: number }>('recensement.people.save', {
    values: { nom: 'Novice', prenom: 'Léa', email: 'lea.novice@gueret.fr', profession: 'Agent d’accueil', structureId: null, dejaSensibilise: false },
  });
  await page.goto(server.url);
  await page.goto(`${server.origin}/#/sessions/${sessionId}/inscrire`);
  const row = page.getByRole('row').filter({ hasText: 'lea.novice@gueret.fr' });
  await expect(row).toContainText('Pas encore sensibilisé(e) à l’inclusion numérique');
  await checkScreen(page, 'sessions-ac-etapes-03-ciblage');
  await row.getByRole('link', { name: 'Voir la fiche de Léa Novice' }).click();
  await expect(page).toHaveURL(new RegExp(`#/recensement/personnes/${p.id}$`));
  await expect(page.getByRole('heading', { level: 1, name: /Léa Novice/ })).toBeVisible();
});
