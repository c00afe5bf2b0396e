// The departure rule ("départs en formation"), used by the home guide, the dashboard, stats --json
// and the dossier: one departure per person per training followed (AN + AC = 2 departures; AN_AC
// is one training); planned when registered (not on a waiting list, not cancelled or moved, in a
// session that is not cancelled), done when attended (./rules.ts: hasAttended, departuresFrom).
import type { ServiceContext } from '../context';
import type { StepProgress } from '../guide/step';
import type { TrainingKind } from '../../db/tables/marche';
import { departuresFrom, hasAttended, type DepartureRow } from './rules';
import type { Cols } from '../../db/rows';

export interface DepartureCounts {
  planned: number;
  done: number;
}

function tableExists(ctx: ServiceContext, name: string): boolean {
  return !!ctx.store.sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name);
}

/** The registrations of a convention that are departures (planned), each with attended or not. */
export function departureRows(ctx: ServiceContext, conventionId: number): (DepartureRow & { registrationId: number; sessionId: number })[] {
  if (!tableExists(ctx, 'registrations')) return [];
  const rows = ctx.store.sqlite
    .prepare(
      `SELECT r.id, r.person_id, r.session_id, s.kind, r.partial_reason,
         (SELECT count(*) FROM session_half_days h WHERE h.session_id = s.id) AS half_days,
         (SELECT count(*) FROM attendance a WHERE a.registration_id = r.id AND a.status = 'present') AS present
       FROM registrations r JOIN sessions s ON s.id = r.session_id
       WHERE s.convention_id = ? AND s.status = 'prevue' AND r.status = 'inscrit'`,
    )
    .all(conventionId) as { id: number; person_id: number; session_id: number; kind: TrainingKind; partial_reason: string | null; half_days: number; present: number }[];
  return rows.map((r) => ({
    registrationId: r.id,
    sessionId: r.session_id,
    personId: r.person_id,
    kind: r.kind,
    attended: hasAttended({ halfDays: r.half_days, present: r.present, partialReason: r.partial_reason }),
  }));
}

export async function countDepartures(ctx: ServiceContext, conventionId: number): Promise<DepartureCounts> {
  return departuresFrom(departureRows(ctx, conventionId));
}

export async function sessionsStep(ctx: ServiceContext, conventionId: number | null): Promise<StepProgress> {
  if (conventionId === null || !tableExists(ctx, 'sessions')) return { status: 'a_faire', summary: 'Aucune session programmée.' };
  const s = ctx.store.sqlite
    .prepare(
      `SELECT count(*) AS n,
         sum(CASE WHEN (SELECT max(date) FROM session_half_days h WHERE h.session_id = s.id) < ? THEN 1 ELSE 0 END) AS past
       FROM sessions s WHERE s.convention_id = ? AND s.status = 'prevue'`,
    )
    .get(ctx.now().toISOString().slice(0, 10), conventionId) as { n: number; past: number | null };
  if (s.n === 0) return { status: 'a_faire', summary: 'Aucune session programmée.' };
  const d = await countDepartures(ctx, conventionId);
  const target = (ctx.store.sqlite.prepare('SELECT departure_target FROM conventions WHERE id = ?').get(conventionId) as Cols<'conventions', 'departure_target'> | undefined)?.departure_target ?? 0;
  const sessions = `${s.n} session${s.n > 1 ? 's' : ''} (${s.past ?? 0} passée${(s.past ?? 0) > 1 ? 's' : ''})`;
  const summary = `${sessions} ; ${d.planned} départ${d.planned > 1 ? 's' : ''} prévu${d.planned > 1 ? 's' : ''}, ${d.done} réalisé${d.done > 1 ? 's' : ''} sur ${target}.`;
  return { status: target > 0 && d.planned >= target && (s.past ?? 0) === s.n ? 'termine' : 'en_cours', summary };
}
