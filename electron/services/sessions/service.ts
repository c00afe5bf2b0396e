// Step 4 — sessions and cohorts: create, edit, cancel, list, detail. The assignment of people
// is in ./registrations.ts, the departure rule in ./departures.ts, the rules in ./rules.ts.
import type { Participant, SessionDetail, SessionSummary, SessionValuesInput } from '../../../shared/ipc/channels/sessions';
import type { TrainingKind } from '../../db/tables/marche';
import type { HalfDayPeriod } from '../../db/tables/sessions';
import { recordAudit } from '../audit';
import { frDate, isValidIsoDate } from '../common/dates';
import { type ServiceContext, writeTransaction } from '../context';
import { AppError, notFound, throwIfFieldErrors } from '../errors';
import { sessionReferencingWarnings } from '../marche/referencing';
import { backupBefore } from '../sauvegarde/backup';
import { sessionWindowWarning } from '../convention/window';
import { completedParts, defaultCapacity, notCountedCodes, notCountedReasons, registrationWarningMessage, refusalCodes, trainingKindLabels, type TrainingContent } from './rules';
import type { Cols } from '../../db/rows';

export const periodLabels: Record<HalfDayPeriod, string> = { matin: 'matin', apres_midi: 'après-midi' };
export const modalityLabels = { presentiel: 'Présentiel', distance: 'À distance' } as const;
const DEFAULT_HOURS: Record<HalfDayPeriod, [string, string]> = { matin: ['09:00', '12:30'], apres_midi: ['13:30', '17:00'] };

function blank(s: string | null | undefined): string | null {
  if (s === undefined || s === null) return null;
  const t = s.trim();
  return t === '' ? null : t;
}

function minutes(t: string): number {
  const [h, m] = t.split(':').map(Number);
  return h * 60 + m;
}

export function halfDayLabel(h: { date: string; period: HalfDayPeriod }): string {
  return `${frDate(h.date)} ${periodLabels[h.period]}`;
}

interface SessionRow {
  id: number;
  convention_id: number;
  cohort_id: number | null;
  cohort_label: string | null;
  order_id: number | null;
  order_number: string | null;
  organisme_id: number | null;
  organisme_name: string | null;
  internal: number;
  kind: TrainingKind;
  title: string;
  modality: 'presentiel' | 'distance';
  place: string | null;
  capacity: number;
  trainers_json: string;
  status: 'prevue' | 'annulee';
  cancel_reason: string | null;
  note: string | null;
  created_at: string;
  updated_at: string;
  registered: number;
  waiting: number;
  first_date: string | null;
  last_date: string | null;
  half_days: number;
  minutes: number | null;
  conv_signature_date: string | null;
  conv_end_date: string;
}

const SESSION_SELECT = `
  SELECT s.*, c.label AS cohort_label, o.number AS order_number, org.name AS organisme_name,
    cv.signature_date AS conv_signature_date, cv.end_date AS conv_end_date,
    (SELECT count(*) FROM registrations r WHERE r.session_id = s.id AND r.status = 'inscrit') AS registered,
    (SELECT count(*) FROM registrations r WHERE r.session_id = s.id AND r.status = 'attente') AS waiting,
    (SELECT min(date) FROM session_half_days h WHERE h.session_id = s.id) AS first_date,
    (SELECT max(date) FROM session_half_days h WHERE h.session_id = s.id) AS last_date,
    (SELECT count(*) FROM session_half_days h WHERE h.session_id = s.id) AS half_days,
    (SELECT sum((CAST(substr(end_time, 1, 2) AS INTEGER) * 60 + CAST(substr(end_time, 4, 2) AS INTEGER))
              - (CAST(substr(start_time, 1, 2) AS INTEGER) * 60 + CAST(substr(start_time, 4, 2) AS INTEGER)))
       FROM session_half_days h WHERE h.session_id = s.id) AS minutes
  FROM sessions s
  JOIN conventions cv ON cv.id = s.convention_id
  LEFT JOIN cohorts c ON c.id = s.cohort_id
  LEFT JOIN orders o ON o.id = s.order_id
  LEFT JOIN organismes org ON org.id = s.organisme_id`;

