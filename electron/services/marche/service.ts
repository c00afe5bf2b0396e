// Step 3 — the procurement record of one need ("marché"): need → quotes → choice and written
// reason → bon de commande (checked against the rules of ./rules.ts) → invoices → payments.
import type { Marche, OrderEvaluation } from '../../../shared/ipc/channels/marche';
import type { TrainingKind } from '../../db/tables/marche';
import { recordAudit } from '../audit';
import { frDate, isValidIsoDate } from '../common/dates';
import { formatEuros } from '../common/money';
import { type ServiceContext, writeTransaction } from '../context';
import { getConvention } from '../convention/service';
import { expenseWindowWarning } from '../convention/window';
import { AppError, notFound, throwIfFieldErrors } from '../errors';
import { budgetFigures } from './budget';
import { organismeFacts } from './organismes';
import { otherPurchasesOfYear } from './other-purchases';
import {
  anctReferencing,
  blocking,
  checkOrganisme,
  consultationDateOf,
  checkOverspending,
  checkQuotesCompared,
  checkSameSupplier,
  checkThreshold,
  qualiopiStatus,
  trainingKindLabels,
  warnings,
  type Finding,
} from './rules';

const stageLabels = {
  besoin: 'Besoin défini — devis à demander',
  devis: 'Devis reçus — choix à motiver',
  choix: 'Offre choisie — bon de commande à émettre',
  commande: 'Commandé — en attente de facture',
  facturation: 'Facturation en cours',
  solde: 'Soldé',
} as const;

export function blank(s: string | null | undefined): string | null {
  if (s === undefined || s === null) return null;
  const t = s.trim();
  return t === '' ? null : t;
}

