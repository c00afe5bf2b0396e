// Corrections of the procurement record on a real database, through dispatch: edit and delete of
// quotes, orders, invoices, payments and expenses. Edits pass the creation's checks again;
// deletions are refused while something depends on the record (French message saying what to do
// first); a deletion is undone by the history's « Annuler », pièces links included.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli/run';
import { openApp } from '../../electron/services/app';
import type { ServiceContext } from '../../electron/services/context';
import { updateExpense } from '../../electron/services/marche/expenses';
import { dispatch } from '../../electron/services/handlers';
import { blobPath } from '../../electron/services/pieces/store';
import { listBackups } from '../../electron/services/sauvegarde/backup';
import { lastOperation, undoLast } from '../../electron/services/sauvegarde/history';
import type { ChannelName, InputOf, OutputOf } from '../../shared/ipc/contract';
import type { IpcError } from '../../shared/ipc/envelope';
import { creuseConvention, dbSnapshot, openTestApp, tempDir, type TestApp } from '../helpers/app';

const apps: TestApp[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});
function app(now: string): TestApp {
  const a = openTestApp({ now });
  apps.push(a);
  return a;
}
async function api<C extends ChannelName>(ctx: ServiceContext, channel: C, input: InputOf<C>): Promise<OutputOf<C>> {
  const env = await dispatch(ctx, channel, input);
  if (!env.ok) throw Object.assign(new Error(env.error.message), { ipc: env.error });
  return env.value as OutputOf<C>;
}
/** Refused, and the database is byte-identical afterwards (no backup taken either). */
async function refused<C extends ChannelName>(ctx: ServiceContext, channel: C, input: InputOf<C>): Promise<IpcError> {
  const snap = dbSnapshot(ctx);
  const backups = listBackups(ctx).length;
  const env = await dispatch(ctx, channel, input);
  if (env.ok) throw new Error(`${channel} should have been refused`);
  expect(dbSnapshot(ctx).equals(snap), `${channel} a modifié la base en refusant`).toBe(true);
  expect(listBackups(ctx).length).toBe(backups);
  return env.error;
}

const MEDNUM = { name: 'Mednum Formation', siret: '812 345 676 00017', nda: '75230123423', qualiopiActionsFormation: true, qualiopiIssuer: 'AFNOR Certification', qualiopiValidFrom: '2022-01-01', qualiopiValidUntil: '2025-12-31', anctReferencedDate: '2024-05-01' };
const FAMILLES = { name: 'Familles Rurales — Fédération régionale', siret: '77567890700020', nda: '75870045687', qualiopiActionsFormation: true, qualiopiIssuer: 'Bureau Veritas', qualiopiValidFrom: '2021-06-01', qualiopiValidUntil: '2029-06-30' };
const EXEMPT = 'Exonération de TVA, art. 261-4-4° a du CGI';
const REASON = 'Offre la moins chère, contenu conforme au référentiel FNE, dates compatibles.';
const pdf = (name: string) => ({ fileName: name, mimeType: 'application/pdf', contentBase64: Buffer.from(`%PDF-1.4 ${name}`).toString('base64') });

