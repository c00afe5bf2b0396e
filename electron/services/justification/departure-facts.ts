// Every registration of the convention's sessions that is, or should become, a departure, with
// what the dossier needs to prove it. Built ON the one departure rule (sessions/departures.ts:
// departureRows — the same registrations, the same `attended` flag): this file only adds the
// facts around each row (person, employer, OF, training title, dates, attendance state, Pix).
// While the Sessions capability's tables do not exist (older database), there is no departure.
import type { ServiceContext } from '../context';
import type { TrainingKind } from '../../db/tables/marche';
import { departureRows } from '../sessions/departures';
import { includesAidantsConnect, type NotCountedCode, type TrainingContent } from '../sessions/rules';
import type { Cols } from '../../db/rows';

export type AttendanceState = 'complete' | 'one_part' | 'partial_accepted' | 'partial' | 'absent' | 'not_recorded' | 'future';

export const attendanceStateLabels: Record<AttendanceState, string> = {
  complete: 'Présent sur toutes les demi-journées',
  one_part: 'Présent sur une seule des deux parties de la formation combinée (un départ)',
  partial_accepted: 'Présence partielle acceptée',
  partial: 'Présence partielle (à accepter avec un motif, sinon pas un départ)',
  absent: 'Absent',
  not_recorded: 'Présence à saisir',
  future: 'Session à venir',
};

export interface DepartureFact {
  registrationId: number;
  personId: number;
  nom: string;
  prenom: string;
  structureId: number | null;
  structureName: string | null;
  structureSiret: string | null;
  structureType: string | null;
  sessionId: number;
  sessionTitle: string;
  kind: TrainingKind;
  /** Training title as the OF names it (order's training, else the session's title). */
  trainingTitle: string;
  organismeId: number | null;
  organismeName: string | null;
  /** Half-day dates of the session, sorted. */
  dates: string[];
  firstDate: string | null;
  lastDate: string | null;
  halfDays: number;
  /** Half-days whose attendance is recorded (present, absent or excused). */
  recorded: number;
  present: number;
  attendance: AttendanceState;
  partialReason: string | null;
  /** Attended: at least one part of the training completed (present on all its half-days, or partial accepted with a reason). */
  attended: boolean;
  /** The parts completed: AN, AC, or both for a combined training (each is one departure). */
  completed: readonly TrainingContent[];
  /** Why these departures never count toward the target (empty: they count). sessions/rules.ts: notCountedReasons. */
  notCounted: readonly NotCountedCode[];
  pixDate: string | null;
  /** The officer's written reason for registering a person the rules declare not eligible. */
  overrideReason: string | null;
  /** The person's eligibility warnings (recensement/eligibility.ts warningRules codes, e.g. opco_inconnu). */
  personWarnings: string[];
}

/**
 * The attendance state of a registration, as the checklist and the dossier read it:
 * - attended (the departure rule): complete, or partial accepted with its reason;
 * - a session not finished yet (last half-day after today) asks nothing yet: future;
 * - finished: some half-day not recorded → not_recorded; present nowhere → absent; else partial.
 */
export function attendanceState(a: { attended: boolean; halfDays: number; recorded: number; present: number; lastDate: string | null; today: string; partialReason: string | null }): AttendanceState {
  if (a.attended) return a.present >= a.halfDays ? 'complete' : (a.partialReason ?? '').trim() === '' ? 'one_part' : 'partial_accepted';
  if (a.lastDate !== null && a.lastDate > a.today) return 'future';
  if (a.recorded < a.halfDays || a.halfDays === 0) return 'not_recorded';
  return a.present === 0 ? 'absent' : 'partial';
}

interface DetailRow {
  id: number;
  person_id: number;
  nom: string;
  prenom: string;
  structure_id: number | null;
  structure_name: string | null;
  structure_siret: string | null;
  structure_type: string | null;
  session_id: number;
  session_title: string;
  kind: TrainingKind;
  organisme_id: number | null;
  organisme_name: string | null;
  quote_training: string | null;
  partial_reason: string | null;
  recorded: number;
  present: number;
  pix_on: string | null;
  override_reason: string | null;
  warnings_json: string;
}

const CHUNK = 500;

