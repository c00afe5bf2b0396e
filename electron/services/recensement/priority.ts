// The guide's priority: « Les formations sont prioritairement destinées aux agents de
// collectivités locales et de l'État ». The rule reads the employer's type (eligibility.ts:
// isPublicAgent); this file lets SQL filter and count with the same rule (a function of the
// connection), so the people list's filter and the figures never disagree.
import type Database from 'better-sqlite3';
import type { ServiceContext } from '../context';
import { isPublicAgent } from './eligibility';

const registered = new WeakSet<Database.Database>();

/** Registers fne_public_agent(structure_type) → 1 | 0 on this connection (once). */
/** Registers fne_public_agent(type) on the app's connection (a SQL function: no write). */
export function registerPublicAgentFunction(ctx: ServiceContext): void {
  const { sqlite } = ctx.store;
  registerOn(sqlite);
}

function registerOn(sqlite: Database.Database): void {
  if (registered.has(sqlite)) return;
  sqlite.function('fne_public_agent', { deterministic: true }, (type: unknown) => (isPublicAgent(typeof type === 'string' ? type : null) ? 1 : 0));
  registered.add(sqlite);
}

/** People employed by a local authority or a State service (eligible or not). */
export function countPublicAgents(sqlite: Database.Database): number {
  registerOn(sqlite);
  return (sqlite.prepare('SELECT count(*) AS n FROM people p JOIN structures s ON s.id = p.structure_id WHERE fne_public_agent(s.type) = 1').get() as { n: number }).n;
}
