// Attendance of a session for step 5: what the attendance screen shows (grid, state of each
// participant as the dossier reads it, Pix date, certificates, signed sheets), the whole-column
// action (one half-day for everyone) and the Pix test date of Aidants Connect participants.
// The rules stay where they are: attended = sessions/rules.ts hasAttended, the state =
// justification/departure-facts.ts attendanceState; the writes reuse the Sessions capability's
// effects (afterAttendance moves the Aidants Connect follow-up forward).
import type { PresenceSession } from '../../../shared/ipc/channels/presence';
import type { AttendanceStatus } from '../../db/tables/sessions';
import { recordAudit } from '../audit';
import { type ServiceContext, writeTransaction, writeHandle } from '../context';
import { AppError, notFound } from '../errors';
import { backupBefore } from '../sauvegarde/backup';
import { attendanceState, attendanceStateLabels } from '../justification/departure-facts';
import { listPieces } from '../pieces/service';
import { advanceAcFollowup } from '../sessions/ac';
import { afterAttendance } from '../sessions/registrations';
import { includesAidantsConnect } from '../sessions/rules';
import { getSession } from '../sessions/service';
import type { Cols } from '../../db/rows';

export function lastAuditId(ctx: ServiceContext): number {
  return (ctx.store.sqlite.prepare('SELECT max(id) AS id FROM audit_log').get() as { id: number | null }).id ?? 0;
}

/** Every audit row written since `marker` belongs to one operation (history groups and undoes it as one). */
export function batchAuditSince(ctx: ServiceContext, marker: number, batchId: string): void {
  writeHandle(ctx).prepare('UPDATE audit_log SET batch_id = ? WHERE id > ?').run(batchId, marker);
}

export async function getPresence(ctx: ServiceContext, sessionId: number): Promise<PresenceSession> {
  const session = await getSession(ctx, sessionId);
  const today = ctx.now().toISOString().slice(0, 10);
  const pix = includesAidantsConnect(session.kind);
  const registered = session.participants.filter((p) => p.status === 'inscrit');
  const pixDates = new Map<number, string | null>();
  if (pix && registered.length) {
    const ids = registered.map((p) => p.personId);
    for (const r of ctx.store.sqlite.prepare(`SELECT person_id, pix_on FROM ac_followups WHERE person_id IN (${ids.map(() => '?').join(',')})`).all(...ids) as Cols<'ac_followups', 'person_id' | 'pix_on'>[]) {
      pixDates.set(r.person_id, r.pix_on);
    }
  }
  const participants = [];
  for (const p of registered) {
    const state = attendanceState({ attended: p.attended, halfDays: session.halfDayCount, recorded: p.attendance.length, present: p.present, lastDate: session.lastDate, today, partialReason: p.partialReason });
    participants.push({
      registrationId: p.registrationId,
      personId: p.personId,
      nom: p.nom,
      prenom: p.prenom,
      state,
      stateLabel: attendanceStateLabels[state],
      pix,
      pixDate: pix ? (pixDates.get(p.personId) ?? null) : null,
      certificates: (await listPieces(ctx, 'registration', p.registrationId)).filter((x) => x.role === 'attestation_fin_formation'),
    });
  }
  const sheets = (await listPieces(ctx, 'session', sessionId)).filter((x) => x.role === 'feuille_presence');
  return { session, participants, sheets };
}

function halfDayOf(ctx: ServiceContext, sessionId: number, halfDayId: number) {
  const h = ctx.store.sqlite.prepare('SELECT id, session_id, date, period FROM session_half_days WHERE id = ?').get(halfDayId) as Cols<'session_half_days', 'id' | 'session_id' | 'date' | 'period'> | undefined;
  if (!h || h.session_id !== sessionId) throw new AppError('validation', 'Cette demi-journée n’appartient pas à la session.', { fields: { halfDayId: 'Demi-journée d’une autre session.' } });
  return h;
}

/**
 * Whole-column action: sets one half-day's attendance for every registered participant of the
 * session (status null clears it). onlyEmpty: only where nothing is recorded yet (« tous les
 * autres présents »). One transaction, one operation in the history.
 */
