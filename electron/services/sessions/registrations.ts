// Assignment of people to sessions: the candidates with their refusal reasons, registration
// (all or nothing), waiting list, cancellation, moves that keep the history, attendance.
import type { Candidate, Participant, SessionDetail } from '../../../shared/ipc/channels/sessions';
import type { TrainingKind } from '../../db/tables/marche';
import type { AttendanceStatus } from '../../db/tables/sessions';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { recordAudit } from '../audit';
import { backupBefore } from '../sauvegarde/backup';
import { type ServiceContext, writeTransaction } from '../context';
import { AppError, notFound, throwIfFieldErrors } from '../errors';
import { ineligibilityRules } from '../recensement/eligibility';
import { peopleSearchCondition } from '../recensement/people-search';
import { advanceAcFollowup } from './ac';
import { checkAssignment, includesAidantsConnect, type AssignmentCheck, type OtherRegistration } from './rules';
import { attendanceOf, getParticipant, getSession } from './service';
import type { Cols } from '../../db/rows';

interface PersonFacts {
  id: number;
  nom: string;
  prenom: string;
  email: string | null;
  profession: string | null;
  structure_id: number | null;
  structure_name: string | null;
  training_wish: TrainingKind | null;
  eligible: number;
  ineligible_json: string;
  warnings_json: string;
  override_eligible: number | null;
  override_reason: string | null;
  training_date: string | null;
  training_org: string | null;
  deja_sensibilise: number | null;
}

const PERSON_FACTS = `SELECT p.id, p.nom, p.prenom, p.email, p.profession, p.structure_id, st.name AS structure_name, p.training_wish, p.eligible,
  p.ineligible_json, p.warnings_json, p.override_eligible, p.override_reason, p.training_date, p.training_org, p.deja_sensibilise
  FROM people p LEFT JOIN structures st ON st.id = p.structure_id`;

function ineligibleLabels(p: PersonFacts): string[] {
  const codes = JSON.parse(p.ineligible_json) as string[];
  const shown = codes.length === 0 && p.override_eligible === 0 ? ['decision_agent'] : codes;
  return shown.map((c) => {
    const base = (ineligibilityRules as Record<string, string>)[c] ?? c;
    return c === 'decision_agent' && p.override_reason ? `${base.replace(/ \(voir le motif\)\.$/, '')} : ${p.override_reason}` : base.replace(/\.$/, '');
  });
}

/** Active (registered / waiting) and attended registrations of these people, by person. */
function otherRegistrations(ctx: ServiceContext, personIds: number[], excludeRegistrationId?: number): Map<number, OtherRegistration[]> {
  const out = new Map<number, OtherRegistration[]>();
  if (personIds.length === 0) return out;
  const rows: { id: number; person_id: number; session_id: number; title: string; kind: TrainingKind; status: 'inscrit' | 'attente'; first_date: string | null }[] = [];
  // Chunks: SQLite limits the number of parameters of one statement.
  for (let i = 0; i < personIds.length; i += 500) {
    const chunk = personIds.slice(i, i + 500);
    rows.push(
      ...(ctx.store.sqlite
        .prepare(
          `SELECT r.id, r.person_id, r.session_id, s.title, s.kind, r.status,
             (SELECT min(date) FROM session_half_days h WHERE h.session_id = s.id) AS first_date
           FROM registrations r JOIN sessions s ON s.id = r.session_id
           WHERE r.person_id IN (${chunk.map(() => '?').join(',')}) AND r.status IN ('inscrit', 'attente') AND s.status = 'prevue'`,
        )
        .all(...chunk) as typeof rows),
    );
  }
  const att = attendanceOf(ctx, rows.filter((r) => r.status === 'inscrit').map((r) => r.id));
  for (const r of rows) {
    if (r.id === excludeRegistrationId) continue;
    const list = out.get(r.person_id) ?? [];
    list.push({ registrationId: r.id, sessionId: r.session_id, sessionTitle: r.title, kind: r.kind, status: r.status, firstDate: r.first_date, attended: att.get(r.id)?.attended ?? false });
    out.set(r.person_id, list);
  }
  return out;
}

interface SessionFacts {
  id: number;
  kind: TrainingKind;
  capacity: number;
  status: 'prevue' | 'annulee';
  title: string;
  convention_id: number;
  registered: number;
}