interface AttRow {
  registration_id: number;
  half_day_id: number;
  status: 'present' | 'absent' | 'excuse';
}

/** Attendance facts of registrations: half-days of their session, present count, attended (at least one part completed: rules.ts completedParts). */
export function attendanceOf(ctx: ServiceContext, registrationIds: number[]): Map<number, { rows: AttRow[]; present: number; halfDays: number; attended: boolean; completed: TrainingContent[] }> {
  const out = new Map<number, { rows: AttRow[]; present: number; halfDays: number; attended: boolean; completed: TrainingContent[] }>();
  if (registrationIds.length === 0) return out;
  const ph = registrationIds.map(() => '?').join(',');
  const regs = ctx.store.sqlite
    .prepare(`SELECT r.id, r.session_id, r.partial_reason, s.kind FROM registrations r JOIN sessions s ON s.id = r.session_id WHERE r.id IN (${ph})`)
    .all(...registrationIds) as { id: number; session_id: number; partial_reason: string | null; kind: TrainingKind }[];
  const sessionIds = [...new Set(regs.map((r) => r.session_id))];
  const halves = ctx.store.sqlite
    .prepare(`SELECT id, session_id, part FROM session_half_days WHERE session_id IN (${sessionIds.map(() => '?').join(',') || 'NULL'})`)
    .all(...sessionIds) as { id: number; session_id: number; part: TrainingContent | null }[];
  const att = ctx.store.sqlite.prepare(`SELECT registration_id, half_day_id, status FROM attendance WHERE registration_id IN (${ph})`).all(...registrationIds) as AttRow[];
  for (const r of regs) {
    const rows = att.filter((a) => a.registration_id === r.id);
    const presentOn = new Set(rows.filter((a) => a.status === 'present').map((a) => a.half_day_id));
    const hs = halves.filter((h) => h.session_id === r.session_id);
    const completed = completedParts(r.kind, hs.map((h) => ({ part: h.part, present: presentOn.has(h.id) })), r.partial_reason);
    out.set(r.id, { rows, present: presentOn.size, halfDays: hs.length, attended: completed.length > 0, completed });
  }
  return out;
}

function toSummary(r: SessionRow, attended: number): SessionSummary {
  return {
    id: r.id,
    conventionId: r.convention_id,
    cohortId: r.cohort_id,
    cohortLabel: r.cohort_label,
    kind: r.kind,
    kindLabel: trainingKindLabels[r.kind],
    title: r.title,
    modality: r.modality,
    place: r.place,
    orderId: r.order_id,
    orderNumber: r.order_number,
    organismeId: r.organisme_id,
    organismeName: r.organisme_name,
    internal: r.internal === 1,
    capacity: r.capacity,
    registered: r.registered,
    waiting: r.waiting,
    attended,
    firstDate: r.first_date,
    lastDate: r.last_date,
    halfDayCount: r.half_days,
    hours: Math.round(((r.minutes ?? 0) / 60) * 100) / 100,
    status: r.status,
    cancelReason: r.cancel_reason,
    warnings: sessionWarnings(r),
  };
}

/** What to check on a session: held outside the convention's window (kept, but its departures do not count). */
function sessionWarnings(r: SessionRow): { code: string; message: string }[] {
  if (r.status === 'annulee') return [];
  const w = sessionWindowWarning(r.first_date, r.last_date, { signatureDate: r.conv_signature_date, endDate: r.conv_end_date });
  return w ? [{ code: 'hors_fenetre', message: w }] : [];
}

function attendedCount(ctx: ServiceContext, sessionId: number): number {
  const ids = (ctx.store.sqlite.prepare(`SELECT id FROM registrations WHERE session_id = ? AND status = 'inscrit'`).all(sessionId) as Cols<'registrations', 'id'>[]).map((r) => r.id);
  let n = 0;
  for (const a of attendanceOf(ctx, ids).values()) if (a.attended) n++;
  return n;
}

