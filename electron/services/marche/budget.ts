// Budget of a convention: received; committed (orders TTC); invoiced; paid (orders);
// frais de gestion (planned on the convention, spent with pièces); engineering from the reliquat;
// remaining balance. The dashboard, `stats --json` and the budget screen all read THIS function.
import type { ServiceContext } from '../context';
import { getConvention } from '../convention/service';
import type { StepProgress } from '../guide/step';
import { formatEuros } from '../common/money';
import { countDepartures } from '../sessions/departures';
import { reliquatRule } from './rules';

export interface BudgetFigures {
  conventionId: number;
  amountCents: number;
  /** Funds received from ANCT (0 while not received). */
  receivedCents: number;
  fundsReceived: boolean;
  /** Committed: training orders (bons de commande), TTC. */
  committedCents: number;
  invoicedCents: number;
  /** Paid: payments of training invoices. */
  paidCents: number;
  fraisGestionPlannedCents: number;
  fraisGestionSpentCents: number;
  engineeringPlannedCents: number;
  engineeringSpentCents: number;
  /** Pay of the CD's internal trainers (décret n° 2010-235): a budget line of its own. */
  internalTrainersSpentCents: number;
  /** Everything the convention's money goes to: orders + frais de gestion + engineering + internal trainers (expenses are recorded once paid). */
  totalCommittedCents: number;
  /** received − totalCommitted (may be negative: then overspentCents > 0). */
  remainingCents: number;
  overspentCents: number;
  departures: { done: number; target: number };
  reliquat: { allowed: boolean; missing: number; message: string };
}

async function sumOf(q: Promise<{ s: number | string | null } | undefined>): Promise<number> {
  return Number((await q)?.s ?? 0);
}

export async function budgetFigures(ctx: ServiceContext, conventionId: number): Promise<BudgetFigures> {
  const c = await getConvention(ctx, conventionId);
  const db = ctx.store.db;
  const orders = await sumOf(
    db
      .selectFrom('orders')
      .innerJoin('marches', 'marches.id', 'orders.marche_id')
      .select((eb) => eb.fn.sum<number>('orders.amount_ttc_cents').as('s'))
      .where('marches.convention_id', '=', conventionId)
      .executeTakeFirst(),
  );
  const invoiced = await sumOf(
    db
      .selectFrom('invoices')
      .innerJoin('orders', 'orders.id', 'invoices.order_id')
      .innerJoin('marches', 'marches.id', 'orders.marche_id')
      .select((eb) => eb.fn.sum<number>('invoices.amount_cents').as('s'))
      .where('marches.convention_id', '=', conventionId)
      .executeTakeFirst(),
  );
  const paid = await sumOf(
    db
      .selectFrom('payments')
      .innerJoin('invoices', 'invoices.id', 'payments.invoice_id')
      .innerJoin('orders', 'orders.id', 'invoices.order_id')
      .innerJoin('marches', 'marches.id', 'orders.marche_id')
      .select((eb) => eb.fn.sum<number>('payments.amount_cents').as('s'))
      .where('marches.convention_id', '=', conventionId)
      .executeTakeFirst(),
  );
  const expense = (kind: 'frais_gestion' | 'ingenierie' | 'formateurs_internes') =>
    sumOf(
      db
        .selectFrom('expenses')
        .select((eb) => eb.fn.sum<number>('amount_cents').as('s'))
        .where('convention_id', '=', conventionId)
        .where('kind', '=', kind)
        .executeTakeFirst(),
    );
  const fg = await expense('frais_gestion');
  const eng = await expense('ingenierie');
  const internalTrainers = await expense('formateurs_internes');
  const received = c.fundsReceivedCents ?? 0;
  const total = orders + fg + eng + internalTrainers;
  const dep = await countDepartures(ctx, conventionId);
  return {
    conventionId,
    amountCents: c.amountCents,
    receivedCents: received,
    fundsReceived: c.fundsReceivedCents !== null,
    committedCents: orders,
    invoicedCents: invoiced,
    paidCents: paid,
    fraisGestionPlannedCents: c.fraisGestionPlannedCents,
    fraisGestionSpentCents: fg,
    engineeringPlannedCents: c.engineeringActions.reduce((s, a) => s + a.plannedCents, 0),
    engineeringSpentCents: eng,
    internalTrainersSpentCents: internalTrainers,
    totalCommittedCents: total,
    remainingCents: received - total,
    overspentCents: Math.max(0, total - received),
    departures: { done: dep.done, target: c.departureTarget },
    reliquat: reliquatRule(dep.done, c.departureTarget),
  };
}

/**
 * Step 3 is done when every need has its order with the signed bon de commande attached, and
 * every OF ordered from has its Qualiopi certificate attached.
 */
export async function marcheStep(ctx: ServiceContext, conventionId: number | null): Promise<StepProgress> {
  if (conventionId === null) return { status: 'a_faire', summary: 'Aucun marché enregistré.' };
  const marches = await ctx.store.db
    .selectFrom('marches')
    .leftJoin('orders', 'orders.marche_id', 'marches.id')
    .select(['marches.id', 'orders.id as order_id', 'orders.organisme_id'])
    .where('marches.convention_id', '=', conventionId)
    .execute();
  if (marches.length === 0) return { status: 'a_faire', summary: 'Aucun marché enregistré.' };
  const b = await budgetFigures(ctx, conventionId);
  const orderIds = marches.flatMap((m) => (m.order_id === null ? [] : [m.order_id]));
  const missing: string[] = [];
  const withoutOrder = marches.length - orderIds.length;
  if (withoutOrder > 0) missing.push(`${withoutOrder} besoin${withoutOrder > 1 ? 's' : ''} sans bon de commande`);
  if (orderIds.length > 0) {
    const signed = await ctx.store.db
      .selectFrom('pieces')
      .select('owner_id')
      .where('owner_type', '=', 'order')
      .where('role', '=', 'bon_de_commande')
      .where('owner_id', 'in', orderIds)
      .execute();
    const unsigned = orderIds.filter((id) => !signed.some((s) => s.owner_id === id)).length;
    if (unsigned > 0) missing.push(`${unsigned} bon${unsigned > 1 ? 's' : ''} de commande signé${unsigned > 1 ? 's' : ''} à joindre`);
    const ofIds = [...new Set(marches.flatMap((m) => (m.organisme_id === null ? [] : [m.organisme_id])))];
    const certs = await ctx.store.db
      .selectFrom('pieces')
      .select('owner_id')
      .where('owner_type', '=', 'organisme')
      .where('role', '=', 'certificat_qualiopi')
      .where('owner_id', 'in', ofIds)
      .execute();
    const noCert = ofIds.filter((id) => !certs.some((s) => s.owner_id === id)).length;
    if (noCert > 0) missing.push(`${noCert} certificat${noCert > 1 ? 's' : ''} Qualiopi à joindre`);
  }
  const figures = `${orderIds.length} commande${orderIds.length > 1 ? 's' : ''} (${formatEuros(b.committedCents)} TTC), payé ${formatEuros(b.paidCents)}`;
  if (missing.length === 0) return { status: 'termine', summary: `${figures}.` };
  return { status: 'en_cours', summary: `${figures}. Manque : ${missing.join(', ')}.` };
}
