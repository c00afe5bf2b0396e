// Budget figures of a convention (committed by orders, paid). Filled by the Marché capability;
// no order exists yet, so nothing is committed or paid.
import type { ServiceContext } from '../context';
import type { StepProgress } from '../guide/step';

export interface BudgetFigures {
  committedCents: number;
  paidCents: number;
}

export async function budgetFigures(_ctx: ServiceContext, _conventionId: number): Promise<BudgetFigures> {
  return { committedCents: 0, paidCents: 0 };
}

export async function marcheStep(_ctx: ServiceContext, _conventionId: number | null): Promise<StepProgress> {
  return { status: 'a_faire', summary: 'Aucun marché enregistré.' };
}
