// The history screen speaks French: after an attachment (an attestation on a registration), an
// import and its undo from the screen, no code (snake_case) nor English word is shown — it showed
// « Rattachée à : registration », « Rôle : attestation_fin_formation », « Restored backup : … ».
import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { notFrench } from '../helpers/french';
import { checkScreen, fixturesDir, startServer, type Server } from './helpers';

let server: Server;
const EXEMPT = 'Exonération de TVA, art. 261-4-4° a du CGI';

test.beforeAll(async () => {
  server = await startServer();
  const c = await server.api<{ id: number }>('convention.create', { departement: '23', beneficiaireNom: 'Conseil départemental de la Creuse', designationDate: '2024-09-20', signatureDate: '2024-10-15' });
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
  const m = await server.api<{ id: number }>('marche.create', { conventionId: c.id, label: 'Aidants Connect — agents France Services', kind: 'AC', seats: 12 });
  const q = await server.api<{ quotes: { id: number }[] }>('marche.addQuote', { marcheId: m.id, organismeId: of.id, quoteDate: '2025-02-01', amountHtCents: 8_400_00, vatCents: 0, vatExemption: EXEMPT });
  await server.api('marche.choose', { marcheId: m.id, quoteId: q.quotes[0].id, reason: 'Seul OF référencé ANCT disponible dans le département aux dates voulues.', choiceDate: '2025-02-03' });
  const o = await server.api<{ order: { id: number } }>('marche.createOrder', { marcheId: m.id, number: 'BC-2025-007', orderDate: '2025-02-05', acceptWarnings: true });
  const st = await server.api<{ id: number }>('recensement.structures.save', { values: { name: 'Mairie de Guéret', siret: '21230096500010', postcode: '23000', city: 'Guéret', departement: '23', type: 'Commune' } });
  const p = await server.api<{ id: number }>('recensement.people.save', { values: { nom: 'Diallo', prenom: 'Ana', email: 'ana.diallo@gueret.fr', profession: 'Secrétaire de mairie', structureId: st.id } });
  const s = await server.api<{ id: number }>('sessions.create', {
    conventionId: c.id,
    kind: 'AC',
    title: 'Aidants Connect — Guéret',
    orderId: o.order.id,
    modality: 'presentiel',
    place: 'Salle du conseil, Guéret',
    halfDays: [
      { date: '2025-04-08', period: 'matin', start: '09:00', end: '12:30' },
      { date: '2025-04-08', period: 'apres_midi', start: '13:30', end: '17:00' },
    ],
  });
  const r = await server.api<{ registered: { registrationId: number }[] }>('sessions.register', { sessionId: s.id, personIds: [p.id] });
  await server.api('pieces.attach', {
    ownerType: 'registration',
    ownerId: r.registered[0].registrationId,
    role: 'attestation_fin_formation',
    fileName: 'attestation-fin-formation-diallo.pdf',
    contentBase64: Buffer.from('%PDF-1.4 attestation').toString('base64'),
  });
  const bytes = fs.readFileSync(path.join(fixturesDir, 'aidants-fne-grist.xlsx'));
  await server.api('recensement.importCommit', { fileName: 'aidants-fne-grist.xlsx', contentBase64: bytes.toString('base64') });
});
test.afterEach(async ({ page }, info) => {
  if (info.status !== info.expectedStatus) console.log(await page.locator('body').ariaSnapshot().catch(() => ''));
});
test.afterAll(async () => {
  await server?.stop();
});

test('historique après une pièce jointe, un import et son annulation : ni code ni anglais', async ({ page }) => {
  await page.goto(server.url);
  await page.getByRole('link', { name: 'Sauvegardes et historique' }).click();
  await page.getByRole('link', { name: 'Historique des modifications' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Historique des modifications' })).toBeVisible();
  await expect(page.getByText(/^Import — Import — le /)).toBeVisible();
  const main = page.locator('main');
  expect(notFrench(await main.innerText())).toEqual([]);

  await page.getByRole('button', { name: 'Annuler cette opération' }).click();
  await expect(page.getByRole('status')).toContainText(/Opération annulée : import \(\d+ lignes du journal\)\. L’état d’avant l’annulation est gardé : sauvegarde du /);
  const undoRow = page.getByRole('row').filter({ hasText: 'Annulation de la dernière opération' });
  await expect(undoRow).toContainText('Sauvegarde restaurée');
  await expect(undoRow).toContainText('(Avant un import)');
  const attachRow = page.getByRole('row').filter({ hasText: 'Pièce jointe' });
  await expect(attachRow).toContainText('Rattachée à : Inscription');
  await expect(attachRow).toContainText('Rôle : Attestation de fin de formation');
  await checkScreen(page, 'historique-francais');
  const text = await main.innerText();
  expect(text).not.toMatch(/registration|attestation_fin_formation|Restored|Previous|backup/i);
  expect(notFrench(text)).toEqual([]);
});
