// Home: the five steps of the programme's guide, in order, with their status, and the
// dashboard of the selected convention. Every figure comes from the capability that owns it.
import type { Dashboard, Guide } from '../../../shared/ipc/channels/guide';
import type { ServiceContext } from '../context';
import { conventionStep } from '../convention/step';
import { getConvention, resolveConventionId } from '../convention/service';
import { justificationStep } from '../justification/step';
import { budgetFigures, marcheStep } from '../marche/budget';
import { recensementStep } from '../recensement/summary';
import { countDepartures, sessionsStep } from '../sessions/departures';
import { statusLabels } from './step';

const STEPS = [
  { key: 'convention', title: 'Convention', progress: conventionStep },
  { key: 'recensement', title: 'Recensement des besoins', progress: recensementStep },
  { key: 'marche', title: 'Marché de formation', progress: marcheStep },
  { key: 'sessions', title: 'Cohortes et sessions', progress: sessionsStep },
  { key: 'justification', title: 'Présence et justification', progress: justificationStep },
] as const;

export async function dashboard(ctx: ServiceContext, conventionId: number): Promise<Dashboard> {
  const c = await getConvention(ctx, conventionId);
  const budget = await budgetFigures(ctx, conventionId);
  const dep = await countDepartures(ctx, conventionId);
  return {
    conventionId,
    amountCents: c.amountCents,
    receivedCents: c.fundsReceivedCents ?? 0,
    committedCents: budget.committedCents,
    paidCents: budget.paidCents,
    departures: { planned: dep.planned, done: dep.done, target: c.departureTarget },
  };
}

export async function guide(ctx: ServiceContext, requested?: number): Promise<Guide> {
  const conventionId = await resolveConventionId(ctx, requested);
  const steps = [];
  for (const [i, s] of STEPS.entries()) {
    const p = await s.progress(ctx, conventionId);
    steps.push({ key: s.key, number: i + 1, title: s.title, status: p.status, statusLabel: statusLabels[p.status], summary: p.summary });
  }
  return { conventionId, steps, dashboard: conventionId === null ? null : await dashboard(ctx, conventionId) };
}