/** A convention, two OF, a need with two quotes, Mednum chosen and ordered (7 000 € HT + 1 400 € TVA). */
async function ordered(ctx: ServiceContext) {
  const c = await api(ctx, 'convention.create', { ...creuseConvention, fraisGestionPlannedCents: 500_00 });
  const a = await api(ctx, 'marche.of.create', MEDNUM);
  const b = await api(ctx, 'marche.of.create', FAMILLES);
  const m = await api(ctx, 'marche.create', { conventionId: c.id, label: 'Aidant Numérique — agents des CCAS', kind: 'AN', seats: 12 });
  await api(ctx, 'marche.addQuote', { marcheId: m.id, organismeId: a.id, quoteDate: '2025-03-01', amountHtCents: 7_000_00, vatCents: 1_400_00 });
  const two = await api(ctx, 'marche.addQuote', { marcheId: m.id, organismeId: b.id, quoteDate: '2025-03-03', amountHtCents: 9_600_00, vatCents: 0, vatExemption: EXEMPT });
  const qa = two.quotes.find((q) => q.organismeId === a.id)!;
  const qb = two.quotes.find((q) => q.organismeId === b.id)!;
  await api(ctx, 'marche.choose', { marcheId: m.id, quoteId: qa.id, reason: REASON, choiceDate: '2025-03-05' });
  const order = { marcheId: m.id, number: 'BC-2025-001', orderDate: '2025-03-10', contractStart: '2025-04-01', contractEnd: '2025-06-30' };
  const o = await api(ctx, 'marche.createOrder', order);
  return { c, a, b, m, qa, qb, order, orderId: o.order!.id };
}

function audit(ctx: ServiceContext, entity: string) {
  const r = ctx.store.sqlite.prepare('SELECT action, before_json, after_json FROM audit_log WHERE entity = ? ORDER BY id DESC LIMIT 1').get(entity) as { action: string; before_json: string | null; after_json: string | null };
  return { action: r.action, before: r.before_json ? JSON.parse(r.before_json) : null, after: r.after_json ? JSON.parse(r.after_json) : null };
}

describe('deletions refused while something depends on the record', () => {
  it('the quote of an issued order, any quote once ordered, an order with invoices, an invoice with payments — each says what to do first', async () => {
    const { ctx } = app('2025-07-25T09:00:00Z');
    const { m, qa, qb, orderId } = await ordered(ctx);
    expect((await refused(ctx, 'marche.deleteQuote', { id: qa.id })).message).toMatch(/celui du bon de commande n° BC-2025-001 : supprimez d’abord le bon de commande/);
    expect((await refused(ctx, 'marche.deleteQuote', { id: qb.id })).message).toMatch(/les devis comparés prouvent le choix.*Supprimez d’abord le bon de commande/);
    const inv = await api(ctx, 'marche.addInvoice', { orderId, number: 'F-044', invoiceDate: '2025-07-01', amountCents: 8_400_00 });
    const e1 = await refused(ctx, 'marche.deleteOrder', { id: orderId });
    expect(e1.code).toBe('conflict');
    expect(e1.message).toBe('Le bon de commande n° BC-2025-001 a 1 facture (n° F-044) : supprimez d’abord sa facture (et leurs paiements).');
    const invoiceId = inv.order!.invoices[0].id;
    await api(ctx, 'marche.addPayment', { invoiceId, paymentDate: '2025-07-20', amountCents: 5_000_00, mandateRef: 'MDT-0456' });
    expect((await refused(ctx, 'marche.deleteInvoice', { id: invoiceId })).message).toBe('La facture n° F-044 a 1 paiement enregistré (mandat MDT-0456 du 20/07/2025) : supprimez d’abord son paiement.');
    // Unknown records: a French « introuvable ».
    expect((await refused(ctx, 'marche.deletePayment', { id: 999 })).code).toBe('not_found');
    expect((await api(ctx, 'marche.get', { id: m.id })).order!.invoices[0].payments).toHaveLength(1);
  });

  it('an order with sessions attached cannot be deleted', async () => {
    const { ctx } = app('2025-03-20T09:00:00Z');
    const { c, orderId } = await ordered(ctx);
    await api(ctx, 'sessions.create', {
      conventionId: c.id,
      kind: 'AN',
      title: 'Aidant Numérique — Guéret',
      orderId,
      internal: false,
      modality: 'presentiel',
      place: 'Maison France Services, Guéret',
      trainers: [],
      halfDays: [{ date: '2025-04-10', period: 'matin' }],
    } as InputOf<'sessions.create'>);
    expect((await refused(ctx, 'marche.deleteOrder', { id: orderId })).message).toMatch(/1 session de formation est rattachée au bon de commande n° BC-2025-001 \(« Aidant Numérique — Guéret »\) : rattachez-les à un autre bon de commande ou supprimez-les d’abord/);
  });
});

