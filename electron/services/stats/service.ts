// `stats --json`: one object other tools read. Its keys are a contract: keep them.
import type { Stats } from '../../../shared/ipc/channels/guide';
import type { ServiceContext } from '../context';
import { resolveConventionId } from '../convention/service';
import { dashboard } from '../guide/service';
import { recensementSummary } from '../recensement/summary';

export async function stats(ctx: ServiceContext, requested?: number): Promise<Stats> {
  const { n } = await ctx.store.db
    .selectFrom('conventions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const conventionId = await resolveConventionId(ctx, requested);
  const rec = await recensementSummary(ctx, conventionId);
  const d = conventionId === null ? null : await dashboard(ctx, conventionId);
  return {
    conventions: Number(n),
    structures: rec.structures,
    people: rec.people,
    eligible: rec.eligible,
    ineligible: rec.ineligible,
    warnings: rec.warnings,
    public_agents: rec.publicAgents,
    departures: {
      planned: d?.departures.planned ?? 0,
      done: d?.departures.done ?? 0,
      target: d?.departures.target ?? 0,
      not_counted: Object.fromEntries((d?.notCounted ?? []).map((n) => [n.code, n.count])),
    },
    budget: {
      amount_cents: d?.amountCents ?? 0,
      received_cents: d?.receivedCents ?? 0,
      committed_cents: d?.committedCents ?? 0,
      paid_cents: d?.paidCents ?? 0,
    },
  };
}