export async function listSessions(ctx: ServiceContext, conventionId: number): Promise<SessionSummary[]> {
  const rows = ctx.store.sqlite.prepare(`${SESSION_SELECT} WHERE s.convention_id = ? ORDER BY first_date IS NULL, first_date, s.id`).all(conventionId) as SessionRow[];
  return rows.map((r) => toSummary(r, attendedCount(ctx, r.id)));
}

interface ParticipantRow {
  id: number;
  person_id: number;
  nom: string;
  prenom: string;
  email: string | null;
  profession: string | null;
  structure_name: string | null;
  status: Participant['status'];
  registered_at: string;
  override_reason: string | null;
  warnings_json: string;
  moved_from_session_id: number | null;
  moved_to_session_id: number | null;
  moved_to_session_title: string | null;
  cancel_reason: string | null;
  partial_reason: string | null;
  eligible: number;
  ineligible_json: string;
}

export async function getSession(ctx: ServiceContext, id: number): Promise<SessionDetail> {
  const r = ctx.store.sqlite.prepare(`${SESSION_SELECT} WHERE s.id = ?`).get(id) as SessionRow | undefined;
  if (!r) throw notFound(`La session n° ${id}`);
  const conv = ctx.store.sqlite.prepare('SELECT label FROM conventions WHERE id = ?').get(r.convention_id) as Cols<'conventions', 'label'>;
  const halfDays = ctx.store.sqlite
    .prepare('SELECT id, date, period, start_time, end_time, part FROM session_half_days WHERE session_id = ? ORDER BY date, CASE period WHEN \'matin\' THEN 0 ELSE 1 END')
    .all(id) as Cols<'session_half_days', 'id' | 'date' | 'period' | 'start_time' | 'end_time' | 'part'>[];
  const parts = ctx.store.sqlite
    .prepare(
      `SELECT r.id, r.person_id, p.nom, p.prenom, p.email, p.profession, st.name AS structure_name, r.status, r.registered_at, r.override_reason,
         r.warnings_json, rf.session_id AS moved_from_session_id, rt.session_id AS moved_to_session_id, ts.title AS moved_to_session_title,
         r.cancel_reason, r.partial_reason, p.eligible, p.ineligible_json
       FROM registrations r JOIN people p ON p.id = r.person_id LEFT JOIN structures st ON st.id = p.structure_id
       LEFT JOIN registrations rf ON rf.id = r.moved_from_id LEFT JOIN registrations rt ON rt.id = r.moved_to_id
       LEFT JOIN sessions ts ON ts.id = rt.session_id
       WHERE r.session_id = ?
       ORDER BY CASE r.status WHEN 'inscrit' THEN 0 WHEN 'attente' THEN 1 ELSE 2 END,
                CASE WHEN r.status = 'attente' THEN r.registered_at END, p.name_key, r.id`,
    )
    .all(id) as ParticipantRow[];
  const att = attendanceOf(ctx, parts.map((p) => p.id));
  const participants: Participant[] = parts.map((p) => toParticipant(p, att.get(p.id)));
  const summary = toSummary(r, participants.filter((p) => p.status === 'inscrit' && p.attended).length);
  // The session's own warnings (outside the convention's window…), then the OF's referencing.
  const referencing = r.status === 'annulee' ? [] : await sessionReferencingWarnings(ctx, r.organisme_id, r.first_date);
  return {
    ...summary,
    warnings: [...summary.warnings.map((w) => ({ ...w, link: null })), ...referencing],
    trainers: JSON.parse(r.trainers_json) as string[],
    note: r.note,
    halfDays: halfDays.map((h) => ({ id: h.id, date: h.date, period: h.period, start: h.start_time, end: h.end_time, label: halfDayLabel(h), part: h.part })),
    participants,
    conventionLabel: conv.label,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function toParticipant(p: ParticipantRow, a: { rows: AttRow[]; present: number; attended: boolean; completed: TrainingContent[] } | undefined): Participant {
  // The window is the session's (its warnings); here, what is the person's own.
  const notCounted = notCountedReasons({ ineligibleCodes: JSON.parse(p.ineligible_json) as string[], eligible: p.eligible === 1, inWindow: true });
  return {
    registrationId: p.id,
    personId: p.person_id,
    nom: p.nom,
    prenom: p.prenom,
    email: p.email,
    profession: p.profession,
    structureName: p.structure_name,
    status: p.status,
    registeredAt: p.registered_at,
    overrideReason: p.override_reason,
    warnings: (JSON.parse(p.warnings_json) as string[]).map((code) => ({ code, message: registrationWarningMessage(code) })),
    movedFromSessionId: p.moved_from_session_id,
    movedToSessionId: p.moved_to_session_id,
    movedToSessionTitle: p.moved_to_session_title,
    cancelReason: p.cancel_reason,
    attendance: (a?.rows ?? []).map((x) => ({ halfDayId: x.half_day_id, status: x.status })),
    present: a?.present ?? 0,
    partialReason: p.partial_reason,
    attended: a?.attended ?? false,
    partsCompleted: [...(a?.completed ?? [])],
    notCounted: notCounted.map((code) => ({ code, message: notCountedCodes[code] })),
  };
}

export async function getParticipant(ctx: ServiceContext, registrationId: number): Promise<Participant> {
  const reg = ctx.store.sqlite.prepare('SELECT session_id FROM registrations WHERE id = ?').get(registrationId) as Cols<'registrations', 'session_id'> | undefined;
  if (!reg) throw notFound(`L’inscription n° ${registrationId}`);
  const s = await getSession(ctx, reg.session_id);
  return s.participants.find((p) => p.registrationId === registrationId)!;
}

// ---------------------------------------------------------------------------------------------
// Writing a session

interface CheckedValues {
  kind: TrainingKind;
  title: string;
  order_id: number | null;
  organisme_id: number | null;
  internal: number;
  modality: 'presentiel' | 'distance';
  place: string | null;
  capacity: number;
  trainers_json: string;
  cohort_id: number | null;
  note: string | null;
  halfDays: { date: string; period: HalfDayPeriod; start: string; end: string; part: TrainingContent | null }[];
}

function checkValues(ctx: ServiceContext, conventionId: number, v: SessionValuesInput): CheckedValues {
  const f: Record<string, string> = {};
  const title = blank(v.title);
  if (!title) f.title = 'Indiquez l’intitulé de la formation.';
  const internal = v.internal === true;
  let organismeId: number | null = null;
  const orderId = v.orderId ?? null;
  if (internal) {
    if (v.kind !== 'AN') f.internal = 'Les formateurs internes du Conseil départemental ne peuvent animer que des formations Aidant Numérique (AN).';
    if (orderId !== null) f.orderId = 'Une session animée par les formateurs internes n’a pas de bon de commande.';
    const org = ctx.store.sqlite.prepare('SELECT id FROM organismes WHERE is_internal = 1').get() as Cols<'organismes', 'id'> | undefined;
    organismeId = org?.id ?? null;
  } else if (orderId === null) {
    f.orderId = 'Choisissez le bon de commande de l’organisme de formation (ou les formateurs internes pour une formation AN).';
  } else {
    const o = ctx.store.sqlite
      .prepare('SELECT o.id, o.organisme_id, m.kind, m.convention_id FROM orders o JOIN marches m ON m.id = o.marche_id WHERE o.id = ?')
      .get(orderId) as { id: number; organisme_id: number; kind: TrainingKind; convention_id: number } | undefined;
    if (!o) f.orderId = `Le bon de commande n° ${orderId} est introuvable.`;
    else if (o.convention_id !== conventionId) f.orderId = 'Ce bon de commande relève d’une autre convention.';
    else {
      organismeId = o.organisme_id;
      if (o.kind !== v.kind) f.kind = `Le bon de commande porte sur une ${trainingKindLabels[o.kind]} : la session doit être du même type.`;
    }
  }
  const place = blank(v.place);
  if (!place) f.place = v.modality === 'distance' ? 'Indiquez le lien de connexion (ou l’outil de visioconférence).' : 'Indiquez le lieu de la session.';
  const capacity = v.capacity ?? defaultCapacity(v.kind);
  const halfDays: CheckedValues['halfDays'] = [];
  const seen = new Set<string>();
  if (v.halfDays.length === 0) f.halfDays = 'Ajoutez au moins une demi-journée (date, matin ou après-midi).';
  v.halfDays.forEach((h, i) => {
    const [ds, de] = DEFAULT_HOURS[h.period];
    const start = h.start ?? ds;
    const end = h.end ?? de;
    if (!isValidIsoDate(h.date)) f[`halfDays.${i}.date`] = `Demi-journée ${i + 1} : date invalide.`;
    else if (seen.has(`${h.date}|${h.period}`)) f[`halfDays.${i}.date`] = `Demi-journée ${i + 1} : le ${frDate(h.date)} ${periodLabels[h.period]} est en double.`;
    if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(start) || !/^([01]\d|2[0-3]):[0-5]\d$/.test(end) || minutes(end) <= minutes(start)) {
      f[`halfDays.${i}.end`] = `Demi-journée ${i + 1} : l’heure de fin doit suivre l’heure de début.`;
    } else if (h.period === 'matin' && minutes(start) >= 14 * 60) {
      f[`halfDays.${i}.start`] = `Demi-journée ${i + 1} : un matin ne peut pas commencer à ${start}.`;
    }
    seen.add(`${h.date}|${h.period}`);
    // Only a combined training has parts; elsewhere the half-day is the whole training.
    halfDays.push({ date: h.date, period: h.period, start, end, part: v.kind === 'AN_AC' ? (h.part ?? null) : null });
  });
  // A combined training split into parts: each part needs at least one half-day of its own or shared.
  if (v.kind === 'AN_AC' && halfDays.some((h) => h.part !== null)) {
    for (const [part, label] of [['AN', 'Aidant Numérique'], ['AC', 'Aidants Connect']] as const) {
      if (!halfDays.some((h) => h.part === null || h.part === part)) f.halfDays = `Aucune demi-journée n’est consacrée à la partie ${label} : indiquez la partie de chaque demi-journée (AN, AC ou les deux).`;
    }
  }
  const trainers = v.trainers.map((t) => t.trim()).filter((t) => t !== '');
  const cohortId = v.cohortId ?? null;
  if (cohortId !== null) {
    const c = ctx.store.sqlite.prepare('SELECT convention_id FROM cohorts WHERE id = ?').get(cohortId) as Cols<'cohorts', 'convention_id'> | undefined;
    if (!c || c.convention_id !== conventionId) f.cohortId = 'Cohorte introuvable pour cette convention.';
  }
  throwIfFieldErrors(f, 'La session ne peut pas être enregistrée.');
  halfDays.sort((a, b) => a.date.localeCompare(b.date) || (a.period === b.period ? 0 : a.period === 'matin' ? -1 : 1));
  return {
    kind: v.kind,
    title: title!,
    order_id: internal ? null : orderId,
    organisme_id: organismeId,
    internal: internal ? 1 : 0,
    modality: v.modality,
    place,
    capacity,
    trainers_json: JSON.stringify(trainers),
    cohort_id: cohortId,
    note: blank(v.note),
    halfDays,
  };
}

export async function createSession(ctx: ServiceContext, conventionId: number, v: SessionValuesInput): Promise<SessionDetail> {
  const conv = ctx.store.sqlite.prepare('SELECT id FROM conventions WHERE id = ?').get(conventionId);
  if (!conv) throw notFound(`La convention n° ${conventionId}`);
  const c = checkValues(ctx, conventionId, v);
  const now = ctx.now().toISOString();
  const { halfDays, ...cols } = c;
  const id = await writeTransaction(ctx, async (trx) => {
    const { id } = await trx
      .insertInto('sessions')
      .values({ ...cols, convention_id: conventionId, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (halfDays.length) {
      await trx
        .insertInto('session_half_days')
        .values(halfDays.map((h) => ({ session_id: id, date: h.date, period: h.period, start_time: h.start, end_time: h.end, part: h.part })))
        .execute();
    }
    await recordAudit(trx, ctx, { action: 'create', entity: 'session', entityId: id, after: c });
    return id;
  });
  return getSession(ctx, id);
}

export async function updateSession(ctx: ServiceContext, id: number, v: SessionValuesInput): Promise<SessionDetail> {
  const before = await getSession(ctx, id);
  if (before.status === 'annulee') throw new AppError('validation', 'Cette session est annulée : elle ne peut plus être modifiée.');
  const c = checkValues(ctx, before.conventionId, v);
  const f: Record<string, string> = {};
  const active = before.participants.filter((p) => p.status === 'inscrit' || p.status === 'attente');
  if (c.kind !== before.kind && active.length > 0) f.kind = 'Des personnes sont inscrites : le type de formation ne peut plus changer (annulez ou déplacez d’abord les inscriptions).';
  if (c.capacity < before.registered) f.capacity = `${before.registered} personnes sont déjà inscrites : la capacité ne peut pas descendre en dessous.`;
  // Half-days keep their id when the same date and period stay (attendance refers to them).
  const keep = new Map(before.halfDays.map((h) => [`${h.date}|${h.period}`, h]));
  const wanted = new Set(c.halfDays.map((h) => `${h.date}|${h.period}`));
  const removed = before.halfDays.filter((h) => !wanted.has(`${h.date}|${h.period}`));
  const withAttendance = removed.filter((h) => before.participants.some((p) => p.attendance.some((a) => a.halfDayId === h.id)));
  if (withAttendance.length) f.halfDays = `La présence est déjà saisie pour ${withAttendance.map((h) => `le ${h.label}`).join(', ')} : cette demi-journée ne peut pas être retirée.`;
  throwIfFieldErrors(f, 'La session ne peut pas être modifiée.');
  const now = ctx.now().toISOString();
  const { halfDays, ...cols } = c;
  await writeTransaction(ctx, async (trx) => {
    await trx.updateTable('sessions').set({ ...cols, updated_at: now }).where('id', '=', id).execute();
    for (const h of removed) await trx.deleteFrom('session_half_days').where('id', '=', h.id).execute();
    for (const h of halfDays) {
      const old = keep.get(`${h.date}|${h.period}`);
      if (old) await trx.updateTable('session_half_days').set({ start_time: h.start, end_time: h.end, part: h.part }).where('id', '=', old.id).execute();
      else await trx.insertInto('session_half_days').values({ session_id: id, date: h.date, period: h.period, start_time: h.start, end_time: h.end, part: h.part }).execute();
    }
    await recordAudit(trx, ctx, { action: 'update', entity: 'session', entityId: id, before, after: c });
  });
  return getSession(ctx, id);
}

export async function cancelSession(ctx: ServiceContext, id: number, reason: string): Promise<SessionDetail> {
  const before = await getSession(ctx, id);
  const why = reason.trim();
  if (before.status === 'annulee') throw new AppError('validation', 'Cette session est déjà annulée.');
  throwIfFieldErrors(why.length < 5 ? { reason: 'Indiquez pourquoi la session est annulée.' } : {});
  if (before.participants.some((p) => p.attendance.length > 0)) {
    throw new AppError('validation', 'La présence est déjà saisie pour cette session : elle a eu lieu et ne peut pas être annulée.');
  }
  // Cancelling a session cancels every registration in it: a bulk change.
  if (before.participants.length > 0) await backupBefore(ctx, 'modification-groupee');
  const now = ctx.now().toISOString();
  await writeTransaction(ctx, async (trx) => {
    await trx.updateTable('sessions').set({ status: 'annulee', cancel_reason: why, updated_at: now }).where('id', '=', id).execute();
    await trx
      .updateTable('registrations')
      .set({ status: 'annule', cancel_reason: `Session annulée : ${why}`, cancelled_at: now, updated_at: now })
      .where('session_id', '=', id)
      .where('status', 'in', ['inscrit', 'attente'])
      .execute();
    await recordAudit(trx, ctx, { action: 'cancel', entity: 'session', entityId: id, before: { status: before.status }, after: { status: 'annulee', reason: why } });
  });
  return getSession(ctx, id);
}

export async function sessionOptions(ctx: ServiceContext, conventionId: number) {
  const orders = ctx.store.sqlite
    .prepare(
      `SELECT o.id, o.number, org.name AS organisme_name, m.kind, m.label, m.seats,
         (SELECT count(*) FROM registrations r JOIN sessions s ON s.id = r.session_id WHERE s.order_id = o.id AND r.status = 'inscrit' AND s.status = 'prevue') AS seats_used
       FROM orders o JOIN marches m ON m.id = o.marche_id JOIN organismes org ON org.id = o.organisme_id
       WHERE m.convention_id = ? ORDER BY o.order_date, o.id`,
    )
    .all(conventionId) as { id: number; number: string; organisme_name: string; kind: TrainingKind; label: string; seats: number; seats_used: number }[];
  const internal = ctx.store.sqlite.prepare('SELECT id, name FROM organismes WHERE is_internal = 1').get() as Cols<'organismes', 'id' | 'name'> | undefined;
  return {
    orders: orders.map((o) => ({ id: o.id, number: o.number, organismeName: o.organisme_name, kind: o.kind, label: o.label, seats: o.seats, seatsUsed: o.seats_used })),
    internalOrganisme: internal ?? null,
    cohorts: listCohorts(ctx, conventionId),
    kinds: (Object.keys(trainingKindLabels) as TrainingKind[]).map((code) => ({ code, label: trainingKindLabels[code], defaultCapacity: defaultCapacity(code) })),
    refusals: Object.entries(refusalCodes).map(([code, label]) => ({ code, label })),
  };
}

function listCohorts(ctx: ServiceContext, conventionId: number) {
  return ctx.store.sqlite
    .prepare('SELECT c.id, c.label, c.note, (SELECT count(*) FROM sessions s WHERE s.cohort_id = c.id) AS sessions FROM cohorts c WHERE c.convention_id = ? ORDER BY c.label, c.id')
    .all(conventionId) as { id: number; label: string; note: string | null; sessions: number }[];
}

export async function saveCohort(ctx: ServiceContext, input: { conventionId: number; id?: number; label: string; note?: string | null }) {
  const label = blank(input.label);
  throwIfFieldErrors(label ? {} : { label: 'Donnez un nom à la cohorte.' });
  const now = ctx.now().toISOString();
  const id = await writeTransaction(ctx, async (trx) => {
    if (input.id !== undefined) {
      const before = await trx.selectFrom('cohorts').selectAll().where('id', '=', input.id).executeTakeFirst();
      if (!before || before.convention_id !== input.conventionId) throw notFound(`La cohorte n° ${input.id}`);
      await trx.updateTable('cohorts').set({ label: label!, note: blank(input.note), updated_at: now }).where('id', '=', input.id).execute();
      await recordAudit(trx, ctx, { action: 'update', entity: 'cohort', entityId: input.id, before, after: { label, note: blank(input.note) } });
      return input.id;
    }
    const conv = await trx.selectFrom('conventions').select('id').where('id', '=', input.conventionId).executeTakeFirst();
    if (!conv) throw notFound(`La convention n° ${input.conventionId}`);
    const { id } = await trx
      .insertInto('cohorts')
      .values({ convention_id: input.conventionId, label: label!, note: blank(input.note), created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx, { action: 'create', entity: 'cohort', entityId: id, after: { label, note: blank(input.note) } });
    return id;
  });
  return listCohorts(ctx, input.conventionId).find((c) => c.id === id)!;
}