describe('edits pass the creation’s checks again', () => {
  it('moving the order date past the OF’s Qualiopi expiry is refused; a valid correction re-records the findings', async () => {
    const { ctx } = app('2026-01-20T09:00:00Z');
    const { m, order } = await ordered(ctx);
    const e = await refused(ctx, 'marche.updateOrder', { ...order, orderDate: '2026-01-15', acceptWarnings: true });
    expect(e.message).toMatch(/Correction du bon de commande refusée : Commande impossible avec Mednum Formation : sa certification Qualiopi a expiré le 31\/12\/2025/);
    const fixed = await api(ctx, 'marche.updateOrder', { ...order, number: 'BC-2025-007', contractEnd: '2025-07-15' });
    expect(fixed.order).toMatchObject({ number: 'BC-2025-007', contractEnd: '2025-07-15', amountTtcCents: 8_400_00, yearTotalHtCents: 7_000_00 });
    const a = audit(ctx, 'order');
    expect(a).toMatchObject({ action: 'update', before: { number: 'BC-2025-001', contract_end: '2025-06-30' }, after: { number: 'BC-2025-007', contract_end: '2025-07-15' } });
    // Only one order per marché: the correction did not count the order twice.
    expect((await api(ctx, 'marche.budget', { conventionId: m.conventionId })).committedCents).toBe(8_400_00);
  });

  it('raising the ordered quote re-runs the annual threshold: refused above it, warned near it, and the order follows the quote', async () => {
    const { ctx } = app('2025-09-01T09:00:00Z');
    const { c, a, b, qa, orderId } = await ordered(ctx);
    // Another training order of 2025 (another need): 25 000 € HT.
    const m2 = await api(ctx, 'marche.create', { conventionId: c.id, label: 'Second besoin', kind: 'AN', seats: 30 });
    await api(ctx, 'marche.addQuote', { marcheId: m2.id, organismeId: b.id, quoteDate: '2025-08-01', amountHtCents: 25_000_00, vatCents: 0, vatExemption: EXEMPT });
    const q2 = await api(ctx, 'marche.addQuote', { marcheId: m2.id, organismeId: a.id, quoteDate: '2025-08-01', amountHtCents: 26_000_00, vatCents: 0, vatExemption: EXEMPT });
    await api(ctx, 'marche.choose', { marcheId: m2.id, quoteId: q2.quotes.find((q) => q.organismeId === b.id)!.id, reason: REASON, choiceDate: '2025-08-02' });
    await api(ctx, 'marche.createOrder', { marcheId: m2.id, number: 'BC-2025-002', orderDate: '2025-08-05', acceptWarnings: true });

    const base = { id: qa.id, organismeId: a.id, quoteDate: '2025-03-01', vatCents: 0, vatExemption: EXEMPT };
    // 25 000 + 15 000 = 40 000 € HT: the threshold in force in 2025 is reached.
    const over = await refused(ctx, 'marche.updateQuote', { ...base, amountHtCents: 15_000_00, acceptWarnings: true });
    expect(over.message).toMatch(/Correction du devis \(bon de commande n° BC-2025-001\) refusée : Achats de formation 2025 \(cette commande comprise\) : 40\u202f000,00\u00a0€ HT/);
    // 25 000 + 8 000 = 82 % of the threshold: to confirm.
    const near = await refused(ctx, 'marche.updateQuote', { ...base, amountHtCents: 8_000_00 });
    expect(near.message).toMatch(/À confirmer avant d’enregistrer : .*82 % du seuil/);
    const ok = await api(ctx, 'marche.updateQuote', { ...base, amountHtCents: 8_000_00, acceptWarnings: true });
    expect(ok.order).toMatchObject({ id: orderId, amountHtCents: 8_000_00, amountTtcCents: 8_000_00, yearTotalHtCents: 33_000_00 });
    expect(ok.order!.findings.map((f) => f.code)).toContain('seuil_proche');
    expect(ok.quotes.find((q) => q.id === qa.id)).toMatchObject({ amountHtCents: 8_000_00, vatCents: 0, vatExemption: EXEMPT });
    expect((await api(ctx, 'marche.budget', { conventionId: c.id })).committedCents).toBe(8_000_00 + 25_000_00);
    expect(audit(ctx, 'quote')).toMatchObject({ action: 'update', before: { amount_ht_cents: 7_000_00, vat_cents: 1_400_00 }, after: { amount_ht_cents: 8_000_00, vat_cents: 0 } });
  });

  it('a quote keeps the creation’s checks: VAT or exemption, one quote per OF, the chosen OF fixed', async () => {
    const { ctx } = app('2025-03-20T09:00:00Z');
    const { a, b, qa, qb } = await ordered(ctx);
    expect((await refused(ctx, 'marche.updateQuote', { id: qb.id, organismeId: b.id, quoteDate: '2025-03-03', amountHtCents: 9_600_00, vatCents: 0 })).fields?.vatExemption).toMatch(/motif d’exonération/);
    expect((await refused(ctx, 'marche.updateQuote', { id: qb.id, organismeId: a.id, quoteDate: '2025-03-03', amountHtCents: 9_600_00, vatCents: 0, vatExemption: EXEMPT })).fields?.organismeId).toMatch(/déjà enregistré pour ce besoin/);
    expect((await refused(ctx, 'marche.updateQuote', { id: qa.id, organismeId: b.id, quoteDate: '2025-03-01', amountHtCents: 7_000_00, vatCents: 1_400_00 })).fields?.organismeId).toMatch(/bon de commande n° BC-2025-001 est passé à cet organisme/);
    // A quote dated after the order it carries.
    expect((await refused(ctx, 'marche.updateQuote', { id: qa.id, organismeId: a.id, quoteDate: '2025-03-12', amountHtCents: 7_000_00, vatCents: 1_400_00 })).fields?.quoteDate).toMatch(/ne peut pas précéder le devis retenu/);
    const fixed = await api(ctx, 'marche.updateQuote', { id: qb.id, organismeId: b.id, reference: 'FR-88', quoteDate: '2025-03-04', amountHtCents: 9_500_00, vatCents: 0, vatExemption: EXEMPT });
    expect(fixed.quotes.find((q) => q.id === qb.id)).toMatchObject({ reference: 'FR-88', quoteDate: '2025-03-04', amountHtCents: 9_500_00 });
  });

  it('an invoice amount moves the budget; never below what is paid nor above what is ordered; payments likewise', async () => {
    const { ctx } = app('2025-07-25T09:00:00Z');
    const { c, orderId } = await ordered(ctx);
    const inv = await api(ctx, 'marche.addInvoice', { orderId, number: 'F-044', invoiceDate: '2025-07-01', amountCents: 4_000_00 });
    const invoiceId = inv.order!.invoices[0].id;
    await api(ctx, 'marche.addInvoice', { orderId, number: 'F-045', invoiceDate: '2025-07-02', amountCents: 4_000_00 });
    const p = await api(ctx, 'marche.addPayment', { invoiceId, paymentDate: '2025-07-20', amountCents: 3_000_00, mandateRef: 'MDT-1' });
    const paymentId = p.order!.invoices.find((i) => i.id === invoiceId)!.payments[0].id;

    expect((await refused(ctx, 'marche.updateInvoice', { id: invoiceId, number: 'F-044', invoiceDate: '2025-07-01', amountCents: 2_999_99 })).fields?.amountCents).toMatch(/3\u202f000,00\u00a0€ sont déjà payés/);
    expect((await refused(ctx, 'marche.updateInvoice', { id: invoiceId, number: 'F-044', invoiceDate: '2025-07-01', amountCents: 4_400_01 })).fields?.amountCents).toMatch(/reste à facturer 4\u202f400,00\u00a0€ pour cette facture/);
    expect((await refused(ctx, 'marche.updateInvoice', { id: invoiceId, number: 'F-045', invoiceDate: '2025-07-01', amountCents: 4_000_00 })).fields?.number).toMatch(/déjà enregistrée/);
    expect((await refused(ctx, 'marche.updateInvoice', { id: invoiceId, number: 'F-044', invoiceDate: '2025-07-21', amountCents: 4_000_00 })).fields?.invoiceDate).toMatch(/paiement de cette facture est daté du 20\/07\/2025/);
    const edited = await api(ctx, 'marche.updateInvoice', { id: invoiceId, number: 'F-044', invoiceDate: '2025-07-01', amountCents: 4_400_00 });
    expect(edited.order).toMatchObject({ invoicedCents: 8_400_00, remainingToInvoiceCents: 0 });
    expect((await api(ctx, 'marche.budget', { conventionId: c.id })).invoicedCents).toBe(8_400_00);
    expect(audit(ctx, 'invoice')).toMatchObject({ action: 'update', before: { amount_cents: 4_000_00 }, after: { amount_cents: 4_400_00 } });

    expect((await refused(ctx, 'marche.updatePayment', { id: paymentId, paymentDate: '2025-07-20', amountCents: 4_400_01, mandateRef: 'MDT-1' })).fields?.amountCents).toMatch(/au plus 4\u202f400,00\u00a0€ pour ce paiement/);
    expect((await refused(ctx, 'marche.updatePayment', { id: paymentId, paymentDate: '2025-06-30', amountCents: 3_000_00, mandateRef: 'MDT-1' })).fields?.paymentDate).toMatch(/ne peut pas précéder la facture/);
    const paid = await api(ctx, 'marche.updatePayment', { id: paymentId, paymentDate: '2025-07-21', amountCents: 4_400_00, mandateRef: ' MDT-2 ' });
    expect(paid.order!.invoices.find((i) => i.id === invoiceId)!.payments[0]).toMatchObject({ paymentDate: '2025-07-21', amountCents: 4_400_00, mandateRef: 'MDT-2' });
    expect((await api(ctx, 'marche.budget', { conventionId: c.id })).paidCents).toBe(4_400_00);
  });

  it('an expense: the reliquat rule runs again; its own amount is not counted twice against the frais de gestion', async () => {
    const { ctx } = app('2025-11-01T09:00:00Z');
    const c = await api(ctx, 'convention.create', { ...creuseConvention, fraisGestionPlannedCents: 500_00, engineeringActions: [{ label: 'Kit de médiation numérique', plannedCents: 1_000_00 }] });
    const fg = await api(ctx, 'marche.expenses.create', { conventionId: c.id, kind: 'frais_gestion', label: 'Location de salle', expenseDate: '2025-10-02', amountCents: 400_00 });
    // 450 € replaces 400 €: within the 500 € planned, no warning.
    const fixed = await api(ctx, 'marche.expenses.update', { id: fg.id, kind: 'frais_gestion', label: 'Location de salle (Guéret)', expenseDate: '2025-10-02', amountCents: 450_00 });
    expect(fixed).toMatchObject({ label: 'Location de salle (Guéret)', amountCents: 450_00 });
    expect((await refused(ctx, 'marche.expenses.update', { id: fg.id, kind: 'frais_gestion', label: 'Location de salle', expenseDate: '2025-10-02', amountCents: 600_00 })).message).toMatch(/au-delà des 500,00/);
    // Turned into engineering while the target is not reached: refused (59 departures of 60).
    const eng = { id: fg.id, kind: 'ingenierie' as const, engineeringActionId: c.engineeringActions[0].id, label: 'Impression des kits', expenseDate: '2025-10-02', amountCents: 450_00 };
    const snap = dbSnapshot(ctx);
    await expect(updateExpense(ctx, eng, async () => ({ planned: 70, done: 59 }))).rejects.toThrow(/Départs réalisés : 59 — il en manque 1/);
    expect(dbSnapshot(ctx).equals(snap)).toBe(true);
    expect(await updateExpense(ctx, eng, async () => ({ planned: 70, done: 60 }))).toMatchObject({ kind: 'ingenierie', engineeringActionLabel: 'Kit de médiation numérique' });
    expect(await api(ctx, 'marche.budget', { conventionId: c.id })).toMatchObject({ fraisGestionSpentCents: 0, engineeringSpentCents: 450_00 });
  });
});

