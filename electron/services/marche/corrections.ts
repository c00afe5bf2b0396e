// Corrections of the procurement record: the officer fixes a typo or removes a wrong entry.
// An edit passes the SAME checks as the creation (the order's rules — threshold on the annual
// sum, quotes compared, Qualiopi/ANCT, overspending — are run again when an order or its quote
// changes). A deletion is refused while something depends on the record, with a French message
// saying what to remove first. Every change is audited with its before and after; a deletion is
// preceded by a backup so that the history's « Annuler » restores it (with its pièces links —
// the files themselves always stay in the content-addressed store).
import type { Transaction } from 'kysely';
import type { Marche } from '../../../shared/ipc/channels/marche';
import type { DB } from '../../db/schema';
import { recordAudit } from '../audit';
import { frDate, isValidIsoDate } from '../common/dates';
import { formatEuros } from '../common/money';
import { type ServiceContext, writeTransaction } from '../context';
import { AppError, notFound, throwIfFieldErrors } from '../errors';
import { backupBefore } from '../sauvegarde/backup';
import { blank, enforce, evaluateOrder, getMarche, openMarche, orderColumns, validateQuote, type OrderInput, type QuoteInput } from './service';

type MarcheOwner = 'quote' | 'order' | 'invoice' | 'payment' | 'expense';

/** Removes the pièces links of a record (the stored files stay) and returns them for the audit. */
export async function unlinkPieces(trx: Transaction<DB>, ownerType: MarcheOwner, ownerId: number) {
  const links = await trx.selectFrom('pieces').selectAll().where('owner_type', '=', ownerType).where('owner_id', '=', ownerId).orderBy('id').execute();
  if (links.length > 0) await trx.deleteFrom('pieces').where('owner_type', '=', ownerType).where('owner_id', '=', ownerId).execute();
  return links;
}

