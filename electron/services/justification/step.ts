// Step 5 progress for the home guide: what the readiness checklist says about the dossier.
import type { ServiceContext } from '../context';
import type { StepProgress } from '../guide/step';
import { readinessChecklist } from './checklist';

export async function justificationStep(ctx: ServiceContext, conventionId: number | null): Promise<StepProgress> {
  if (conventionId === null) return { status: 'a_faire', summary: 'Aucune convention : rien à justifier pour l’instant.' };
  const cl = await readinessChecklist(ctx, conventionId);
  if (cl.ready) return { status: 'termine', summary: 'Dossier de fin de convention complet : aucun élément manquant.' };
  const parts = cl.groups.filter((g) => g.missing > 0).map((g) => `${g.label.toLowerCase()} : ${g.missing}`);
  return { status: 'en_cours', summary: `${cl.missingCount} élément${cl.missingCount > 1 ? 's' : ''} manquant${cl.missingCount > 1 ? 's' : ''} au dossier (${parts.join(' ; ')}).` };
}