describe('a deletion is undone by the history, pièces links included', () => {
  it('payment, invoice, order and a chosen quote: deleted (files stay in the store), then restored by « Annuler »', async () => {
    const a = app('2025-07-25T09:00:00Z');
    const { ctx } = a;
    const { c, m, qa, qb, orderId } = await ordered(ctx);
    const inv = await api(ctx, 'marche.addInvoice', { orderId, number: 'F-044', invoiceDate: '2025-07-01', amountCents: 8_400_00 });
    const invoiceId = inv.order!.invoices[0].id;
    const p = await api(ctx, 'marche.addPayment', { invoiceId, paymentDate: '2025-07-20', amountCents: 5_000_00, mandateRef: 'MDT-0456' });
    const paymentId = p.order!.invoices[0].payments[0].id;
    const proof = await api(ctx, 'pieces.attach', { ownerType: 'payment', ownerId: paymentId, role: 'preuve_paiement', ...pdf('mandat.pdf') });
    await api(ctx, 'pieces.attach', { ownerType: 'invoice', ownerId: invoiceId, role: 'facture', ...pdf('facture.pdf') });
    const links = (type: string, id: number) => ctx.store.sqlite.prepare('SELECT count(*) AS n FROM pieces WHERE owner_type = ? AND owner_id = ?').get(type, id) as { n: number };

    // Delete the payment: its proof is unlinked, the file stays; the budget moves.
    const afterDelete = await api(ctx, 'marche.deletePayment', { id: paymentId });
    expect(afterDelete.order!.paidCents).toBe(0);
    expect(links('payment', paymentId).n).toBe(0);
    expect(fs.existsSync(blobPath(a.dir, proof.sha256))).toBe(true);
    expect(audit(ctx, 'payment')).toMatchObject({ action: 'delete', before: { amount_cents: 5_000_00, mandate_ref: 'MDT-0456', pieces: [{ original_name: 'mandat.pdf', role: 'preuve_paiement' }] } });
    let op = await lastOperation(ctx);
    expect(op).toMatchObject({ action: 'delete', entity: 'payment', undoable: true });
    await undoLast(ctx, op!.lastId);
    const back = await api(ctx, 'marche.get', { id: m.id });
    expect(back.order!.invoices[0].payments[0]).toMatchObject({ id: paymentId, amountCents: 5_000_00, hasProof: true });
    expect((await api(ctx, 'marche.budget', { conventionId: c.id })).paidCents).toBe(5_000_00);

    // Payment, then invoice, then order, then the chosen quote: the marché goes back to « devis ».
    await api(ctx, 'marche.deletePayment', { id: paymentId });
    await api(ctx, 'marche.deleteInvoice', { id: invoiceId });
    expect(links('invoice', invoiceId).n).toBe(0);
    const noOrder = await api(ctx, 'marche.deleteOrder', { id: orderId });
    expect(noOrder).toMatchObject({ stage: 'choix', order: null, chosenQuoteId: qa.id });
    expect((await api(ctx, 'marche.budget', { conventionId: c.id })).committedCents).toBe(0);
    const noChoice = await api(ctx, 'marche.deleteQuote', { id: qa.id });
    expect(noChoice).toMatchObject({ stage: 'devis', chosenQuoteId: null, choiceReason: null });
    expect(noChoice.quotes.map((q) => q.id)).toEqual([qb.id]);
    expect(audit(ctx, 'quote').before).toMatchObject({ id: qa.id, choice: { reason: REASON, date: '2025-03-05' } });
    expect(ctx.store.sqlite.pragma('foreign_key_check')).toEqual([]);

    // « Annuler » restores the quote and its choice.
    op = await lastOperation(ctx);
    expect(op).toMatchObject({ entity: 'quote', undoable: true });
    await undoLast(ctx, op!.lastId);
    expect(await api(ctx, 'marche.get', { id: m.id })).toMatchObject({ stage: 'choix', chosenQuoteId: qa.id, choiceReason: REASON });
  });

  it('an expense with its justificatif', async () => {
    const { ctx } = app('2025-11-01T09:00:00Z');
    const c = await api(ctx, 'convention.create', { ...creuseConvention, fraisGestionPlannedCents: 500_00 });
    const e = await api(ctx, 'marche.expenses.create', { conventionId: c.id, kind: 'frais_gestion', label: 'Reprographie', expenseDate: '2025-10-02', amountCents: 120_50 });
    await api(ctx, 'pieces.attach', { ownerType: 'expense', ownerId: e.id, role: 'justificatif', ...pdf('facture-repro.pdf') });
    expect(await api(ctx, 'marche.expenses.delete', { id: e.id })).toEqual({ id: e.id });
    expect(await api(ctx, 'marche.expenses.list', { conventionId: c.id })).toEqual([]);
    expect((await api(ctx, 'marche.budget', { conventionId: c.id })).fraisGestionSpentCents).toBe(0);
    const op = await lastOperation(ctx);
    await undoLast(ctx, op!.lastId);
    expect(await api(ctx, 'marche.expenses.list', { conventionId: c.id })).toMatchObject([{ id: e.id, amountCents: 120_50, hasProof: true }]);
  });
});

