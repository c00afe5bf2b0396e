// The Aidants Connect steps around a session, as the guide for training organisations lists them
// (« Les étapes de l'habilitation à Aidants Connect dans le cadre des enveloppes FNE »):
//   before the training — the CD sends ANCT the structures and professionals to train (its
//   management table), ANCT validates their eligibility, ANCT opens the sandbox access the
//   training needs;
//   at the end of the training day — each professional chooses a connection method (OTP app or
//   physical card) and takes the Pix test (« le passage d'un test Pix à la fin de la journée de
//   formation est indispensable »);
//   after it — the CD fills the attendance in ANCT's management table; ANCT then opens access to
//   those who attended AND took the Pix test.
// Each step missing is a warning on the session and an item of the checklist. None blocks a
// departure: the guide counts a departure by attendance, whatever ANCT does next.
import type { AcSessionSteps, AcStepWarning, ConnectionMethod } from '../../../shared/ipc/channels/sessions';
import { recordAudit } from '../audit';
import { frDate } from '../common/dates';
import { type ServiceContext, writeTransaction } from '../context';
import { AppError } from '../errors';
import { acDateColumns, acRank, acStatusLabels, includesAidantsConnect, type AcStatus, type TrainingKind } from './rules';
import { getSession } from './service';

/** Every kind of missing step, in the order of the guide (the checklist checks each per session). */
export const acStepWarningCodes = ['ac_liste_anct', 'ac_eligibilite', 'ac_bac_a_sable', 'ac_pix', 'ac_pix_tardif', 'ac_moyen_connexion', 'ac_presence_anct'] as const satisfies readonly AcStepWarning['code'][];

export const connectionMethodLabels: Record<ConnectionMethod, string> = {
  application: 'Application OTP sur téléphone (carte numérique)',
  carte: 'Carte physique envoyée par l’ANCT',
};

/** The steps the officer records for the people of a session (each has its date column). */
export const recordableAcSteps = ['demande', 'eligibilite_validee', 'bac_a_sable', 'pix', 'presence_transmise'] as const;
export type RecordableAcStep = (typeof recordableAcSteps)[number];

export interface AcPersonFacts {
  personId: number;
  name: string;
  /** Came to the training (the departure rule's attendance). */
  attended: boolean;
  status: AcStatus | null;
  requestedOn: string | null;
  eligibilityValidatedOn: string | null;
  sandboxOn: string | null;
  pixOn: string | null;
  reportedOn: string | null;
  connectionMethod: ConnectionMethod | null;
}

export interface AcSessionFacts {
  id: number;
  title: string;
  kind: TrainingKind;
  cancelled: boolean;
  /** Last day of training (the Pix test is taken at the end of it). */
  lastDate: string | null;
}

const names = (people: AcPersonFacts[]) => people.map((p) => p.name);
const them = (n: number) => (n > 1 ? `${n} personnes` : '1 personne');

/**
 * What is missing, step by step, for the people registered in an Aidants Connect session (or the
 * AC part of a combined training). Empty for AN sessions and cancelled ones; people whose
 * follow-up was refused or cancelled are left out.
 */
export function acStepWarnings(s: AcSessionFacts, people: AcPersonFacts[]): AcStepWarning[] {
  if (!includesAidantsConnect(s.kind) || s.cancelled) return [];
  const active = people.filter((p) => p.status !== 'refuse' && p.status !== 'annule');
  const attended = active.filter((p) => p.attended);
  const out: AcStepWarning[] = [];
  const add = (code: AcStepWarning['code'], who: AcPersonFacts[], message: (n: number) => string, step: AcStepWarning['step'], when: AcStepWarning['when']) => {
    if (who.length > 0) out.push({ code, step, when, count: who.length, message: message(who.length), people: names(who), personIds: who.map((p) => p.personId) });
  };
  add('ac_liste_anct', active.filter((p) => !p.requestedOn), (n) => `${them(n)} sans date d’envoi à l’ANCT (tableau de gestion des structures et professionnels à former) : à transmettre avant la formation.`, 'demande', 'avant');
  add('ac_eligibilite', active.filter((p) => !p.eligibilityValidatedOn), (n) => `${them(n)} dont l’éligibilité n’est pas validée par l’ANCT.`, 'eligibilite_validee', 'avant');
  add('ac_bac_a_sable', active.filter((p) => !p.sandboxOn), (n) => `${them(n)} sans accès au site bac à sable ouvert par l’ANCT (nécessaire pour la formation).`, 'bac_a_sable', 'avant');
  add('ac_pix', attended.filter((p) => !p.pixOn), (n) => `${them(n)} présente${n > 1 ? 's' : ''} sans test Pix enregistré : sans lui, l’ANCT n’ouvre pas l’accès à Aidants Connect.`, 'pix', 'apres');
  if (s.lastDate) {
    const last = s.lastDate;
    add('ac_pix_tardif', attended.filter((p) => p.pixOn !== null && p.pixOn > last), (n) => `${them(n)} ${n > 1 ? 'ont' : 'a'} passé le test Pix après la journée de formation (${frDate(last)}) : le guide le prévoit à la fin de la journée.`, 'pix', 'apres');
  }
  add('ac_moyen_connexion', attended.filter((p) => !p.connectionMethod), (n) => `${them(n)} sans moyen de connexion choisi (application OTP ou carte physique).`, 'moyen_connexion', 'apres');
  add('ac_presence_anct', attended.filter((p) => !p.reportedOn), (n) => `${them(n)} présente${n > 1 ? 's' : ''} dont la présence n’est pas reportée sur le tableau de gestion de l’ANCT.`, 'presence_transmise', 'apres');
  return out;
}

