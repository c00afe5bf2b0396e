// Recensement figures used by the home guide and `stats --json`.
// Filled by the Recensement capability (people, structures, eligibility); nothing is recorded yet.
import type { ServiceContext } from '../context';
import type { StepProgress } from '../guide/step';

export interface RecensementSummary {
  structures: number;
  people: number;
  eligible: number;
  ineligible: Record<string, number>;
  warnings: Record<string, number>;
}

export async function recensementSummary(_ctx: ServiceContext, _conventionId: number | null): Promise<RecensementSummary> {
  return { structures: 0, people: 0, eligible: 0, ineligible: {}, warnings: {} };
}

export async function recensementStep(_ctx: ServiceContext, _conventionId: number | null): Promise<StepProgress> {
  return { status: 'a_faire', summary: 'Aucun professionnel recensé.' };
}