function sessionFacts(ctx: ServiceContext, id: number): SessionFacts {
  const s = ctx.store.sqlite
    .prepare(`SELECT s.id, s.kind, s.capacity, s.status, s.title, s.convention_id,
       (SELECT count(*) FROM registrations r WHERE r.session_id = s.id AND r.status = 'inscrit') AS registered FROM sessions s WHERE s.id = ?`)
    .get(id) as SessionFacts | undefined;
  if (!s) throw notFound(`La session n° ${id}`);
  return s;
}

function check(p: PersonFacts, s: SessionFacts, others: OtherRegistration[], registeredCount: number, toWaitingList: boolean, overrideReason: string | null): AssignmentCheck {
  return checkAssignment({
    person: {
      nom: p.nom,
      prenom: p.prenom,
      eligible: p.eligible === 1,
      ineligibleReasons: ineligibleLabels(p),
      warnings: JSON.parse(p.warnings_json) as string[],
      priorAcTrainingDate: p.training_date,
      priorAcTrainingOrg: p.training_org,
      dejaSensibilise: p.deja_sensibilise === null ? null : p.deja_sensibilise === 1,
    },
    session: { id: s.id, kind: s.kind, capacity: s.capacity, cancelled: s.status === 'annulee', title: s.title },
    others,
    registeredCount,
    toWaitingList,
    overrideReason,
  });
}

// ---------------------------------------------------------------------------------------------
// Candidates: people who could join a session, filtered, with their refusal reasons

export interface CandidatesQuery {
  sessionId: number;
  search?: string;
  eligibility: 'all' | 'eligible' | 'ineligible';
  structureId?: number;
  training?: 'AN' | 'AC' | 'AN_AC' | 'none';
  assignableOnly: boolean;
  offset: number;
  limit: number;
}

export async function listCandidates(ctx: ServiceContext, q: CandidatesQuery): Promise<{ total: number; rows: Candidate[] }> {
  const s = sessionFacts(ctx, q.sessionId);
  const where: string[] = [];
  const params: unknown[] = [];
  const search = peopleSearchCondition(q.search, 'p', 'st');
  if (search) {
    where.push(search.sql);
    params.push(...search.params);
  }
  if (q.eligibility !== 'all') where.push(`p.eligible = ${q.eligibility === 'eligible' ? 1 : 0}`);
  if (q.structureId !== undefined) {
    where.push('p.structure_id = ?');
    params.push(q.structureId);
  }
  if (q.training === 'none') where.push('p.training_wish IS NULL');
  else if (q.training) {
    where.push('p.training_wish = ?');
    params.push(q.training);
  }
  const w = where.length ? ' WHERE ' + where.join(' AND ') : '';
  const people = ctx.store.sqlite.prepare(`${PERSON_FACTS}${w} ORDER BY p.name_key, p.id`).all(...params) as PersonFacts[];
  const others = otherRegistrations(ctx, people.map((p) => p.id));
  let rows: Candidate[] = people.map((p) => {
    const o = others.get(p.id) ?? [];
    const c = check(p, s, o, s.registered, false, null);
    const here = o.find((x) => x.sessionId === s.id);
    return {
      personId: p.id,
      nom: p.nom,
      prenom: p.prenom,
      email: p.email,
      profession: p.profession,
      structureId: p.structure_id,
      structureName: p.structure_name,
      trainingWish: p.training_wish,
      eligible: p.eligible === 1,
      // "Session complète" is about the session, not the person: the list shows it once, above.
      refusals: c.refusals.filter((r) => r.code !== 'complet'),
      warnings: c.warnings,
      inSession: here ? here.status : null,
    };
  });
  if (q.assignableOnly) rows = rows.filter((r) => r.refusals.length === 0);
  return { total: rows.length, rows: rows.slice(q.offset, q.offset + q.limit) };
}

// ---------------------------------------------------------------------------------------------
// Registration

export interface RefusedPerson {
  personId: number;
  name: string;
  reasons: { code: string; message: string }[];
}

function refuse(refused: RefusedPerson[]): never {
  const first = refused[0];
  const msg =
    refused.length === 1
      ? first.reasons.map((r) => r.message).join(' ')
      : `${refused.length} personnes ne peuvent pas être inscrites ; rien n’a été enregistré. ${first.name} : ${first.reasons[0].message}`;
  throw new AppError('validation', msg, { details: { refused } });
}

