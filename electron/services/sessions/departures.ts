// The departures of a convention — THE place where they are counted (countDepartures), used by
// the home guide and dashboard, stats --json, the budget (reliquat), the checklist, the bilan and
// the art. 5.2 table (through justification/departure-facts.ts, built on departureRows).
// The rule itself is in ./rules.ts (departuresFrom, completedParts, notCountedReasons): one
// departure per person per training content followed (AN + AC = 2, also when both are the two
// parts of one combined AN_AC training; one part completed = 1); planned when registered (not on
// a waiting list, not cancelled or moved, in a session that is not cancelled), done when the part
// is completed; never counted for a person the eligibility rules exclude, nor for a training
// outside the convention's window (convention/window.ts).
import type { ServiceContext } from '../context';
import type { StepProgress } from '../guide/step';
import type { TrainingKind } from '../../db/tables/marche';
import { sessionInWindow } from '../convention/window';
import { completedParts, departuresFrom, hasAttended, notCountedReasons, type DepartureCounts, type DepartureRow, type PartAttendance, type TrainingContent } from './rules';
import type { Cols } from '../../db/rows';

export type { DepartureCounts };

function tableExists(ctx: ServiceContext, name: string): boolean {
  return !!ctx.store.sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name);
}

function columnExists(ctx: ServiceContext, table: string, column: string): boolean {
  return (ctx.store.sqlite.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]).some((c) => c.name === column);
}

export interface RegistrationDeparture extends DepartureRow {
  registrationId: number;
  sessionId: number;
  /** At least one part completed (for AN or AC: attended). */
  attended: boolean;
  /** Present on every half-day of the session. */
  attendedAll: boolean;
}

/** The registrations of a convention that are departures (planned), each with the parts completed and why it would not count. */
export function departureRows(ctx: ServiceContext, conventionId: number): RegistrationDeparture[] {
  if (!tableExists(ctx, 'registrations')) return [];
  const sqlite = ctx.store.sqlite;
  const conv = sqlite.prepare('SELECT signature_date, end_date FROM conventions WHERE id = ?').get(conventionId) as { signature_date: string | null; end_date: string } | undefined;
  if (!conv) return [];
  const window = { signatureDate: conv.signature_date, endDate: conv.end_date };
  const rows = sqlite
    .prepare(
      `SELECT r.id, r.person_id, r.session_id, s.kind, r.partial_reason, p.eligible, p.ineligible_json,
         (SELECT min(date) FROM session_half_days h WHERE h.session_id = s.id) AS first_date,
         (SELECT max(date) FROM session_half_days h WHERE h.session_id = s.id) AS last_date
       FROM registrations r JOIN sessions s ON s.id = r.session_id JOIN people p ON p.id = r.person_id
       WHERE s.convention_id = ? AND s.status = 'prevue' AND r.status = 'inscrit'`,
    )
    .all(conventionId) as { id: number; person_id: number; session_id: number; kind: TrainingKind; partial_reason: string | null; eligible: number; ineligible_json: string; first_date: string | null; last_date: string | null }[];
  if (rows.length === 0) return [];
  // Each half-day of the sessions, with its part (combined trainings) and who was present on it.
  const withPart = columnExists(ctx, 'session_half_days', 'part');
  const halves = sqlite
    .prepare(
      `SELECT h.id, h.session_id, ${withPart ? 'h.part' : 'NULL AS part'} FROM session_half_days h JOIN sessions s ON s.id = h.session_id
       WHERE s.convention_id = ? AND s.status = 'prevue'`,
    )
    .all(conventionId) as { id: number; session_id: number; part: TrainingContent | null }[];
  const halvesOf = new Map<number, { id: number; part: TrainingContent | null }[]>();
  for (const h of halves) halvesOf.set(h.session_id, [...(halvesOf.get(h.session_id) ?? []), h]);
  const present = new Set(
    (
      sqlite
        .prepare(
          `SELECT a.registration_id, a.half_day_id FROM attendance a JOIN registrations r ON r.id = a.registration_id JOIN sessions s ON s.id = r.session_id
           WHERE s.convention_id = ? AND a.status = 'present'`,
        )
        .all(conventionId) as { registration_id: number; half_day_id: number }[]
    ).map((a) => `${a.registration_id}:${a.half_day_id}`),
  );
  return rows.map((r) => {
    const hs: PartAttendance[] = (halvesOf.get(r.session_id) ?? []).map((h) => ({ part: h.part, present: present.has(`${r.id}:${h.id}`) }));
    const completed = completedParts(r.kind, hs, r.partial_reason);
    return {
      registrationId: r.id,
      sessionId: r.session_id,
      personId: r.person_id,
      kind: r.kind,
      completed,
      notCounted: notCountedReasons({ ineligibleCodes: JSON.parse(r.ineligible_json) as string[], eligible: r.eligible === 1, inWindow: sessionInWindow(r.first_date, r.last_date, window) }),
      attended: completed.length > 0,
      attendedAll: hasAttended({ halfDays: hs.length, present: hs.filter((h) => h.present).length, partialReason: null }),
    };
  });
}

/**
 * THE count of departures of a convention: planned and done that count toward its target, and
 * the departures done that do not (by reason code). Every screen, export and document reads it.
 */
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