interface FollowupRow {
  person_id: number;
  status: AcStatus;
  requested_on: string | null;
  eligibility_validated_on: string | null;
  sandbox_on: string | null;
  pix_on: string | null;
  reported_on: string | null;
  connection_method: ConnectionMethod | null;
}

/** The follow-up facts of some people, by person id. */
export function followupsOf(ctx: ServiceContext, personIds: number[]): Map<number, FollowupRow> {
  if (personIds.length === 0) return new Map();
  const rows = ctx.store.sqlite
    .prepare(
      `SELECT person_id, status, requested_on, eligibility_validated_on, sandbox_on, pix_on, reported_on, connection_method
         FROM ac_followups WHERE person_id IN (${personIds.map(() => '?').join(',')})`,
    )
    .all(...personIds) as FollowupRow[];
  return new Map(rows.map((r) => [r.person_id, r]));
}

export function personFacts(p: { personId: number; nom: string; prenom: string; attended: boolean }, f: FollowupRow | undefined): AcPersonFacts {
  return {
    personId: p.personId,
    name: `${p.nom.toUpperCase()} ${p.prenom}`,
    attended: p.attended,
    status: f?.status ?? null,
    requestedOn: f?.requested_on ?? null,
    eligibilityValidatedOn: f?.eligibility_validated_on ?? null,
    sandboxOn: f?.sandbox_on ?? null,
    pixOn: f?.pix_on ?? null,
    reportedOn: f?.reported_on ?? null,
    connectionMethod: f?.connection_method ?? null,
  };
}

/** The date column of a step, filled for people who lack it; the status moves forward only. */
export function stepPatch(cur: { status: AcStatus } | undefined, step: RecordableAcStep, date: string): Record<string, string> {
  const patch: Record<string, string> = { [acDateColumns[step]]: date };
  if (!cur || (cur.status !== 'refuse' && cur.status !== 'annule' && acRank(step) > acRank(cur.status))) patch.status = step;
  return patch;
}

export function assertRecordable(status: AcStatus | undefined): void {
  if (status === 'refuse' || status === 'annule') {
    throw new AppError('validation', 'Le suivi Aidants Connect d’une des personnes choisies est refusé ou annulé : corrigez-le d’abord dans le suivi Aidants Connect.');
  }
}

// ---------------------------------------------------------------------------------------------
// Services

async function registeredPeople(ctx: ServiceContext, sessionId: number) {
  const s = await getSession(ctx, sessionId);
  return { s, people: s.participants.filter((p) => p.status === 'inscrit') };
}

/** The session's Aidants Connect steps: each registered person's dates, and what is missing. */
export async function sessionAcSteps(ctx: ServiceContext, sessionId: number): Promise<AcSessionSteps> {
  const { s, people } = await registeredPeople(ctx, sessionId);
  const follow = followupsOf(ctx, people.map((p) => p.personId));
  const facts = people.map((p) => personFacts(p, follow.get(p.personId)));
  const applies = includesAidantsConnect(s.kind);
  return {
    sessionId,
    applies,
    warnings: acStepWarnings({ id: s.id, title: s.title, kind: s.kind, cancelled: s.status === 'annulee', lastDate: s.lastDate }, facts),
    people: applies ? facts.map((f) => ({ ...f, statusLabel: f.status ? acStatusLabels[f.status] : 'Pas encore suivi' })) : [],
    steps: recordableAcSteps.map((code) => ({ code, label: acStepLabels[code] })),
    connectionMethods: (Object.keys(connectionMethodLabels) as ConnectionMethod[]).map((code) => ({ code, label: connectionMethodLabels[code] })),
  };
}

/** What the officer records: « liste transmise à l'ANCT le », « éligibilité validée le »… */
export const acStepLabels: Record<RecordableAcStep, string> = {
  demande: 'Liste transmise à l’ANCT',
  eligibilite_validee: 'Éligibilité validée par l’ANCT',
  bac_a_sable: 'Accès au bac à sable ouvert',
  pix: 'Test Pix passé',
  presence_transmise: 'Présence reportée sur le tableau de l’ANCT',
};

