// The département's other training purchases of a year — bought outside this app (other
// programmes, other services of the CD) — entered as ONE figure HT per civil year. They are
// homogeneous services of the same buyer (art. R2121-6/7): the annual sum compared with the
// threshold of the marché sans publicité ni mise en concurrence counts them with the orders.
import type { OtherPurchasesYear } from '../../../shared/ipc/channels/marche';
import { recordAudit } from '../audit';
import { type ServiceContext, writeTransaction } from '../context';
import { throwIfFieldErrors } from '../errors';

const blank = (s: string | null | undefined) => (s === undefined || s === null || s.trim() === '' ? null : s.trim());

export async function otherPurchasesOfYear(ctx: ServiceContext, year: number): Promise<number> {
  const r = await ctx.store.db.selectFrom('other_training_purchases').select('amount_ht_cents').where('year', '=', year).executeTakeFirst();
  return r?.amount_ht_cents ?? 0;
}

/** Every year with an order or a figure: the orders HT of the year (all conventions), the other purchases, the sum. */
export async function listOtherPurchases(ctx: ServiceContext): Promise<OtherPurchasesYear[]> {
  const figures = await ctx.store.db.selectFrom('other_training_purchases').selectAll().execute();
  const orders = await ctx.store.db
    .selectFrom('orders')
    .select((eb) => [eb.fn<string>('substr', ['order_date', eb.val(1), eb.val(4)]).as('y'), eb.fn.sum<number>('amount_ht_cents').as('s')])
    .groupBy('y')
    .execute();
  const years = new Set<number>([...figures.map((f) => f.year), ...orders.map((o) => Number(o.y))]);
  return [...years]
    .sort((a, b) => a - b)
    .map((year) => {
      const f = figures.find((x) => x.year === year);
      const ordersHt = Number(orders.find((o) => Number(o.y) === year)?.s ?? 0);
      const other = f?.amount_ht_cents ?? 0;
      return { year, amountHtCents: other, note: f?.note ?? null, updatedAt: f?.updated_at ?? null, ordersHtCents: ordersHt, totalHtCents: ordersHt + other };
    });
}

/** Sets the figure of a year (0 with no note removes it). Orders already issued keep the checks they were issued with. */
export async function setOtherPurchases(ctx: ServiceContext, input: { year: number; amountHtCents: number; note?: string | null }): Promise<OtherPurchasesYear[]> {
  const e: Record<string, string> = {};
  if (!Number.isInteger(input.year) || input.year < 2000 || input.year > 2100) e.year = 'Année invalide.';
  if (!Number.isInteger(input.amountHtCents) || input.amountHtCents < 0) e.amountHtCents = 'Le montant HT doit être positif ou nul.';
  throwIfFieldErrors(e, 'Les autres achats de formation ne peuvent pas être enregistrés.');
  const note = blank(input.note);
  const now = ctx.now().toISOString();
  await writeTransaction(ctx, async (trx) => {
    const before = await trx.selectFrom('other_training_purchases').selectAll().where('year', '=', input.year).executeTakeFirst();
    if (input.amountHtCents === 0 && note === null) {
      if (before) await trx.deleteFrom('other_training_purchases').where('year', '=', input.year).execute();
    } else if (before) {
      await trx.updateTable('other_training_purchases').set({ amount_ht_cents: input.amountHtCents, note, updated_at: now }).where('year', '=', input.year).execute();
    } else {
      await trx.insertInto('other_training_purchases').values({ year: input.year, amount_ht_cents: input.amountHtCents, note, updated_at: now }).execute();
    }
    await recordAudit(trx, ctx, { action: before ? 'update' : 'create', entity: 'other_training_purchases', entityId: input.year, before, after: { year: input.year, amount_ht_cents: input.amountHtCents, note } });
  });
  return listOtherPurchases(ctx);
}