export async function setHalfDayForAll(
  ctx: ServiceContext,
  input: { sessionId: number; halfDayId: number; status: AttendanceStatus | null; onlyEmpty: boolean },
): Promise<PresenceSession> {
  const before = await getSession(ctx, input.sessionId);
  if (before.status === 'annulee') throw new AppError('validation', 'Cette session est annulée : la présence ne peut pas y être saisie.');
  const h = halfDayOf(ctx, input.sessionId, input.halfDayId);
  const registered = before.participants.filter((p) => p.status === 'inscrit');
  if (registered.length === 0) throw new AppError('validation', 'Personne n’est inscrit à cette session : aucune présence à saisir.');
  const changes: { registrationId: number; from: AttendanceStatus | null; to: AttendanceStatus | null }[] = [];
  for (const p of registered) {
    const from = p.attendance.find((a) => a.halfDayId === h.id)?.status ?? null;
    if (input.onlyEmpty && from !== null) continue;
    if (from === input.status) continue;
    changes.push({ registrationId: p.registrationId, from, to: input.status });
  }
  if (changes.length === 0) return getPresence(ctx, input.sessionId);
  if (changes.length > 1) await backupBefore(ctx, 'modification-groupee');
  const now = ctx.now().toISOString();
  await writeTransaction(ctx, async (trx) => {
    const marker = lastAuditId(ctx); // inside the write: no other writer's audit rows after it
    for (const c of changes) {
      if (c.to === null) await trx.deleteFrom('attendance').where('registration_id', '=', c.registrationId).where('half_day_id', '=', h.id).execute();
      else {
        const status = c.to;
        await trx
          .insertInto('attendance')
          .values({ registration_id: c.registrationId, half_day_id: h.id, status, recorded_at: now, recorded_by: ctx.actor })
          .onConflict((oc) => oc.columns(['registration_id', 'half_day_id']).doUpdateSet({ status, recorded_at: now, recorded_by: ctx.actor }))
          .execute();
        await afterAttendance(trx, ctx, c.registrationId);
      }
    }
    await recordAudit(trx, ctx, {
      action: 'attendance_all',
      entity: 'session',
      entityId: input.sessionId,
      before: { halfDayId: h.id, statuses: changes.map((c) => ({ registrationId: c.registrationId, status: c.from })) },
      after: { halfDayId: h.id, status: input.status, registrations: changes.map((c) => c.registrationId) },
    });
    batchAuditSince(ctx, marker, `presence:${input.sessionId}:${now}`);
  });
  return getPresence(ctx, input.sessionId);
}

/** Date of the Pix test of a participant of an Aidants Connect training (null clears it). */
export async function setPixDate(ctx: ServiceContext, registrationId: number, date: string | null) {
  const r = ctx.store.sqlite
    .prepare('SELECT r.id, r.person_id, r.session_id, r.status, s.kind, (SELECT max(h.date) FROM session_half_days h WHERE h.session_id = s.id) AS last_date FROM registrations r JOIN sessions s ON s.id = r.session_id WHERE r.id = ?')
    .get(registrationId) as { id: number; person_id: number; session_id: number; status: string; kind: 'AN' | 'AC' | 'AN_AC'; last_date: string | null } | undefined;
  if (!r) throw notFound(`L’inscription n° ${registrationId}`);
  if (!includesAidantsConnect(r.kind)) throw new AppError('validation', 'Le test Pix ne concerne que les formations Aidants Connect.');
  if (r.status !== 'inscrit') throw new AppError('validation', 'Le test Pix ne se saisit que pour une personne inscrite à la session.');
  if (date !== null && r.last_date !== null && date < r.last_date) {
    throw new AppError('validation', 'Le test Pix se passe après la formation : la date ne peut pas précéder la dernière demi-journée de la session.', { fields: { date: 'Date antérieure à la formation.' } });
  }
  const cur = ctx.store.sqlite.prepare('SELECT id, status, pix_on FROM ac_followups WHERE person_id = ?').get(r.person_id) as Cols<'ac_followups', 'id' | 'status' | 'pix_on'> | undefined;
  if (date === null && (!cur || cur.pix_on === null)) return participantOf(ctx, r.session_id, registrationId);
  const now = ctx.now().toISOString();
  await writeTransaction(ctx, async (trx) => {
    if (date !== null) {
      // Moves the follow-up to « test Pix passé » when it is behind; the date is the one given either way.
      await advanceAcFollowup(trx, ctx, r.person_id, 'pix', date, registrationId);
      await trx.updateTable('ac_followups').set({ pix_on: date, updated_at: now }).where('person_id', '=', r.person_id).execute();
    } else {
      await trx
        .updateTable('ac_followups')
        .set({ pix_on: null, ...(cur!.status === 'pix' ? { status: 'forme' as const } : {}), updated_at: now })
        .where('person_id', '=', r.person_id)
        .execute();
    }
    await recordAudit(trx, ctx, { action: 'pix_date', entity: 'registration', entityId: registrationId, before: { pixDate: cur?.pix_on ?? null }, after: { pixDate: date } });
  });
  return participantOf(ctx, r.session_id, registrationId);
}

async function participantOf(ctx: ServiceContext, sessionId: number, registrationId: number) {
  const p = (await getPresence(ctx, sessionId)).participants.find((x) => x.registrationId === registrationId);
  if (!p) throw notFound(`L’inscription n° ${registrationId}`);
  return p;
}
