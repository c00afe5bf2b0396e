// The ANCT referencing of the OF chosen, read where it matters: on each session it runs (a
// warning with the screen that fixes it) — never a condition of the order. The rule itself lives
// in ./rules.ts (anctReferencing, sessionReferencingWarning).
import type { ServiceContext } from '../context';
import { sessionReferencingWarning } from './rules';

export interface SessionWarning {
  code: string;
  message: string;
  /** Route of the renderer that corrects it. */
  link: string | null;
}

/** The referencing warning of a session run by `organismeId` (none for the internal trainers or without an OF). */
export async function sessionReferencingWarnings(ctx: ServiceContext, organismeId: number | null, firstDate: string | null): Promise<SessionWarning[]> {
  if (organismeId === null) return [];
  const of = await ctx.store.db.selectFrom('organismes').select(['id', 'name', 'is_internal', 'anct_referenced_date']).where('id', '=', organismeId).executeTakeFirst();
  if (!of) return [];
  const proof = await ctx.store.db.selectFrom('pieces').select('id').where('owner_type', '=', 'organisme').where('owner_id', '=', of.id).where('role', '=', 'referencement_anct').executeTakeFirst();
  const w = sessionReferencingWarning({ name: of.name, isInternal: of.is_internal === 1, anctReferencedDate: of.anct_referenced_date }, proof !== undefined, firstDate);
  return w ? [{ ...w, link: `marche/organismes/${of.id}` }] : [];
}
