// The departure rule ("départs en formation"): one departure per person per training followed;
// planned when registered, done when attended. Filled by the Sessions capability; no session
// exists yet, so there is no departure.
import type { ServiceContext } from '../context';
import type { StepProgress } from '../guide/step';

export interface DepartureCounts {
  planned: number;
  done: number;
}

export async function countDepartures(_ctx: ServiceContext, _conventionId: number): Promise<DepartureCounts> {
  return { planned: 0, done: 0 };
}

export async function sessionsStep(_ctx: ServiceContext, _conventionId: number | null): Promise<StepProgress> {
  return { status: 'a_faire', summary: 'Aucune session programmée.' };
}
