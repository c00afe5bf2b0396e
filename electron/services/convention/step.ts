// Step 1 is done when the convention is signed, the funds received and the signed convention,
// avis SIRENE and RIB are attached.
import type { ServiceContext } from '../context';
import type { StepProgress } from '../guide/step';
import { pieceRoles } from '../pieces/roles';
import { getConvention } from './service';

export async function conventionStep(ctx: ServiceContext, conventionId: number | null): Promise<StepProgress> {
  if (conventionId === null) return { status: 'a_faire', summary: 'Aucune convention enregistrée.' };
  const c = await getConvention(ctx, conventionId);
  const attached = new Set(
    (
      await ctx.store.db
        .selectFrom('pieces')
        .select('role')
        .where('owner_type', '=', 'convention')
        .where('owner_id', '=', conventionId)
        .execute()
    ).map((p) => p.role),
  );
  const missing: string[] = [];
  if (!c.signatureDate) missing.push('date de signature');
  if (c.fundsReceivedCents === null) missing.push('réception des fonds');
  for (const r of pieceRoles.convention) if (r.required && !attached.has(r.role)) missing.push(r.label);
  if (missing.length === 0) return { status: 'termine', summary: 'Convention signée, fonds reçus, pièces jointes.' };
  return { status: 'en_cours', summary: `Manque : ${missing.join(' ; ')}.` };
}
