// Home: the five steps of the programme's guide, in order, with their status, and the
// dashboard of the selected convention. Every figure comes from the capability that owns it.
import type { Dashboard, Guide } from '../../../shared/ipc/channels/guide';
import type { ServiceContext } from '../context';
import { conventionStep } from '../convention/step';
import { getConvention, resolveConventionId } from '../convention/service';
import { justificationStep } from '../justification/step';
import { budgetFigures, marcheStep } from '../marche/budget';
import { recensementStep } from '../recensement/summary';
import { daysUntil } from '../convention/window';
import { countDepartures, sessionsStep } from '../sessions/departures';
import { notCountedShortLabels, type NotCountedCode } from '../sessions/rules';
import { statusLabels } from './step';
import { frDate } from '../common/dates';

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
  const today = ctx.now().toISOString().slice(0, 10);
  const daysLeft = daysUntil(c.endDate, today);
  const alerts: Dashboard['alerts'] = [];
  // The departures planned inside the window (the only ones that count) do not reach the target.
  if (dep.planned < c.departureTarget) {
    const missing = c.departureTarget - dep.planned;
    alerts.push({
      code: 'objectif_non_atteint',
      message:
        daysLeft >= 0
          ? `Les départs prévus avant la fin de la convention (${frDate(c.endDate)}, dans ${daysLeft} jour${daysLeft > 1 ? 's' : ''}) n’atteignent pas l’objectif : ${dep.planned} sur ${c.departureTarget}, il en manque ${missing}. Programmez des sessions avant cette date.`
          : `La convention a pris fin le ${frDate(c.endDate)} avec ${dep.planned} départs prévus sur ${c.departureTarget} : il en manque ${missing}.`,
      link: 'sessions',
    });
  }
  return {
    conventionId,
    amountCents: c.amountCents,
    receivedCents: c.fundsReceivedCents ?? 0,
    committedCents: budget.committedCents,
    paidCents: budget.paidCents,
    departures: { planned: dep.planned, done: dep.done, target: c.departureTarget },
    notCounted: (Object.entries(dep.notCounted ?? {}) as [NotCountedCode, number][]).map(([code, count]) => ({ code, label: notCountedShortLabels[code], count })),
    window: { signatureDate: c.signatureDate, endDate: c.endDate, daysLeft },
    alerts,
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
