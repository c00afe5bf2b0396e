// Recensement figures used by the home guide and `stats --json`: people, structures, eligible,
// ineligible people by reason code and people by warning code (from the stored decisions of
// eligibility.ts). People and structures are shared by all conventions of the département.
import type { ServiceContext } from '../context';
import type { StepProgress } from '../guide/step';
import { countPublicAgents } from './priority';

export interface RecensementSummary {
  structures: number;
  people: number;
  eligible: number;
  ineligible: Record<string, number>;
  warnings: Record<string, number>;
  /** People employed by a local authority or a State service: the guide's priority (priority.ts). */
  publicAgents: number;
}

export async function recensementSummary(ctx: ServiceContext, _conventionId: number | null): Promise<RecensementSummary> {
  const sqlite = ctx.store.sqlite;
  const { structures } = sqlite.prepare('SELECT count(*) AS structures FROM structures').get() as { structures: number };
  const { people, eligible } = sqlite.prepare('SELECT count(*) AS people, coalesce(sum(eligible), 0) AS eligible FROM people').get() as { people: number; eligible: number };
  const ineligible: Record<string, number> = {};
  for (const r of sqlite
    .prepare(`SELECT j.value AS code, count(*) AS n FROM people p, json_each(p.ineligible_json) j WHERE p.eligible = 0 GROUP BY j.value ORDER BY j.value`)
    .all() as { code: string; n: number }[]) {
    ineligible[r.code] = r.n;
  }
  const byOfficer = sqlite.prepare(`SELECT count(*) AS n FROM people WHERE eligible = 0 AND ineligible_json = '[]'`).get() as { n: number };
  if (byOfficer.n > 0) ineligible.decision_agent = byOfficer.n;
  const warnings: Record<string, number> = {};
  for (const r of sqlite
    .prepare(`SELECT j.value AS code, count(*) AS n FROM people p, json_each(p.warnings_json) j GROUP BY j.value ORDER BY j.value`)
    .all() as { code: string; n: number }[]) {
    warnings[r.code] = r.n;
  }
  return { structures, people, eligible, ineligible, warnings, publicAgents: countPublicAgents(sqlite) };
}

/** Step 2 is under way once people are listed; done when some are eligible and each has a training wished. */
export async function recensementStep(ctx: ServiceContext, conventionId: number | null): Promise<StepProgress> {
  const s = await recensementSummary(ctx, conventionId);
  if (s.people === 0) return { status: 'a_faire', summary: 'Aucun professionnel recensé : importez la liste de l’ANCT ou les réponses au formulaire.' };
  const { noWish } = ctx.store.sqlite.prepare('SELECT count(*) AS noWish FROM people WHERE eligible = 1 AND training_wish IS NULL').get() as { noWish: number };
  const inel = s.people - s.eligible;
  const base = `${s.people} professionnel${s.people > 1 ? 's' : ''} dans ${s.structures} structure${s.structures > 1 ? 's' : ''} : ${s.eligible} éligible${s.eligible > 1 ? 's' : ''}, ${inel} non éligible${inel > 1 ? 's' : ''}. Agents publics (prioritaires selon le guide) : ${s.publicAgents}.`;
  if (s.eligible > 0 && noWish === 0) return { status: 'termine', summary: base };
  return { status: 'en_cours', summary: noWish > 0 ? `${base} Formation souhaitée à préciser pour ${noWish}.` : base };
}