async function checkedPeople(ctx: ServiceContext, sessionId: number, personIds: number[]) {
  const { s, people } = await registeredPeople(ctx, sessionId);
  if (!includesAidantsConnect(s.kind)) throw new AppError('validation', 'Cette session ne comprend pas de formation Aidants Connect : pas d’étape à suivre avec l’ANCT.');
  const registered = new Set(people.map((p) => p.personId));
  const ids = [...new Set(personIds)];
  if (ids.some((id) => !registered.has(id))) throw new AppError('validation', 'Une des personnes choisies n’est pas inscrite à cette session : rien n’a été modifié.');
  return ids;
}

/** Records `step` on `date` for people of the session: their date of that step is set, the status moves forward only. */
export async function recordAcStep(ctx: ServiceContext, input: { sessionId: number; personIds: number[]; step: RecordableAcStep; date: string }): Promise<AcSessionSteps> {
  const ids = await checkedPeople(ctx, input.sessionId, input.personIds);
  const now = ctx.now().toISOString();
  await writeTransaction(ctx, async (trx) => {
    for (const personId of ids) {
      const cur = await trx.selectFrom('ac_followups').select(['id', 'status']).where('person_id', '=', personId).executeTakeFirst();
      assertRecordable(cur?.status);
      const patch = stepPatch(cur, input.step, input.date);
      if (!cur) {
        const { id } = await trx
          .insertInto('ac_followups')
          .values({ person_id: personId, status: input.step, created_at: now, updated_at: now, ...patch })
          .returning('id')
          .executeTakeFirstOrThrow();
        await recordAudit(trx, ctx, { action: 'ac_status', entity: 'ac_followup', entityId: id, before: null, after: { step: input.step, date: input.date } });
      } else {
        await trx.updateTable('ac_followups').set({ ...patch, updated_at: now }).where('id', '=', cur.id).execute();
        await recordAudit(trx, ctx, { action: 'ac_status', entity: 'ac_followup', entityId: cur.id, before: { status: cur.status }, after: { step: input.step, date: input.date } });
      }
    }
  });
  return sessionAcSteps(ctx, input.sessionId);
}

/** Records the connection method people of the session chose (null: not known). */
export async function setConnectionMethod(ctx: ServiceContext, input: { sessionId: number; personIds: number[]; method: ConnectionMethod | null }): Promise<AcSessionSteps> {
  const ids = await checkedPeople(ctx, input.sessionId, input.personIds);
  const now = ctx.now().toISOString();
  await writeTransaction(ctx, async (trx) => {
    for (const personId of ids) {
      const cur = await trx.selectFrom('ac_followups').select(['id', 'status', 'connection_method']).where('person_id', '=', personId).executeTakeFirst();
      if (cur) {
        if (cur.connection_method === input.method) continue;
        await trx.updateTable('ac_followups').set({ connection_method: input.method, updated_at: now }).where('id', '=', cur.id).execute();
        await recordAudit(trx, ctx, { action: 'ac_connexion', entity: 'ac_followup', entityId: cur.id, before: { connection_method: cur.connection_method }, after: { connection_method: input.method } });
      } else {
        // Registered people have a follow-up; one recorded before it existed starts at « inscrit ».
        const { id } = await trx
          .insertInto('ac_followups')
          .values({ person_id: personId, status: 'inscrit', registered_on: now.slice(0, 10), connection_method: input.method, created_at: now, updated_at: now })
          .returning('id')
          .executeTakeFirstOrThrow();
        await recordAudit(trx, ctx, { action: 'ac_connexion', entity: 'ac_followup', entityId: id, before: null, after: { connection_method: input.method } });
      }
    }
  });
  return sessionAcSteps(ctx, input.sessionId);
}

export interface AcStepsOfSession {
  sessionId: number;
  title: string;
  warnings: AcStepWarning[];
}

/** Every Aidants Connect session of a convention with its missing steps (for the checklist). */
export async function acStepsOfConvention(ctx: ServiceContext, conventionId: number): Promise<AcStepsOfSession[]> {
  const ids = ctx.store.sqlite
    .prepare("SELECT id FROM sessions WHERE convention_id = ? AND kind IN ('AC', 'AN_AC') AND status <> 'annulee' ORDER BY id")
    .all(conventionId) as { id: number }[];
  const out: AcStepsOfSession[] = [];
  for (const { id } of ids) {
    const steps = await sessionAcSteps(ctx, id);
    const s = await getSession(ctx, id);
    out.push({ sessionId: id, title: s.title, warnings: steps.warnings });
  }
  return out;
}