export async function loadDepartures(ctx: ServiceContext, conventionId: number): Promise<DepartureFact[]> {
  const rows = departureRows(ctx, conventionId);
  if (rows.length === 0) return [];
  const sqlite = ctx.store.sqlite;
  const details = new Map<number, DetailRow>();
  const ids = rows.map((r) => r.registrationId);
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const got = sqlite
      .prepare(
        `SELECT r.id, r.person_id, p.nom, p.prenom, p.structure_id, st.name AS structure_name, st.siret AS structure_siret, st.type AS structure_type,
           s.id AS session_id, s.title AS session_title, s.kind, s.organisme_id, org.name AS organisme_name,
           ot.title AS quote_training, r.partial_reason,
           (SELECT count(*) FROM attendance a WHERE a.registration_id = r.id) AS recorded,
           (SELECT count(*) FROM attendance a WHERE a.registration_id = r.id AND a.status = 'present') AS present,
           f.pix_on, r.override_reason, p.warnings_json
         FROM registrations r
         JOIN sessions s ON s.id = r.session_id
         JOIN people p ON p.id = r.person_id
         LEFT JOIN structures st ON st.id = p.structure_id
         LEFT JOIN organismes org ON org.id = s.organisme_id
         LEFT JOIN orders o ON o.id = s.order_id
         LEFT JOIN quotes q ON q.id = o.quote_id
         LEFT JOIN organisme_trainings ot ON ot.id = q.training_id
         LEFT JOIN ac_followups f ON f.person_id = r.person_id
         WHERE r.id IN (${chunk.map(() => '?').join(',')})`,
      )
      .all(...chunk) as DetailRow[];
    for (const d of got) details.set(d.id, d);
  }
  // Half-day dates per session, sorted.
  const sessionIds = [...new Set(rows.map((r) => r.sessionId))];
  const dates = new Map<number, string[]>();
  for (let i = 0; i < sessionIds.length; i += CHUNK) {
    const chunk = sessionIds.slice(i, i + CHUNK);
    const hs = sqlite
      .prepare(`SELECT session_id, date FROM session_half_days WHERE session_id IN (${chunk.map(() => '?').join(',')}) ORDER BY session_id, date, CASE period WHEN 'matin' THEN 0 ELSE 1 END`)
      .all(...chunk) as { session_id: number; date: string }[];
    for (const h of hs) dates.set(h.session_id, [...(dates.get(h.session_id) ?? []), h.date]);
  }
  // The OF's catalogue title when its order does not name the training: its one training of that kind.
  const catalogue = new Map<string, string[]>();
  for (const t of sqlite.prepare('SELECT organisme_id, kind, title FROM organisme_trainings ORDER BY id').all() as Cols<'organisme_trainings', 'organisme_id' | 'kind' | 'title'>[]) {
    const k = `${t.organisme_id}:${t.kind}`;
    catalogue.set(k, [...(catalogue.get(k) ?? []), t.title]);
  }
  const today = ctx.now().toISOString().slice(0, 10);
  const out: DepartureFact[] = [];
  for (const r of rows) {
    const d = details.get(r.registrationId)!;
    const ds = dates.get(r.sessionId) ?? [];
    const firstDate = ds.length ? ds[0] : null;
    const lastDate = ds.length ? ds[ds.length - 1] : null;
    const titles = d.organisme_id === null ? [] : (catalogue.get(`${d.organisme_id}:${d.kind}`) ?? []);
    const trainingTitle = d.quote_training ?? (titles.length === 1 ? titles[0] : d.session_title);
    out.push({
      registrationId: r.registrationId,
      personId: d.person_id,
      nom: d.nom,
      prenom: d.prenom,
      structureId: d.structure_id,
      structureName: d.structure_name,
      structureSiret: d.structure_siret,
      structureType: d.structure_type,
      sessionId: d.session_id,
      sessionTitle: d.session_title,
      kind: d.kind,
      trainingTitle,
      organismeId: d.organisme_id,
      organismeName: d.organisme_name,
      dates: ds,
      firstDate,
      lastDate,
      halfDays: ds.length,
      recorded: d.recorded,
      present: d.present,
      attendance: attendanceState({ attended: r.attended, halfDays: ds.length, recorded: d.recorded, present: d.present, lastDate, today, partialReason: d.partial_reason }),
      partialReason: d.partial_reason,
      attended: r.attended,
      completed: r.completed,
      notCounted: r.notCounted,
      // The follow-up is per person: its Pix date belongs to the training that includes Aidants Connect.
      pixDate: includesAidantsConnect(d.kind) ? d.pix_on : null,
      overrideReason: d.override_reason,
      personWarnings: JSON.parse(d.warnings_json) as string[],
    });
  }
  return out.sort((a, b) => a.registrationId - b.registrationId);
}