/** The backup the history's « Annuler » restores: taken once every check has passed. */
export async function backupBeforeDeletion(ctx: ServiceContext): Promise<void> {
  await backupBefore(ctx, 'suppression');
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n > 1 ? many : one}`;
}

// ---------------------------------------------------------------------------------------------
// Quotes
// ---------------------------------------------------------------------------------------------

export async function updateQuote(ctx: ServiceContext, input: QuoteInput & { id: number; acceptWarnings?: boolean }): Promise<Marche> {
  const q = await ctx.store.db.selectFrom('quotes').selectAll().where('id', '=', input.id).executeTakeFirst();
  if (!q) throw notFound(`Le devis n° ${input.id}`);
  const { m, order } = await openMarche(ctx, q.marche_id);
  const { fields, exemption } = await validateQuote(ctx, m, input, q.id);
  const ordered = order !== undefined && order.quote_id === q.id;
  if (input.organismeId !== q.organisme_id && m.chosen_quote_id === q.id) {
    fields.organismeId = ordered
      ? `Le bon de commande n° ${order.number} est passé à cet organisme : l’organisme de ce devis ne peut pas changer.`
      : 'C’est l’offre retenue : pour changer d’organisme, enregistrez le devis de l’autre organisme et retenez-le.';
  }
  let orderUpdate: Record<string, unknown> | null = null;
  if (ordered && Object.keys(fields).length === 0) {
    // The order's amounts come from this quote: its rules are checked again on the corrected figures.
    const ev = await evaluateOrder(ctx, orderInputOf(order), {
      editing: true,
      quote: { amount_ht_cents: input.amountHtCents, vat_cents: input.vatCents, quote_date: input.quoteDate },
    });
    if (ev.fields.orderDate) fields.quoteDate = ev.fields.orderDate;
    const invoiced = await invoicedOf(ctx, order.id);
    if (ev.amountTtcCents < invoiced) {
      fields.amountHtCents = `Ce devis ramènerait le bon de commande n° ${order.number} à ${formatEuros(ev.amountTtcCents)} TTC, moins que les ${formatEuros(invoiced)} déjà facturés : corrigez d’abord les factures.`;
    }
    throwIfFieldErrors(fields, 'Le devis ne peut pas être corrigé.');
    enforce(ev.findings, input.acceptWarnings, `Correction du devis (bon de commande n° ${order.number})`, 'refusée');
    orderUpdate = {
      amount_ht_cents: ev.amountHtCents,
      amount_ttc_cents: ev.amountTtcCents,
      threshold_cents: ev.thresholdCents,
      year_total_ht_cents: ev.yearTotalHtCents,
      findings_json: JSON.stringify(ev.findings),
    };
  }
  throwIfFieldErrors(fields, 'Le devis ne peut pas être corrigé.');
  const values = {
    organisme_id: input.organismeId,
    training_id: input.trainingId ?? null,
    reference: blank(input.reference),
    quote_date: input.quoteDate,
    amount_ht_cents: input.amountHtCents,
    vat_cents: input.vatCents,
    vat_exemption: exemption,
  };
  await writeTransaction(ctx, async (trx) => {
    await trx.updateTable('quotes').set(values).where('id', '=', q.id).execute();
    await recordAudit(trx, ctx, { action: 'update', entity: 'quote', entityId: q.id, before: q, after: { ...q, ...values } });
    if (orderUpdate && order) {
      await trx.updateTable('orders').set(orderUpdate).where('id', '=', order.id).execute();
      await recordAudit(trx, ctx, { action: 'update', entity: 'order', entityId: order.id, before: order, after: { ...order, ...orderUpdate } });
    }
    await trx.updateTable('marches').set({ updated_at: ctx.now().toISOString() }).where('id', '=', m.id).execute();
  });
  return getMarche(ctx, m.id);
}

export async function deleteQuote(ctx: ServiceContext, id: number): Promise<Marche> {
  const q = await ctx.store.db.selectFrom('quotes').selectAll().where('id', '=', id).executeTakeFirst();
  if (!q) throw notFound(`Le devis n° ${id}`);
  const { m, order } = await openMarche(ctx, q.marche_id);
  if (order) {
    throw new AppError(
      'conflict',
      order.quote_id === q.id
        ? `Ce devis est celui du bon de commande n° ${order.number} : supprimez d’abord le bon de commande (après ses factures et paiements), ou corrigez le devis.`
        : `Le bon de commande n° ${order.number} est émis : les devis comparés prouvent le choix et restent au dossier. Supprimez d’abord le bon de commande pour retirer ce devis.`,
    );
  }
  await backupBeforeDeletion(ctx);
  await writeTransaction(ctx, async (trx) => {
    const chosen = m.chosen_quote_id === q.id;
    if (chosen) {
      // The choice was this quote: it is withdrawn with it (the reason stays in the audit).
      await trx.updateTable('marches').set({ chosen_quote_id: null, choice_reason: null, choice_comparison: null, choice_date: null }).where('id', '=', m.id).execute();
    }
    const pieces = await unlinkPieces(trx, 'quote', q.id);
    await trx.deleteFrom('quotes').where('id', '=', q.id).execute();
    await trx.updateTable('marches').set({ updated_at: ctx.now().toISOString() }).where('id', '=', m.id).execute();
    await recordAudit(trx, ctx, {
      action: 'delete',
      entity: 'quote',
      entityId: q.id,
      before: { ...q, pieces, choice: chosen ? { reason: m.choice_reason, comparison: m.choice_comparison, date: m.choice_date } : null },
    });
  });
  return getMarche(ctx, m.id);
}

// ---------------------------------------------------------------------------------------------
// The date the consultation was engaged (demande de devis sent)
// ---------------------------------------------------------------------------------------------

/**
 * Records or corrects the date the consultation was engaged. It cannot follow the first quote
 * received nor the order; once the order is issued, its rules run again with this date (the
 * threshold in force is the consultation's, décret n° 2025-1386 art. 4) and its checks are updated.
 */
export async function setConsultationDate(ctx: ServiceContext, input: { marcheId: number; consultationDate: string | null; acceptWarnings?: boolean }): Promise<Marche> {
  const { m, order } = await openMarche(ctx, input.marcheId);
  const date = blank(input.consultationDate);
  const fields: Record<string, string> = {};
  if (date !== null && !isValidIsoDate(date)) fields.consultationDate = 'Date invalide.';
  else if (date !== null) {
    const first = await ctx.store.db
      .selectFrom('quotes')
      .innerJoin('organismes', 'organismes.id', 'quotes.organisme_id')
      .select(['quotes.quote_date', 'organismes.name'])
      .where('quotes.marche_id', '=', m.id)
      .orderBy('quotes.quote_date')
      .executeTakeFirst();
    if (first && first.quote_date < date) {
      fields.consultationDate = `La demande de devis (${frDate(date)}) ne peut pas suivre le premier devis reçu (${first.name}, ${frDate(first.quote_date)}) : la consultation était engagée au plus tard ce jour-là.`;
    }
  }
  let orderUpdate: Record<string, unknown> | null = null;
  if (order && Object.keys(fields).length === 0) {
    const ev = await evaluateOrder(ctx, orderInputOf(order), { editing: true, consultationDate: date });
    if (ev.fields.orderDate) fields.consultationDate = ev.fields.orderDate;
    throwIfFieldErrors(fields, 'La date de la consultation ne peut pas être enregistrée.');
    enforce(ev.findings, input.acceptWarnings, `Date de la consultation (bon de commande n° ${order.number})`, 'refusée');
    orderUpdate = { threshold_cents: ev.thresholdCents, year_total_ht_cents: ev.yearTotalHtCents, findings_json: JSON.stringify(ev.findings) };
  }
  throwIfFieldErrors(fields, 'La date de la consultation ne peut pas être enregistrée.');
  await writeTransaction(ctx, async (trx) => {
    await trx.updateTable('marches').set({ consultation_date: date, updated_at: ctx.now().toISOString() }).where('id', '=', m.id).execute();
    await recordAudit(trx, ctx, { action: 'update', entity: 'marche', entityId: m.id, before: { consultationDate: m.consultation_date }, after: { consultationDate: date } });
    if (orderUpdate && order) {
      await trx.updateTable('orders').set(orderUpdate).where('id', '=', order.id).execute();
      await recordAudit(trx, ctx, { action: 'update', entity: 'order', entityId: order.id, before: order, after: { ...order, ...orderUpdate } });
    }
  });
  return getMarche(ctx, m.id);
}

// ---------------------------------------------------------------------------------------------
// Orders
// ---------------------------------------------------------------------------------------------

function orderInputOf(o: { marche_id: number; number: string; order_date: string; contract_start: string | null; contract_end: string | null; other_procedure_ref: string | null; other_procedure_date: string | null }): OrderInput {
  return {
    marcheId: o.marche_id,
    number: o.number,
    orderDate: o.order_date,
    contractStart: o.contract_start,
    contractEnd: o.contract_end,
    otherProcedureRef: o.other_procedure_ref,
    otherProcedureDate: o.other_procedure_date,
  };
}

async function invoicedOf(ctx: ServiceContext, orderId: number): Promise<number> {
  const rows = await ctx.store.db.selectFrom('invoices').select('amount_cents').where('order_id', '=', orderId).execute();
  return rows.reduce((s, r) => s + r.amount_cents, 0);
}

/** Correction of the bon de commande: every rule of its creation is checked again. */
export async function updateOrder(ctx: ServiceContext, input: OrderInput): Promise<Marche> {
  const { order } = await openMarche(ctx, input.marcheId);
  if (!order) throw notFound(`Le bon de commande du marché n° ${input.marcheId}`);
  const ev = await evaluateOrder(ctx, input, { editing: true });
  if (isValidIsoDate(input.orderDate)) {
    const first = await ctx.store.db.selectFrom('invoices').select(['number', 'invoice_date']).where('order_id', '=', order.id).orderBy('invoice_date').executeTakeFirst();
    if (first && first.invoice_date < input.orderDate) {
      ev.fields.orderDate = `La facture n° ${first.number} est datée du ${frDate(first.invoice_date)} : le bon de commande ne peut pas être postérieur (${frDate(input.orderDate)}).`;
    }
  }
  throwIfFieldErrors(ev.fields, 'Le bon de commande ne peut pas être corrigé.');
  enforce(ev.findings, input.acceptWarnings, 'Correction du bon de commande', 'refusée');
  const values = orderColumns(input, ev);
  await writeTransaction(ctx, async (trx) => {
    await trx.updateTable('orders').set(values).where('id', '=', order.id).execute();
    await trx.updateTable('marches').set({ updated_at: ctx.now().toISOString() }).where('id', '=', order.marche_id).execute();
    await recordAudit(trx, ctx, { action: 'update', entity: 'order', entityId: order.id, before: order, after: { ...order, ...values } });
  });
  return getMarche(ctx, order.marche_id);
}

export async function deleteOrder(ctx: ServiceContext, id: number): Promise<Marche> {
  const o = await ctx.store.db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirst();
  if (!o) throw notFound(`Le bon de commande n° ${id}`);
  const invs = await ctx.store.db.selectFrom('invoices').select('number').where('order_id', '=', o.id).orderBy('invoice_date').orderBy('id').execute();
  if (invs.length > 0) {
    throw new AppError(
      'conflict',
      `Le bon de commande n° ${o.number} a ${plural(invs.length, 'facture', 'factures')} (n° ${invs.map((i) => i.number).join(', ')}) : supprimez d’abord ${invs.length > 1 ? 'ses factures' : 'sa facture'} (et leurs paiements).`,
    );
  }
  const sessions = await ctx.store.db.selectFrom('sessions').select(['id', 'title']).where('order_id', '=', o.id).orderBy('id').execute();
  if (sessions.length > 0) {
    throw new AppError(
      'conflict',
      `${plural(sessions.length, 'session de formation est rattachée', 'sessions de formation sont rattachées')} au bon de commande n° ${o.number} (${sessions.map((s) => `« ${s.title} »`).join(', ')}) : rattachez-les à un autre bon de commande ou supprimez-les d’abord (étape Sessions).`,
    );
  }
  await backupBeforeDeletion(ctx);
  await writeTransaction(ctx, async (trx) => {
    const pieces = await unlinkPieces(trx, 'order', o.id);
    await trx.deleteFrom('orders').where('id', '=', o.id).execute();
    await trx.updateTable('marches').set({ updated_at: ctx.now().toISOString() }).where('id', '=', o.marche_id).execute();
    await recordAudit(trx, ctx, { action: 'delete', entity: 'order', entityId: o.id, before: { ...o, pieces } });
  });
  return getMarche(ctx, o.marche_id);
}

// ---------------------------------------------------------------------------------------------
// Invoices and payments
// ---------------------------------------------------------------------------------------------

export async function updateInvoice(ctx: ServiceContext, input: { id: number; number: string; invoiceDate: string; amountCents: number }): Promise<Marche> {
  const inv = await ctx.store.db.selectFrom('invoices').selectAll().where('id', '=', input.id).executeTakeFirst();
  if (!inv) throw notFound(`La facture n° ${input.id}`);
  const o = await ctx.store.db.selectFrom('orders').selectAll().where('id', '=', inv.order_id).executeTakeFirstOrThrow();
  const e: Record<string, string> = {};
  const number = input.number.trim();
  if (number === '') e.number = 'Indiquez le numéro de la facture.';
  const pays = await ctx.store.db.selectFrom('payments').select(['payment_date', 'amount_cents']).where('invoice_id', '=', inv.id).orderBy('payment_date').execute();
  if (!isValidIsoDate(input.invoiceDate)) e.invoiceDate = 'Date invalide.';
  else if (input.invoiceDate < o.order_date) e.invoiceDate = `La facture (${frDate(input.invoiceDate)}) ne peut pas précéder le bon de commande (${frDate(o.order_date)}).`;
  else if (pays.length > 0 && input.invoiceDate > pays[0].payment_date) {
    e.invoiceDate = `Un paiement de cette facture est daté du ${frDate(pays[0].payment_date)} : la facture ne peut pas être postérieure (${frDate(input.invoiceDate)}).`;
  }
  const paid = pays.reduce((s, p) => s + p.amount_cents, 0);
  const others = await ctx.store.db.selectFrom('invoices').select(['number', 'amount_cents']).where('order_id', '=', o.id).where('id', '!=', inv.id).execute();
  if (others.some((i) => i.number === number)) e.number = `La facture n° ${number} est déjà enregistrée pour cette commande.`;
  const invoicedOthers = others.reduce((s, i) => s + i.amount_cents, 0);
  if (input.amountCents <= 0) e.amountCents = 'Le montant de la facture doit être positif.';
  else if (input.amountCents < paid) {
    e.amountCents = `${formatEuros(paid)} sont déjà payés sur cette facture : son montant ne peut pas être inférieur. Corrigez d’abord les paiements.`;
  } else if (invoicedOthers + input.amountCents > o.amount_ttc_cents) {
    e.amountCents = `Facturé au total ${formatEuros(invoicedOthers + input.amountCents)} pour une commande de ${formatEuros(o.amount_ttc_cents)} TTC : reste à facturer ${formatEuros(o.amount_ttc_cents - invoicedOthers)} pour cette facture.`;
  }
  throwIfFieldErrors(e, 'La facture ne peut pas être corrigée.');
  const values = { number, invoice_date: input.invoiceDate, amount_cents: input.amountCents };
  await writeTransaction(ctx, async (trx) => {
    await trx.updateTable('invoices').set(values).where('id', '=', inv.id).execute();
    await recordAudit(trx, ctx, { action: 'update', entity: 'invoice', entityId: inv.id, before: inv, after: { ...inv, ...values } });
  });
  return getMarche(ctx, o.marche_id);
}

export async function deleteInvoice(ctx: ServiceContext, id: number): Promise<Marche> {
  const inv = await ctx.store.db
    .selectFrom('invoices')
    .innerJoin('orders', 'orders.id', 'invoices.order_id')
    .selectAll('invoices')
    .select('orders.marche_id')
    .where('invoices.id', '=', id)
    .executeTakeFirst();
  if (!inv) throw notFound(`La facture n° ${id}`);
  const pays = await ctx.store.db.selectFrom('payments').select(['payment_date', 'mandate_ref']).where('invoice_id', '=', inv.id).orderBy('payment_date').execute();
  if (pays.length > 0) {
    throw new AppError(
      'conflict',
      `La facture n° ${inv.number} a ${plural(pays.length, 'paiement enregistré', 'paiements enregistrés')} (${pays.map((p) => `mandat ${p.mandate_ref} du ${frDate(p.payment_date)}`).join(', ')}) : supprimez d’abord ${pays.length > 1 ? 'ses paiements' : 'son paiement'}.`,
    );
  }
  await backupBeforeDeletion(ctx);
  await writeTransaction(ctx, async (trx) => {
    const pieces = await unlinkPieces(trx, 'invoice', inv.id);
    await trx.deleteFrom('invoices').where('id', '=', inv.id).execute();
    const { marche_id: _m, ...row } = inv;
    await recordAudit(trx, ctx, { action: 'delete', entity: 'invoice', entityId: inv.id, before: { ...row, pieces } });
  });
  return getMarche(ctx, inv.marche_id);
}

async function openPayment(ctx: ServiceContext, id: number) {
  const p = await ctx.store.db
    .selectFrom('payments')
    .innerJoin('invoices', 'invoices.id', 'payments.invoice_id')
    .innerJoin('orders', 'orders.id', 'invoices.order_id')
    .selectAll('payments')
    .select(['orders.marche_id', 'invoices.invoice_date', 'invoices.amount_cents as invoice_cents', 'invoices.number as invoice_number'])
    .where('payments.id', '=', id)
    .executeTakeFirst();
  if (!p) throw notFound(`Le paiement n° ${id}`);
  const { marche_id, invoice_date, invoice_cents, invoice_number, ...row } = p;
  return { row, marcheId: marche_id, invoice: { date: invoice_date, cents: invoice_cents, number: invoice_number } };
}

export async function updatePayment(ctx: ServiceContext, input: { id: number; paymentDate: string; amountCents: number; mandateRef: string }): Promise<Marche> {
  const { row, marcheId, invoice } = await openPayment(ctx, input.id);
  const e: Record<string, string> = {};
  const mandateRef = input.mandateRef.trim();
  if (mandateRef === '') e.mandateRef = 'Indiquez la référence du mandat de paiement.';
  if (!isValidIsoDate(input.paymentDate)) e.paymentDate = 'Date invalide.';
  else if (input.paymentDate < invoice.date) e.paymentDate = `Le paiement (${frDate(input.paymentDate)}) ne peut pas précéder la facture (${frDate(invoice.date)}).`;
  const others = await ctx.store.db.selectFrom('payments').select('amount_cents').where('invoice_id', '=', row.invoice_id).where('id', '!=', row.id).execute();
  const paidOthers = others.reduce((s, p) => s + p.amount_cents, 0);
  if (input.amountCents <= 0) e.amountCents = 'Le montant payé doit être positif.';
  else if (paidOthers + input.amountCents > invoice.cents) {
    e.amountCents = `Payé au total ${formatEuros(paidOthers + input.amountCents)} pour la facture n° ${invoice.number} de ${formatEuros(invoice.cents)} : au plus ${formatEuros(invoice.cents - paidOthers)} pour ce paiement.`;
  }
  throwIfFieldErrors(e, 'Le paiement ne peut pas être corrigé.');
  const values = { payment_date: input.paymentDate, amount_cents: input.amountCents, mandate_ref: mandateRef };
  await writeTransaction(ctx, async (trx) => {
    await trx.updateTable('payments').set(values).where('id', '=', row.id).execute();
    await recordAudit(trx, ctx, { action: 'update', entity: 'payment', entityId: row.id, before: row, after: { ...row, ...values } });
  });
  return getMarche(ctx, marcheId);
}

export async function deletePayment(ctx: ServiceContext, id: number): Promise<Marche> {
  const { row, marcheId } = await openPayment(ctx, id);
  await backupBeforeDeletion(ctx);
  await writeTransaction(ctx, async (trx) => {
    const pieces = await unlinkPieces(trx, 'payment', row.id);
    await trx.deleteFrom('payments').where('id', '=', row.id).execute();
    await recordAudit(trx, ctx, { action: 'delete', entity: 'payment', entityId: row.id, before: { ...row, pieces } });
  });
  return getMarche(ctx, marcheId);
}