export async function registerPeople(
  ctx: ServiceContext,
  input: { sessionId: number; personIds: number[]; waitingList: boolean; overrideReason?: string | null },
): Promise<{ registered: { personId: number; registrationId: number; status: Participant['status']; warnings: { code: string; message: string }[] }[]; session: SessionDetail }> {
  const s = sessionFacts(ctx, input.sessionId);
  const ids = [...new Set(input.personIds)];
  const people = new Map<number, PersonFacts>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    for (const p of ctx.store.sqlite.prepare(`${PERSON_FACTS} WHERE p.id IN (${chunk.map(() => '?').join(',')})`).all(...chunk) as PersonFacts[]) people.set(p.id, p);
  }
  const missing = ids.filter((id) => !people.has(id));
  if (missing.length) throw notFound(`Le professionnel n° ${missing[0]}`);
  const others = otherRegistrations(ctx, ids);
  const overrideReason = (input.overrideReason ?? '').trim() || null;
  const refused: RefusedPerson[] = [];
  const accepted: { p: PersonFacts; warnings: { code: string; message: string }[] }[] = [];
  let count = s.registered;
  for (const id of ids) {
    const p = people.get(id)!;
    const c = check(p, s, others.get(id) ?? [], count, input.waitingList, overrideReason);
    if (c.refusals.length) refused.push({ personId: id, name: `${p.prenom} ${p.nom}`, reasons: c.refusals });
    else {
      accepted.push({ p, warnings: c.warnings });
      if (!input.waitingList) count++;
    }
  }
  if (refused.length) refuse(refused);
  // Several people at once is a bulk change: a backup first, so it can be undone as a whole.
  if (accepted.length > 1) await backupBefore(ctx, 'modification-groupee');
  const now = ctx.now().toISOString();
  const status = input.waitingList ? 'attente' : 'inscrit';
  const out: { personId: number; registrationId: number; status: Participant['status']; warnings: { code: string; message: string }[] }[] = [];
  await writeTransaction(ctx, async (trx) => {
    for (const a of accepted) {
      const { id } = await trx
        .insertInto('registrations')
        .values({
          session_id: s.id,
          person_id: a.p.id,
          status,
          override_reason: a.p.eligible === 1 ? null : overrideReason,
          warnings_json: JSON.stringify(a.warnings.map((w) => w.code)),
          registered_at: now,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (includesAidantsConnect(s.kind) && status === 'inscrit') await advanceAcFollowup(trx, ctx, a.p.id, 'inscrit', now.slice(0, 10), id);
      out.push({ personId: a.p.id, registrationId: id, status, warnings: a.warnings });
    }
    await recordAudit(trx, ctx, {
      action: 'register',
      entity: 'session',
      entityId: s.id,
      after: { status, people: out.map((o) => ({ personId: o.personId, registrationId: o.registrationId })), overrideReason },
    });
  });
  return { registered: out, session: await getSession(ctx, s.id) };
}

function registrationRow(ctx: ServiceContext, id: number) {
  const r = ctx.store.sqlite
    .prepare('SELECT r.*, s.status AS session_status FROM registrations r JOIN sessions s ON s.id = r.session_id WHERE r.id = ?')
    .get(id) as
    | { id: number; session_id: number; person_id: number; status: Participant['status']; override_reason: string | null; partial_reason: string | null; session_status: string }
    | undefined;
  if (!r) throw notFound(`L’inscription n° ${id}`);
  return r;
}

function hasAttendance(ctx: ServiceContext, registrationId: number): boolean {
  return !!ctx.store.sqlite.prepare('SELECT 1 FROM attendance WHERE registration_id = ? LIMIT 1').get(registrationId);
}

export async function cancelRegistration(ctx: ServiceContext, registrationId: number, reason: string): Promise<SessionDetail> {
  const r = registrationRow(ctx, registrationId);
  const why = reason.trim();
  throwIfFieldErrors(why.length < 3 ? { reason: 'Indiquez le motif de l’annulation (absence prévenue, départ du poste…).' } : {});
  if (r.status !== 'inscrit' && r.status !== 'attente') throw new AppError('validation', 'Cette inscription est déjà annulée ou déplacée.');
  if (hasAttendance(ctx, registrationId)) throw new AppError('validation', 'La présence de cette personne est déjà saisie : l’inscription ne peut plus être annulée (saisissez son absence).');
  const now = ctx.now().toISOString();
  await writeTransaction(ctx, async (trx) => {
    await trx.updateTable('registrations').set({ status: 'annule', cancel_reason: why, cancelled_at: now, updated_at: now }).where('id', '=', registrationId).execute();
    await recordAudit(trx, ctx, { action: 'cancel', entity: 'registration', entityId: registrationId, before: { status: r.status }, after: { status: 'annule', reason: why } });
  });
  return getSession(ctx, r.session_id);
}

export async function promoteRegistration(ctx: ServiceContext, registrationId: number): Promise<SessionDetail> {
  const r = registrationRow(ctx, registrationId);
  if (r.status !== 'attente') throw new AppError('validation', 'Seule une personne en liste d’attente peut être inscrite depuis la liste.');
  const s = sessionFacts(ctx, r.session_id);
  const p = ctx.store.sqlite.prepare(`${PERSON_FACTS} WHERE p.id = ?`).get(r.person_id) as PersonFacts;
  const c = check(p, s, otherRegistrations(ctx, [p.id], registrationId).get(p.id) ?? [], s.registered, false, r.override_reason);
  if (c.refusals.length) refuse([{ personId: p.id, name: `${p.prenom} ${p.nom}`, reasons: c.refusals }]);
  const now = ctx.now().toISOString();
  await writeTransaction(ctx, async (trx) => {
    await trx.updateTable('registrations').set({ status: 'inscrit', updated_at: now }).where('id', '=', registrationId).execute();
    if (includesAidantsConnect(s.kind)) await advanceAcFollowup(trx, ctx, p.id, 'inscrit', now.slice(0, 10), registrationId);
    await recordAudit(trx, ctx, { action: 'promote', entity: 'registration', entityId: registrationId, before: { status: 'attente' }, after: { status: 'inscrit' } });
  });
  return getSession(ctx, r.session_id);
}

/** Moves a person to another session: the old registration becomes « déplacé » and points to the new one. */
export async function moveRegistration(
  ctx: ServiceContext,
  input: { registrationId: number; toSessionId: number; waitingList: boolean; overrideReason?: string | null },
): Promise<SessionDetail> {
  const r = registrationRow(ctx, input.registrationId);
  if (r.status !== 'inscrit' && r.status !== 'attente') throw new AppError('validation', 'Seule une inscription en cours (inscrit ou en attente) peut être déplacée.');
  if (input.toSessionId === r.session_id) throw new AppError('validation', 'Choisissez une autre session que la session actuelle.');
  if (hasAttendance(ctx, r.id)) throw new AppError('validation', 'La présence de cette personne est déjà saisie dans cette session : elle ne peut plus être déplacée.');
  const from = sessionFacts(ctx, r.session_id);
  const to = sessionFacts(ctx, input.toSessionId);
  if (to.convention_id !== from.convention_id) throw new AppError('validation', 'La session choisie relève d’une autre convention.');
  const p = ctx.store.sqlite.prepare(`${PERSON_FACTS} WHERE p.id = ?`).get(r.person_id) as PersonFacts;
  const overrideReason = (input.overrideReason ?? '').trim() || r.override_reason;
  const c = check(p, to, otherRegistrations(ctx, [p.id], r.id).get(p.id) ?? [], to.registered, input.waitingList, overrideReason);
  if (c.refusals.length) refuse([{ personId: p.id, name: `${p.prenom} ${p.nom}`, reasons: c.refusals }]);
  const now = ctx.now().toISOString();
  const status = input.waitingList ? 'attente' : 'inscrit';
  await writeTransaction(ctx, async (trx) => {
    const { id } = await trx
      .insertInto('registrations')
      .values({
        session_id: to.id,
        person_id: p.id,
        status,
        override_reason: p.eligible === 1 ? null : overrideReason,
        warnings_json: JSON.stringify(c.warnings.map((w) => w.code)),
        moved_from_id: r.id,
        registered_at: now,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.updateTable('registrations').set({ status: 'deplace', moved_to_id: id, updated_at: now }).where('id', '=', r.id).execute();
    await trx.updateTable('ac_followups').set({ registration_id: id, updated_at: now }).where('registration_id', '=', r.id).execute();
    if (includesAidantsConnect(to.kind) && status === 'inscrit') await advanceAcFollowup(trx, ctx, p.id, 'inscrit', now.slice(0, 10), id);
    await recordAudit(trx, ctx, { action: 'move', entity: 'registration', entityId: r.id, before: { sessionId: from.id, status: r.status }, after: { sessionId: to.id, registrationId: id, status } });
  });
  return getSession(ctx, to.id);
}

// ---------------------------------------------------------------------------------------------
// Attendance (the grid and the import of the OF's sheet come with step 5, on these functions)

export async function afterAttendance(trx: Transaction<DB>, ctx: ServiceContext, registrationId: number): Promise<void> {
  // Attended an Aidants Connect training: the follow-up moves to « formé » (never backwards).
  const r = ctx.store.sqlite
    .prepare(`SELECT r.person_id, r.status, s.kind, (SELECT max(date) FROM session_half_days h WHERE h.session_id = s.id) AS last_date
      FROM registrations r JOIN sessions s ON s.id = r.session_id WHERE r.id = ?`)
    .get(registrationId) as { person_id: number; status: string; kind: TrainingKind; last_date: string | null };
  if (r.status !== 'inscrit' || !includesAidantsConnect(r.kind)) return;
  const a = attendanceOf(ctx, [registrationId]).get(registrationId);
  if (a?.attended) await advanceAcFollowup(trx, ctx, r.person_id, 'forme', r.last_date ?? ctx.now().toISOString().slice(0, 10), registrationId);
}

/** Records (or clears, with null) the attendance of a registration on one half-day of its session. */
export async function setAttendance(ctx: ServiceContext, registrationId: number, halfDayId: number, status: AttendanceStatus | null): Promise<Participant> {
  const r = registrationRow(ctx, registrationId);
  if (r.status !== 'inscrit') throw new AppError('validation', 'La présence ne se saisit que pour une personne inscrite (pas en liste d’attente, annulée ou déplacée).');
  const h = ctx.store.sqlite.prepare('SELECT session_id, date FROM session_half_days WHERE id = ?').get(halfDayId) as Cols<'session_half_days', 'session_id' | 'date'> | undefined;
  if (!h || h.session_id !== r.session_id) throw new AppError('validation', 'Cette demi-journée n’appartient pas à la session de l’inscription.');
  const before = ctx.store.sqlite.prepare('SELECT status FROM attendance WHERE registration_id = ? AND half_day_id = ?').get(registrationId, halfDayId) as Cols<'attendance', 'status'> | undefined;
  const now = ctx.now().toISOString();
  await writeTransaction(ctx, async (trx) => {
    if (status === null) await trx.deleteFrom('attendance').where('registration_id', '=', registrationId).where('half_day_id', '=', halfDayId).execute();
    else {
      await trx
        .insertInto('attendance')
        .values({ registration_id: registrationId, half_day_id: halfDayId, status, recorded_at: now, recorded_by: ctx.actor })
        .onConflict((oc) => oc.columns(['registration_id', 'half_day_id']).doUpdateSet({ status, recorded_at: now, recorded_by: ctx.actor }))
        .execute();
      await afterAttendance(trx, ctx, registrationId);
    }
    await recordAudit(trx, ctx, { action: 'attendance', entity: 'registration', entityId: registrationId, before: { halfDayId, status: before?.status ?? null }, after: { halfDayId, status } });
  });
  return getParticipant(ctx, registrationId);
}

/** Accepts a partial attendance as a departure, with the written reason (null withdraws it). */
export async function acceptPartial(ctx: ServiceContext, registrationId: number, reason: string | null): Promise<Participant> {
  const r = registrationRow(ctx, registrationId);
  const why = reason === null ? null : reason.trim();
  if (why !== null && why.length < 10) throwIfFieldErrors({ reason: 'Écrivez le motif qui justifie d’accepter une présence partielle (au moins 10 caractères).' });
  if (r.status !== 'inscrit') throw new AppError('validation', 'Seule une personne inscrite peut avoir une présence partielle acceptée.');
  if (why !== null) {
    const a = attendanceOf(ctx, [registrationId]).get(registrationId)!;
    if (a.present === 0) throw new AppError('validation', 'La personne n’est présente sur aucune demi-journée : une présence partielle ne peut pas être acceptée.');
  }
  const now = ctx.now().toISOString();
  await writeTransaction(ctx, async (trx) => {
    await trx
      .updateTable('registrations')
      .set({ partial_reason: why, partial_accepted_at: why ? now : null, partial_accepted_by: why ? ctx.actor : null, updated_at: now })
      .where('id', '=', registrationId)
      .execute();
    if (why) await afterAttendance(trx, ctx, registrationId);
    await recordAudit(trx, ctx, { action: 'accept_partial', entity: 'registration', entityId: registrationId, before: { reason: r.partial_reason }, after: { reason: why } });
  });
  return getParticipant(ctx, registrationId);
}

