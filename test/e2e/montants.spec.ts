// Euro fields send what the officer typed; the services read it (shared/money.ts). The four French
// spellings are accepted, « abc », « 12,345 » and « 0x10 » are refused with a French message on
// the field, and nothing is recorded as 0 €. On the invoice, payment and quote forms of step 3 and
// the convention form of step 1.
import { expect, test, type Page } from '@playwright/test';
import { checkScreen, startServer, type Server } from './helpers';

let server: Server;
const EXEMPT = 'Exonération de TVA, art. 261-4-4° a du CGI';
const NNBSP = '\u202f';

test.beforeAll(async () => {
  server = await startServer();
  const c = await server.api<{ id: number }>('convention.create', {
    departement: '23',
    beneficiaireNom: 'Conseil départemental de la Creuse',
    designationDate: '2024-09-20',
    signatureDate: '2024-10-15',
    fundsReceivedDate: '2024-11-02',
    fundsReceivedCents: 20_000_00,
    fraisGestionPlannedCents: 500_00,
    engineeringActions: [],
  });
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
  await server.api('marche.createOrder', { marcheId: m.id, number: 'BC-2025-007', orderDate: '2025-02-05', acceptWarnings: true });
  await server.api('marche.create', { conventionId: c.id, label: 'Aidants Numériques — travailleurs sociaux', kind: 'AN', seats: 12 });
});
test.afterEach(async ({ page }, info) => {
  if (info.status !== info.expectedStatus) console.log(await page.locator('body').ariaSnapshot().catch(() => ''));
});
test.afterAll(async () => {
  await server?.stop();
});

async function openNeed(page: Page, label: string) {
  await page.goto(server.url);
  await page.getByRole('link', { name: '3. Marché de formation' }).click();
  await page.getByRole('link', { name: label }).click();
  await expect(page.getByRole('heading', { level: 1, name: label })).toBeVisible();
}

test('facture et paiement : les quatre écritures françaises sont lues, « abc » est refusé en français', async ({ page }) => {
  await openNeed(page, 'Aidants Connect — agents France Services');
  const amount = page.getByRole('textbox', { name: 'Montant facturé' });
  const invoices = page.getByRole('row').filter({ hasText: /^F-/ });
  const addInvoice = async (number: string, typed: string) => {
    await page.getByRole('textbox', { name: 'Numéro de facture' }).fill(number);
    await page.getByLabel('Date de facture').fill('01/07/2025');
    await amount.fill(typed);
    await page.getByRole('button', { name: 'Enregistrer la facture' }).click();
  };

  // Refused, on the field, in French; nothing recorded (it used to be 0 €).
  await addInvoice('F-0', 'abc');
  await expect(amount).toHaveAccessibleDescription('« abc » n’est pas un montant en euros : écrivez par exemple 1 234,56 €.');
  await checkScreen(page, 'montants-01-refus');
  await addInvoice('F-0', '12,345');
  await expect(amount).toHaveAccessibleDescription(/au plus deux chiffres après la virgule/);
  await addInvoice('F-0', '0x10');
  await expect(amount).toHaveAccessibleDescription(/n’est pas un montant en euros/);
  await expect(invoices).toHaveCount(0);

  // The four spellings.
  const spellings: [string, string, RegExp][] = [
    ['F-1', `1${NNBSP}234,56`, /1\s234,56\s€/],
    ['F-2', '1234,56 €', /1\s234,56\s€/],
    ['F-3', '1.234,56', /1\s234,56\s€/],
    ['F-4', '1 234', /1\s234,00\s€/],
  ];
  for (const [number, typed, shown] of spellings) {
    await addInvoice(number, typed);
    await expect(page.getByRole('row').filter({ has: page.getByRole('cell', { name: number, exact: true }) })).toContainText(shown);
  }
  await expect(page.getByText(/facturé 4\s937,68\s€/)).toBeVisible();

  // The payment's amount field is read the same way, and its refusal shows on it (not on the invoice's).
  await page.getByRole('combobox', { name: 'Facture payée', exact: true }).click();
  await page.getByRole('option', { name: /^F-1/ }).click();
  await page.getByLabel('Date du paiement').fill('20/07/2025');
  const paid = page.getByRole('textbox', { name: 'Montant payé' });
  await paid.fill('abc');
  await page.getByRole('textbox', { name: 'Référence du mandat' }).fill('MDT-2025-0456');
  await page.getByRole('button', { name: 'Enregistrer le paiement' }).click();
  await expect(paid).toHaveAccessibleDescription(/« abc » n’est pas un montant en euros/);
  await expect(amount).not.toHaveAccessibleDescription(/abc/);
  await paid.fill(`1${NNBSP}234,56 €`);
  await page.getByRole('button', { name: 'Enregistrer le paiement' }).click();
  await expect(page.getByText(/20\/07\/2025 — 1\s234,56\s€ — mandat MDT-2025-0456/)).toBeVisible();
  await checkScreen(page, 'montants-02-factures');
});

test('devis : montant HT et TVA lus par les services', async ({ page }) => {
  await openNeed(page, 'Aidants Numériques — travailleurs sociaux');
  await page.getByRole('combobox', { name: 'Organisme', exact: true }).click();
  await page.getByRole('option', { name: /^Mednum Formation/ }).click();
  await page.getByLabel('Date du devis').fill('01/03/2025');
  const ht = page.getByRole('textbox', { name: 'Montant HT' });
  const vat = page.getByRole('textbox', { name: 'TVA', exact: true });
  await ht.fill('abc');
  await vat.fill('0x10');
  await page.getByRole('button', { name: 'Enregistrer le devis' }).click();
  await expect(ht).toHaveAccessibleDescription(/« abc » n’est pas un montant en euros/);
  await expect(vat).toHaveAccessibleDescription(/« 0x10 » n’est pas un montant en euros/);
  await ht.fill('1.234,56');
  await vat.fill('246,91 €');
  await page.getByRole('button', { name: 'Enregistrer le devis' }).click();
  const row = page.getByRole('row').filter({ hasText: 'Mednum Formation' });
  await expect(row).toContainText(/1\s234,56\s€/);
  await expect(row).toContainText(/1\s481,47\s€/);
});

test('convention : les montants sont lus par les services', async ({ page }) => {
  await page.goto(server.url);
  await page.getByRole('link', { name: '1. Convention' }).click();
  await page.getByRole('row').filter({ hasText: 'Convention FNE' }).getByRole('link').click();
  const received = page.getByRole('textbox', { name: 'Montant reçu' });
  await expect(received).toHaveValue('20000');
  await received.fill('abc');
  await page.getByRole('button', { name: 'Enregistrer les modifications' }).click();
  await expect(received).toHaveAccessibleDescription(/« abc » n’est pas un montant en euros/);
  await received.fill('19.999,5 €');
  await page.getByRole('button', { name: 'Enregistrer les modifications' }).click();
  // Saved: the form comes back from the database with the amount read (19 999,50 €).
  await expect(page.getByRole('textbox', { name: 'Montant reçu' })).toHaveValue('19999,5');
  await page.getByRole('link', { name: '1. Convention' }).click();
  await expect(page.getByRole('row').filter({ hasText: 'Convention FNE' })).toContainText(/19\s999,50\s€/);
});