describe('CLI', () => {
  it('marche corriger-facture and marche supprimer go through the same checks', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'x.sqlite');
    const ctx = openApp({ dbFile: db, dataDir: dir, actor: 'test', now: () => new Date('2025-07-25T09:00:00Z') });
    const { orderId } = await ordered(ctx);
    const inv = await api(ctx, 'marche.addInvoice', { orderId, number: 'F-044', invoiceDate: '2025-07-01', amountCents: 8_400_00 });
    const invoiceId = inv.order!.invoices[0].id;
    await api(ctx, 'marche.addPayment', { invoiceId, paymentDate: '2025-07-20', amountCents: 5_000_00, mandateRef: 'MDT-0456' });
    await ctx.store.close();
    const cli = async (...argv: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli([...argv, '--db', db], { out: (l) => out.push(l), err: (l) => err.push(l) });
      return { code, out: out.join('\n'), err: err.join('\n') };
    };
    const refusedDelete = await cli('marche', 'supprimer', '--quoi', 'facture', '--id', String(invoiceId));
    expect(refusedDelete.code).not.toBe(0);
    expect(refusedDelete.err).toMatch(/supprimez d’abord son paiement/);
    const fixed = await cli('marche', 'corriger-facture', '--facture', String(invoiceId), '--numero', 'F-044', '--date', '2025-07-01', '--montant', '8000', '--json');
    expect(fixed.code).toBe(0);
    expect(JSON.parse(fixed.out).order).toMatchObject({ invoicedCents: 8_000_00 });
    const tooLow = await cli('marche', 'corriger-facture', '--facture', String(invoiceId), '--numero', 'F-044', '--date', '2025-07-01', '--montant', '4000');
    expect(tooLow.err).toMatch(/sont déjà payés/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
