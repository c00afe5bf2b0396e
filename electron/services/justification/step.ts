// Step 5 progress (attendance, certificates, dossier). Filled by the Justification capability.
import type { ServiceContext } from '../context';
import type { StepProgress } from '../guide/step';

export async function justificationStep(_ctx: ServiceContext, _conventionId: number | null): Promise<StepProgress> {
  return { status: 'a_faire', summary: 'Aucune présence enregistrée.' };
}