async function attachedRoles(ctx: ServiceContext, ownerType: string, ids: number[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await ctx.store.db.selectFrom('pieces').select(['owner_id', 'role']).where('owner_type', '=', ownerType).where('owner_id', 'in', ids).execute();
  return new Set(rows.map((r) => `${r.owner_id}:${r.role}`));
}

export async function getMarche(ctx: ServiceContext, id: number): Promise<Marche> {
  const m = await ctx.store.db.selectFrom('marches').selectAll().where('id', '=', id).executeTakeFirst();
  if (!m) throw notFound(`Le marché n° ${id}`);
  const quotes = await ctx.store.db
    .selectFrom('quotes')
    .innerJoin('organismes', 'organismes.id', 'quotes.organisme_id')
    .leftJoin('organisme_trainings', 'organisme_trainings.id', 'quotes.training_id')
    .selectAll('quotes')
    .select(['organismes.name as of_name', 'organisme_trainings.title as training_title'])
    .where('quotes.marche_id', '=', id)
    .orderBy('quotes.id')
    .execute();
  const ofRows = quotes.length
    ? await ctx.store.db.selectFrom('organismes').selectAll().where('id', 'in', [...new Set(quotes.map((q) => q.organisme_id))]).execute()
    : [];
  const quoteFiles = await attachedRoles(ctx, 'quote', quotes.map((q) => q.id));
  const o = await ctx.store.db
    .selectFrom('orders')
    .innerJoin('organismes', 'organismes.id', 'orders.organisme_id')
    .selectAll('orders')
    .select('organismes.name as of_name')
    .where('orders.marche_id', '=', id)
    .executeTakeFirst();
  let order: Marche['order'] = null;
  if (o) {
    const invs = await ctx.store.db.selectFrom('invoices').selectAll().where('order_id', '=', o.id).orderBy('invoice_date').orderBy('id').execute();
    const pays = invs.length
      ? await ctx.store.db.selectFrom('payments').selectAll().where('invoice_id', 'in', invs.map((i) => i.id)).orderBy('payment_date').orderBy('id').execute()
      : [];
    const invFiles = await attachedRoles(ctx, 'invoice', invs.map((i) => i.id));
    const payFiles = await attachedRoles(ctx, 'payment', pays.map((p) => p.id));
    const orderFiles = await attachedRoles(ctx, 'order', [o.id]);
    const invoices = invs.map((i) => {
      const p = pays.filter((x) => x.invoice_id === i.id);
      return {
        id: i.id,
        orderId: o.id,
        number: i.number,
        invoiceDate: i.invoice_date,
        amountCents: i.amount_cents,
        paidCents: p.reduce((s, x) => s + x.amount_cents, 0),
        hasFile: invFiles.has(`${i.id}:facture`),
        payments: p.map((x) => ({
          id: x.id,
          invoiceId: i.id,
          paymentDate: x.payment_date,
          amountCents: x.amount_cents,
          mandateRef: x.mandate_ref,
          hasProof: payFiles.has(`${x.id}:preuve_paiement`),
        })),
      };
    });
    const invoiced = invoices.reduce((s, i) => s + i.amountCents, 0);
    const paid = invoices.reduce((s, i) => s + i.paidCents, 0);
    order = {
      id: o.id,
      marcheId: id,
      quoteId: o.quote_id,
      organismeId: o.organisme_id,
      organismeName: o.of_name,
      number: o.number,
      orderDate: o.order_date,
      amountHtCents: o.amount_ht_cents,
      amountTtcCents: o.amount_ttc_cents,
      contractStart: o.contract_start,
      contractEnd: o.contract_end,
      otherProcedureRef: o.other_procedure_ref,
      otherProcedureDate: o.other_procedure_date,
      thresholdCents: o.threshold_cents,
      yearTotalHtCents: o.year_total_ht_cents,
      findings: JSON.parse(o.findings_json) as Finding[],
      invoicedCents: invoiced,
      paidCents: paid,
      remainingToInvoiceCents: o.amount_ttc_cents - invoiced,
      remainingToPayCents: o.amount_ttc_cents - paid,
      hasSignedOrder: orderFiles.has(`${o.id}:bon_de_commande`),
      invoices,
    };
  }
  const today = ctx.now().toISOString().slice(0, 10);
  const consultation = quotes.length > 0 || m.consultation_date !== null ? consultationDateOf({ recorded: m.consultation_date, quoteDates: quotes.map((q) => q.quote_date), orderDate: order?.orderDate ?? today }) : null;
  const chosen = m.chosen_quote_id === null ? undefined : quotes.find((q) => q.id === m.chosen_quote_id);
  let referencing: Marche['anctReferencing'] = null;
  if (chosen) {
    const ofRow = ofRows.find((r) => r.id === chosen.organisme_id)!;
    const proofs = await attachedRoles(ctx, 'organisme', [ofRow.id]);
    const r = anctReferencing(organismeFacts(ofRow), proofs.has(`${ofRow.id}:referencement_anct`));
    referencing = { organismeId: ofRow.id, organismeName: ofRow.name, status: r.status, referencedDate: ofRow.anct_referenced_date, message: r.message };
  }
  const stage = order
    ? order.paidCents >= order.amountTtcCents
      ? 'solde'
      : order.invoicedCents > 0
        ? 'facturation'
        : 'commande'
    : m.chosen_quote_id !== null
      ? 'choix'
      : quotes.length > 0
        ? 'devis'
        : 'besoin';
  return {
    id: m.id,
    conventionId: m.convention_id,
    label: m.label,
    kind: m.kind,
    kindLabel: trainingKindLabels[m.kind],
    seats: m.seats,
    needStart: m.need_start,
    needEnd: m.need_end,
    chosenQuoteId: m.chosen_quote_id,
    choiceReason: m.choice_reason,
    choiceComparison: m.choice_comparison,
    choiceDate: m.choice_date,
    consultationDate: m.consultation_date,
    consultation,
    anctReferencing: referencing,
    quotes: quotes.map((q) => {
      const ofRow = ofRows.find((r) => r.id === q.organisme_id)!;
      const ttc = q.amount_ht_cents + q.vat_cents;
      return {
        id: q.id,
        marcheId: id,
        organismeId: q.organisme_id,
        organismeName: q.of_name,
        qualiopiLabel: qualiopiStatus(organismeFacts(ofRow), q.quote_date <= today ? today : q.quote_date).label,
        trainingId: q.training_id,
        trainingTitle: q.training_title,
        reference: q.reference,
        quoteDate: q.quote_date,
        amountHtCents: q.amount_ht_cents,
        vatCents: q.vat_cents,
        vatExemption: q.vat_exemption,
        amountTtcCents: ttc,
        pricePerSeatCents: Math.round(ttc / m.seats),
        hasFile: quoteFiles.has(`${q.id}:devis`),
        chosen: m.chosen_quote_id === q.id,
      };
    }),
    order,
    stage,
    stageLabel: stageLabels[stage],
    windowWarnings: await orderWindowWarnings(ctx, m.convention_id, order),
  };
}

/** The order, its invoices and payments dated outside the convention's window (convention/window.ts). */
async function orderWindowWarnings(ctx: ServiceContext, conventionId: number, order: Marche['order']): Promise<string[]> {
  if (!order) return [];
  const c = await getConvention(ctx, conventionId);
  const w = { signatureDate: c.signatureDate, endDate: c.endDate };
  const out = [expenseWindowWarning(`Bon de commande ${order.number}`, order.orderDate, w)];
  for (const inv of order.invoices) {
    out.push(expenseWindowWarning(`Facture ${inv.number}`, inv.invoiceDate, w));
    for (const p of inv.payments) out.push(expenseWindowWarning(`Paiement (mandat ${p.mandateRef})`, p.paymentDate, w));
  }
  return out.filter((x): x is string => x !== null);
}

export async function listMarches(ctx: ServiceContext, conventionId: number): Promise<Marche[]> {
  await getConvention(ctx, conventionId);
  const ids = await ctx.store.db.selectFrom('marches').select('id').where('convention_id', '=', conventionId).orderBy('id').execute();
  return Promise.all(ids.map((r) => getMarche(ctx, r.id)));
}

export async function createMarche(
  ctx: ServiceContext,
  input: { conventionId: number; label: string; kind: TrainingKind; seats: number; needStart?: string | null; needEnd?: string | null; consultationDate?: string | null },
): Promise<Marche> {
  await getConvention(ctx, input.conventionId);
  const label = input.label.trim();
  const needStart = blank(input.needStart);
  const needEnd = blank(input.needEnd);
  const consultationDate = blank(input.consultationDate);
  const e: Record<string, string> = {};
  if (consultationDate && !isValidIsoDate(consultationDate)) e.consultationDate = 'Date invalide.';
  if (label === '') e.label = 'Décrivez le besoin (ex. « Formation Aidants Connect — 12 agents France Services »).';
  if (needStart && !isValidIsoDate(needStart)) e.needStart = 'Date invalide.';
  if (needEnd && !isValidIsoDate(needEnd)) e.needEnd = 'Date invalide.';
  if (needStart && needEnd && needEnd < needStart) e.needEnd = `La fin (${frDate(needEnd)}) précède le début (${frDate(needStart)}).`;
  throwIfFieldErrors(e, 'Le besoin ne peut pas être enregistré.');
  const now = ctx.now().toISOString();
  const id = await writeTransaction(ctx, async (trx) => {
    const { id } = await trx
      .insertInto('marches')
      .values({ convention_id: input.conventionId, label, kind: input.kind, seats: input.seats, need_start: needStart, need_end: needEnd, consultation_date: consultationDate, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx, { action: 'create', entity: 'marche', entityId: id, after: { ...input, label } });
    return id;
  });
  return getMarche(ctx, id);
}

export async function openMarche(ctx: ServiceContext, marcheId: number) {
  const m = await ctx.store.db.selectFrom('marches').selectAll().where('id', '=', marcheId).executeTakeFirst();
  if (!m) throw notFound(`Le marché n° ${marcheId}`);
  const order = await ctx.store.db.selectFrom('orders').selectAll().where('marche_id', '=', marcheId).executeTakeFirst();
  return { m, order };
}

export interface QuoteInput {
  organismeId: number;
  trainingId?: number | null;
  reference?: string | null;
  quoteDate: string;
  amountHtCents: number;
  vatCents: number;
  vatExemption?: string | null;
}

/** The checks of a quote, at creation and on correction (`quoteId`: the quote being corrected). */
export async function validateQuote(
  ctx: ServiceContext,
  m: { id: number; kind: TrainingKind; consultation_date: string | null },
  input: QuoteInput,
  quoteId: number | null = null,
): Promise<{ fields: Record<string, string>; exemption: string | null; of: { id: number; name: string } }> {
  const of = await ctx.store.db.selectFrom('organismes').selectAll().where('id', '=', input.organismeId).executeTakeFirst();
  if (!of) throw notFound(`L’organisme de formation n° ${input.organismeId}`);
  const e: Record<string, string> = {};
  if (of.is_internal === 1) e.organismeId = 'Les formateurs internes du CD ne remettent pas de devis : aucun achat n’est nécessaire.';
  if (!isValidIsoDate(input.quoteDate)) e.quoteDate = 'Date invalide.';
  else if (m.consultation_date !== null && input.quoteDate < m.consultation_date) {
    e.quoteDate = `Le devis (${frDate(input.quoteDate)}) ne peut pas précéder l’envoi de la demande de devis enregistré pour ce besoin (${frDate(m.consultation_date)}) : corrigez l’une des deux dates.`;
  }
  if (input.amountHtCents <= 0) e.amountHtCents = 'Le montant HT du devis doit être positif.';
  const exemption = blank(input.vatExemption);
  if (input.vatCents === 0 && exemption === null) {
    e.vatExemption = 'Sans TVA, indiquez le motif d’exonération (ex. « Exonération de TVA, art. 261-4-4° a du CGI »).';
  }
  if (input.vatCents > 0 && exemption !== null) e.vatExemption = 'Un devis exonéré de TVA ne peut pas porter de TVA.';
  if (input.trainingId) {
    const t = await ctx.store.db.selectFrom('organisme_trainings').selectAll().where('id', '=', input.trainingId).executeTakeFirst();
    if (!t || t.organisme_id !== of.id) e.trainingId = 'Cette formation n’est pas proposée par cet organisme.';
    else if (t.kind !== m.kind) e.trainingId = `Cette formation (${trainingKindLabels[t.kind]}) ne correspond pas au besoin (${trainingKindLabels[m.kind]}).`;
  }
  let dupQuery = ctx.store.db.selectFrom('quotes').select('id').where('marche_id', '=', m.id).where('organisme_id', '=', of.id);
  if (quoteId !== null) dupQuery = dupQuery.where('id', '!=', quoteId);
  const dup = await dupQuery.executeTakeFirst();
  if (dup) e.organismeId = `Un devis de ${of.name} est déjà enregistré pour ce besoin (n° ${dup.id}).`;
  return { fields: e, exemption, of: { id: of.id, name: of.name } };
}

export async function addQuote(ctx: ServiceContext, input: QuoteInput & { marcheId: number }): Promise<Marche> {
  const { m, order } = await openMarche(ctx, input.marcheId);
  if (order) throw new AppError('conflict', `Le bon de commande n° ${order.number} est déjà émis : le marché est clos, aucun devis ne peut être ajouté.`);
  const { fields: e, exemption, of } = await validateQuote(ctx, m, input);
  throwIfFieldErrors(e, 'Le devis ne peut pas être enregistré.');
  await writeTransaction(ctx, async (trx) => {
    const { id } = await trx
      .insertInto('quotes')
      .values({
        marche_id: m.id,
        organisme_id: of.id,
        training_id: input.trainingId ?? null,
        reference: blank(input.reference),
        quote_date: input.quoteDate,
        amount_ht_cents: input.amountHtCents,
        vat_cents: input.vatCents,
        vat_exemption: exemption,
        notes: null,
        created_at: ctx.now().toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.updateTable('marches').set({ updated_at: ctx.now().toISOString() }).where('id', '=', m.id).execute();
    await recordAudit(trx, ctx, { action: 'create', entity: 'quote', entityId: id, after: input });
  });
  return getMarche(ctx, m.id);
}

/** The minimum length of the written reason: a word or two does not justify a choice. */
export const MIN_REASON_CHARS = 30;

export async function chooseQuote(
  ctx: ServiceContext,
  input: { marcheId: number; quoteId: number; reason: string; comparison?: string | null; choiceDate?: string | null },
): Promise<Marche> {
  const { m, order } = await openMarche(ctx, input.marcheId);
  if (order) throw new AppError('conflict', `Le bon de commande n° ${order.number} est déjà émis : le choix ne peut plus changer.`);
  const q = await ctx.store.db.selectFrom('quotes').selectAll().where('id', '=', input.quoteId).executeTakeFirst();
  const e: Record<string, string> = {};
  if (!q || q.marche_id !== m.id) e.quoteId = 'Ce devis n’appartient pas à ce marché.';
  const reason = input.reason.trim();
  if (reason.length < MIN_REASON_CHARS) {
    e.reason = `Rédigez la raison du choix (au moins ${MIN_REASON_CHARS} caractères) : prix, contenu, dates, référencement ANCT… Elle prouve le bon usage des deniers publics.`;
  }
  const choiceDate = blank(input.choiceDate) ?? ctx.now().toISOString().slice(0, 10);
  if (!isValidIsoDate(choiceDate)) e.choiceDate = 'Date invalide.';
  throwIfFieldErrors(e, 'Le choix ne peut pas être enregistré.');
  const before = { chosenQuoteId: m.chosen_quote_id, reason: m.choice_reason };
  await writeTransaction(ctx, async (trx) => {
    await trx
      .updateTable('marches')
      .set({ chosen_quote_id: q!.id, choice_reason: reason, choice_comparison: blank(input.comparison), choice_date: choiceDate, updated_at: ctx.now().toISOString() })
      .where('id', '=', m.id)
      .execute();
    await recordAudit(trx, ctx, { action: 'choose', entity: 'marche', entityId: m.id, before, after: { chosenQuoteId: q!.id, reason, choiceDate } });
  });
  return getMarche(ctx, m.id);
}

export interface OrderInput {
  marcheId: number;
  number: string;
  orderDate: string;
  contractStart?: string | null;
  contractEnd?: string | null;
  otherProcedureRef?: string | null;
  otherProcedureDate?: string | null;
  acceptWarnings?: boolean;
}

export interface OrderEvaluationOptions {
  /** Correcting the order already issued: it is checked again, not counted twice. */
  editing?: boolean;
  /** Corrected figures of the ordered quote: a quote correction re-checks its order. */
  quote?: { amount_ht_cents: number; vat_cents: number; quote_date: string };
  /** Corrected date of the consultation (demande de devis sent): a correction re-checks the order. */
  consultationDate?: string | null;
}

/** Every rule an order must pass, evaluated on the facts in the database. Nothing is written. */
export async function evaluateOrder(
  ctx: ServiceContext,
  input: OrderInput,
  opts: OrderEvaluationOptions = {},
): Promise<OrderEvaluation & { fields: Record<string, string> }> {
  const { m, order } = await openMarche(ctx, input.marcheId);
  if (opts.editing && !order) throw notFound(`Le bon de commande du marché n° ${m.id}`);
  const fields: Record<string, string> = {};
  const findings: Finding[] = [];
  if (order && !opts.editing) findings.push({ code: 'deja_commande', level: 'refus', message: `Le bon de commande n° ${order.number} est déjà émis pour ce marché.` });
  if (!isValidIsoDate(input.orderDate)) {
    fields.orderDate = 'Date invalide.';
    throw new AppError('validation', 'La date du bon de commande est invalide.', { fields });
  }
  const number = input.number.trim();
  if (number === '') fields.number = 'Indiquez le numéro du bon de commande.';
  else {
    const dup = await ctx.store.db.selectFrom('orders').select('marche_id').where('number', '=', number).executeTakeFirst();
    if (dup && dup.marche_id !== m.id) fields.number = `Le numéro ${number} est déjà utilisé par un autre bon de commande.`;
  }
  const cs = blank(input.contractStart);
  const ce = blank(input.contractEnd);
  if (cs && !isValidIsoDate(cs)) fields.contractStart = 'Date invalide.';
  if (ce && !isValidIsoDate(ce)) fields.contractEnd = 'Date invalide.';
  if (cs && ce && ce < cs) fields.contractEnd = `La fin du contrat (${frDate(ce)}) précède son début (${frDate(cs)}).`;
  const opRef = blank(input.otherProcedureRef);
  const opDate = blank(input.otherProcedureDate);
  if (opRef && (!opDate || !isValidIsoDate(opDate))) fields.otherProcedureDate = 'Indiquez la date de la procédure utilisée.';
  if (!opRef && opDate) fields.otherProcedureRef = 'Indiquez la référence de la procédure utilisée.';

  const stored = m.chosen_quote_id ? await ctx.store.db.selectFrom('quotes').selectAll().where('id', '=', m.chosen_quote_id).executeTakeFirst() : undefined;
  const quote = stored && opts.quote ? { ...stored, ...opts.quote } : stored;
  if (!quote) {
    findings.push({ code: 'pas_de_choix', level: 'refus', message: 'Choisissez d’abord une offre et rédigez la raison du choix.' });
  } else if (quote.quote_date > input.orderDate) {
    fields.orderDate = `Le bon de commande (${frDate(input.orderDate)}) ne peut pas précéder le devis retenu (${frDate(quote.quote_date)}).`;
  } else if (m.choice_date !== null && m.choice_date > input.orderDate) {
    fields.orderDate = `Le bon de commande (${frDate(input.orderDate)}) ne peut pas précéder le choix de l’offre (${frDate(m.choice_date)}) : corrigez la date du choix ou celle de la commande.`;
  }
  const amountHt = quote?.amount_ht_cents ?? 0;
  const amountTtc = quote ? quote.amount_ht_cents + quote.vat_cents : 0;

  // The threshold in force is the one of the day the consultation was engaged (décret n° 2025-1386,
  // art. 4): the demande de devis sent, else bounded by the earliest quote — never the order date.
  const recordedConsultation = opts.consultationDate !== undefined ? opts.consultationDate : m.consultation_date;
  const quoteDates = (await ctx.store.db.selectFrom('quotes').select(['id', 'quote_date']).where('marche_id', '=', m.id).execute()).map((q) =>
    opts.quote && stored && q.id === stored.id ? opts.quote.quote_date : q.quote_date,
  );
  const consultation = consultationDateOf({ recorded: recordedConsultation, quoteDates, orderDate: input.orderDate });
  if (consultation.source === 'demande_de_devis' && consultation.date > input.orderDate && !fields.orderDate) {
    fields.orderDate = `Le bon de commande (${frDate(input.orderDate)}) ne peut pas précéder l’envoi de la demande de devis (${frDate(consultation.date)}).`;
  }

  // Threshold: the sum HT of all the buyer's training purchases of the same civil year — the
  // orders of every convention, plus the département's other training purchases of the year.
  const year = input.orderDate.slice(0, 4);
  const { s } = await ctx.store.db
    .selectFrom('orders')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_ht_cents'), eb.lit(0)).as('s'))
    .where('order_date', '>=', `${year}-01-01`)
    .where('order_date', '<=', `${year}-12-31`)
    .where('marche_id', '!=', m.id)
    .executeTakeFirstOrThrow();
  const threshold = checkThreshold({
    orderDate: input.orderDate,
    consultation,
    amountHtCents: amountHt,
    otherOrdersSameYearHtCents: Number(s),
    otherPurchasesHtCents: await otherPurchasesOfYear(ctx, Number(year)),
    otherProcedure: opRef && opDate ? { reference: opRef, date: opDate } : null,
  });
  findings.push(...threshold.findings);

  const quoteCount = (await ctx.store.db.selectFrom('quotes').select('id').where('marche_id', '=', m.id).execute()).length;
  findings.push(...checkQuotesCompared(quoteCount));

  if (quote) {
    const of = await ctx.store.db.selectFrom('organismes').selectAll().where('id', '=', quote.organisme_id).executeTakeFirstOrThrow();
    findings.push(...checkOrganisme(organismeFacts(of), m.kind, input.orderDate));
    const previous = await ctx.store.db
      .selectFrom('orders')
      .select(['orders.organisme_id', 'orders.marche_id'])
      .select((eb) => eb.selectFrom('quotes').whereRef('quotes.marche_id', '=', 'orders.marche_id').select((e2) => e2.fn.countAll<number>().as('n')).as('quote_count'))
      .where('orders.order_date', '<=', input.orderDate)
      .where('orders.marche_id', '!=', m.id)
      .orderBy('orders.order_date', 'desc')
      .orderBy('orders.id', 'desc')
      .execute();
    findings.push(...checkSameSupplier(of.id, of.name, previous.map((p) => ({ organismeId: p.organisme_id, quoteCount: Number(p.quote_count) }))));
    // The next step, not a condition: the chosen OF is referenced with ANCT before the sessions.
    const proof = await ctx.store.db.selectFrom('pieces').select('id').where('owner_type', '=', 'organisme').where('owner_id', '=', of.id).where('role', '=', 'referencement_anct').executeTakeFirst();
    const referencing = anctReferencing(organismeFacts(of), proof !== undefined);
    if (referencing.status === 'non_reference' || referencing.status === 'preuve_manquante') {
      findings.push({ code: referencing.status === 'non_reference' ? 'anct_referencement_a_faire' : 'anct_preuve_a_joindre', level: 'info', message: `Étape suivante (ne bloque pas la commande) : ${referencing.message}` });
    }
    const budget = await budgetFigures(ctx, m.convention_id);
    findings.push(...checkOverspending({ receivedCents: budget.fundsReceived ? budget.receivedCents : null, alreadyCommittedCents: budget.totalCommittedCents - (opts.editing && order ? order.amount_ttc_cents : 0), newCents: amountTtc }));
  }
  const canSave = blocking(findings).length === 0 && Object.keys(fields).length === 0;
  return {
    thresholdCents: threshold.thresholdCents,
    thresholdSource: threshold.thresholdSource,
    consultationDate: threshold.consultationDate,
    consultationDateSource: threshold.consultationDateSource,
    otherPurchasesHtCents: threshold.otherPurchasesHtCents,
    yearTotalHtCents: threshold.yearTotalHtCents,
    percent: threshold.percent,
    amountHtCents: amountHt,
    amountTtcCents: amountTtc,
    findings,
    canSave,
    needsAcknowledgement: warnings(findings).length > 0,
    fields,
  };
}

export async function checkOrder(ctx: ServiceContext, input: OrderInput): Promise<OrderEvaluation> {
  const { fields: _fields, ...ev } = await evaluateOrder(ctx, input);
  return ev;
}

/** Refusals block; warnings must be acknowledged (acceptWarnings) — both with their French explanation. */
export function enforce(findings: Finding[], acceptWarnings: boolean | undefined, what: string, refused = 'refusé'): void {
  const refus = blocking(findings);
  if (refus.length > 0) {
    throw new AppError('validation', `${what} ${refused} : ${refus.map((f) => f.message).join(' ')}`, { details: { findings } });
  }
  const alerts = warnings(findings);
  if (alerts.length > 0 && !acceptWarnings) {
    throw new AppError('validation', `À confirmer avant d’enregistrer : ${alerts.map((f) => f.message).join(' ')}`, { details: { findings, needsAcknowledgement: true } });
  }
}

/** The order's columns from the officer's input and the rule check (creation and correction). */
export function orderColumns(input: OrderInput, ev: OrderEvaluation) {
  return {
    number: input.number.trim(),
    order_date: input.orderDate,
    amount_ht_cents: ev.amountHtCents,
    amount_ttc_cents: ev.amountTtcCents,
    contract_start: blank(input.contractStart),
    contract_end: blank(input.contractEnd),
    other_procedure_ref: blank(input.otherProcedureRef),
    other_procedure_date: blank(input.otherProcedureDate),
    threshold_cents: ev.thresholdCents,
    year_total_ht_cents: ev.yearTotalHtCents,
    findings_json: JSON.stringify(ev.findings),
  };
}

export async function createOrder(ctx: ServiceContext, input: OrderInput): Promise<Marche> {
  const ev = await evaluateOrder(ctx, input);
  throwIfFieldErrors(ev.fields, 'Le bon de commande ne peut pas être enregistré.');
  enforce(ev.findings, input.acceptWarnings, 'Bon de commande');
  const { m } = await openMarche(ctx, input.marcheId);
  const quote = await ctx.store.db.selectFrom('quotes').selectAll().where('id', '=', m.chosen_quote_id!).executeTakeFirstOrThrow();
  await writeTransaction(ctx, async (trx) => {
    const values = {
      marche_id: m.id,
      quote_id: quote.id,
      organisme_id: quote.organisme_id,
      ...orderColumns(input, ev),
      created_at: ctx.now().toISOString(),
    };
    const { id } = await trx.insertInto('orders').values(values).returning('id').executeTakeFirstOrThrow();
    await trx.updateTable('marches').set({ updated_at: ctx.now().toISOString() }).where('id', '=', m.id).execute();
    await recordAudit(trx, ctx, { action: 'create', entity: 'order', entityId: id, after: values });
  });
  return getMarche(ctx, m.id);
}

export async function addInvoice(ctx: ServiceContext, input: { orderId: number; number: string; invoiceDate: string; amountCents: number }): Promise<Marche> {
  const o = await ctx.store.db.selectFrom('orders').selectAll().where('id', '=', input.orderId).executeTakeFirst();
  if (!o) throw notFound(`Le bon de commande n° ${input.orderId}`);
  const e: Record<string, string> = {};
  const number = input.number.trim();
  if (number === '') e.number = 'Indiquez le numéro de la facture.';
  if (!isValidIsoDate(input.invoiceDate)) e.invoiceDate = 'Date invalide.';
  else if (input.invoiceDate < o.order_date) e.invoiceDate = `La facture (${frDate(input.invoiceDate)}) ne peut pas précéder le bon de commande (${frDate(o.order_date)}).`;
  if (input.amountCents <= 0) e.amountCents = 'Le montant de la facture doit être positif.';
  const invs = await ctx.store.db.selectFrom('invoices').select(['number', 'amount_cents']).where('order_id', '=', o.id).execute();
  if (invs.some((i) => i.number === number)) e.number = `La facture n° ${number} est déjà enregistrée pour cette commande.`;
  const invoiced = invs.reduce((s, i) => s + i.amount_cents, 0);
  if (invoiced + input.amountCents > o.amount_ttc_cents) {
    e.amountCents = `Facturé au total ${formatEuros(invoiced + input.amountCents)} pour une commande de ${formatEuros(o.amount_ttc_cents)} TTC : reste à facturer ${formatEuros(o.amount_ttc_cents - invoiced)}.`;
  }
  throwIfFieldErrors(e, 'La facture ne peut pas être enregistrée.');
  await writeTransaction(ctx, async (trx) => {
    const { id } = await trx
      .insertInto('invoices')
      .values({ order_id: o.id, number, invoice_date: input.invoiceDate, amount_cents: input.amountCents, created_at: ctx.now().toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx, { action: 'create', entity: 'invoice', entityId: id, after: input });
  });
  return getMarche(ctx, o.marche_id);
}

export async function addPayment(ctx: ServiceContext, input: { invoiceId: number; paymentDate: string; amountCents: number; mandateRef: string }): Promise<Marche> {
  const inv = await ctx.store.db
    .selectFrom('invoices')
    .innerJoin('orders', 'orders.id', 'invoices.order_id')
    .selectAll('invoices')
    .select('orders.marche_id')
    .where('invoices.id', '=', input.invoiceId)
    .executeTakeFirst();
  if (!inv) throw notFound(`La facture n° ${input.invoiceId}`);
  const e: Record<string, string> = {};
  const mandateRef = input.mandateRef.trim();
  if (mandateRef === '') e.mandateRef = 'Indiquez la référence du mandat de paiement.';
  if (!isValidIsoDate(input.paymentDate)) e.paymentDate = 'Date invalide.';
  else if (input.paymentDate < inv.invoice_date) e.paymentDate = `Le paiement (${frDate(input.paymentDate)}) ne peut pas précéder la facture (${frDate(inv.invoice_date)}).`;
  if (input.amountCents <= 0) e.amountCents = 'Le montant payé doit être positif.';
  const pays = await ctx.store.db.selectFrom('payments').select('amount_cents').where('invoice_id', '=', inv.id).execute();
  const paid = pays.reduce((s, p) => s + p.amount_cents, 0);
  if (paid + input.amountCents > inv.amount_cents) {
    e.amountCents = `Payé au total ${formatEuros(paid + input.amountCents)} pour une facture de ${formatEuros(inv.amount_cents)} : reste à payer ${formatEuros(inv.amount_cents - paid)}.`;
  }
  throwIfFieldErrors(e, 'Le paiement ne peut pas être enregistré.');
  await writeTransaction(ctx, async (trx) => {
    const { id } = await trx
      .insertInto('payments')
      .values({ invoice_id: inv.id, payment_date: input.paymentDate, amount_cents: input.amountCents, mandate_ref: mandateRef, created_at: ctx.now().toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx, { action: 'create', entity: 'payment', entityId: id, after: input });
  });
  return getMarche(ctx, inv.marche_id);
}
