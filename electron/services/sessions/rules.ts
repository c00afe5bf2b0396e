// The rules of step 4 — Cohortes et sessions — in ONE place, each with the French reason the
// officer sees. Pure functions: the services gather the facts and call these; screens display.
//
//   Assignment of a person to a session is REFUSED when:
//   - the person is not eligible (rules of the recensement, after the officer's decision) —
//     unless the officer writes the reason of registering them anyway;
//   - the person is already registered (or on a waiting list) for a training of the same kind;
//   - the person already followed a training of the same kind (attended, or trained in Aidants
//     Connect before the envelope according to ANCT's list of aidants);
//   - the session is full (the waiting list stays open), or cancelled.
//   It is WARNED (registered, but to check) when the e-mail is generic or missing, or the
//   employer has no full SIRET — ANCT refuses generic addresses for Aidants Connect.
//
//   "Same kind": AN_AC (Aidant Numérique with the Aidants Connect brick) contains both the AN
//   and the AC content, so AN_AC conflicts with AN and with AC; AN and AC do not conflict
//   (a person may follow both: two departures).
import { frDate } from '../common/dates';
import { trainingKindLabels, type TrainingKind } from '../marche/rules';
import { warningRules } from '../recensement/eligibility';

export { trainingKindLabels, type TrainingKind };

/** Default capacity of a session: 18 places (ANCT's group size for Aidants Connect; the officer changes it). */
export function defaultCapacity(_kind: TrainingKind): number {
  return 18;
}

const CONTENT: Record<TrainingKind, readonly ('AN' | 'AC')[]> = { AN: ['AN'], AC: ['AC'], AN_AC: ['AN', 'AC'] };

/** Two trainings of the "same kind": they share content (AN_AC shares with both AN and AC). */
export function kindsOverlap(a: TrainingKind, b: TrainingKind): boolean {
  return CONTENT[a].some((x) => CONTENT[b].includes(x));
}

/** The kind includes the Aidants Connect content (follow-up with ANCT, Pix, habilitation). */
export function includesAidantsConnect(kind: TrainingKind): boolean {
  return CONTENT[kind].includes('AC');
}

export interface Reason {
  code: string;
  message: string;
}

export const refusalCodes = {
  non_eligible: 'Non éligible',
  deja_inscrit: 'Déjà inscrit',
  deja_forme: 'Déjà formé',
  complet: 'Session complète',
  session_annulee: 'Session annulée',
} as const;
export type RefusalCode = keyof typeof refusalCodes;

/** Minimum length of the written reason to register a person who is not eligible. */
export const MIN_OVERRIDE_REASON_CHARS = 10;

export interface OtherRegistration {
  registrationId: number;
  sessionId: number;
  sessionTitle: string;
  kind: TrainingKind;
  status: 'inscrit' | 'attente';
  firstDate: string | null;
  attended: boolean;
}

export interface AssignmentFacts {
  person: {
    nom: string;
    prenom: string;
    /** Decision after the officer's override in the recensement. */
    eligible: boolean;
    /** Labels of the reasons the rules give. */
    ineligibleReasons: string[];
    warnings: string[];
    /** Date of an Aidants Connect training before the envelope (ANCT's list of aidants). */
    priorAcTrainingDate: string | null;
    priorAcTrainingOrg: string | null;
  };
  session: { id: number; kind: TrainingKind; capacity: number; cancelled: boolean; title: string };
  /** Registrations of the person in other sessions, active (registered / waiting) or attended. */
  others: OtherRegistration[];
  /** People registered (not waiting) in the session, this request's earlier people included. */
  registeredCount: number;
  toWaitingList: boolean;
  overrideReason: string | null;
}

export interface AssignmentCheck {
  refusals: Reason[];
  warnings: Reason[];
}

export function checkAssignment(f: AssignmentFacts): AssignmentCheck {
  const who = `${f.person.prenom} ${f.person.nom}`;
  const refusals: Reason[] = [];
  if (f.session.cancelled) refusals.push({ code: 'session_annulee', message: `La session « ${f.session.title} » est annulée : personne ne peut y être inscrit.` });
  if (!f.person.eligible) {
    const why = f.person.ineligibleReasons.length ? f.person.ineligibleReasons.join(' ; ') : 'écarté lors du recensement';
    const reason = (f.overrideReason ?? '').trim();
    if (reason.length < MIN_OVERRIDE_REASON_CHARS) {
      refusals.push({
        code: 'non_eligible',
        message: `${who} n’est pas éligible (${why}). Pour l’inscrire quand même, écrivez le motif de cette décision (au moins ${MIN_OVERRIDE_REASON_CHARS} caractères).`,
      });
    }
  }
  for (const o of f.others) {
    if (o.sessionId === f.session.id && !o.attended) {
      refusals.push({ code: 'deja_inscrit', message: `${who} est déjà ${o.status === 'attente' ? 'en liste d’attente de' : 'inscrit(e) à'} cette session.` });
      continue;
    }
    if (!kindsOverlap(o.kind, f.session.kind)) continue;
    const when = o.firstDate ? ` (${frDate(o.firstDate)})` : '';
    if (o.attended) {
      refusals.push({ code: 'deja_forme', message: `${who} a déjà suivi la ${trainingKindLabels[o.kind]} « ${o.sessionTitle} »${when}.` });
    } else {
      refusals.push({
        code: 'deja_inscrit',
        message: `${who} est déjà ${o.status === 'attente' ? 'en liste d’attente de' : 'inscrit(e) à'} la ${trainingKindLabels[o.kind]} « ${o.sessionTitle} »${when} : déplacez l’inscription plutôt que d’en créer une seconde.`,
      });
    }
  }
  if (includesAidantsConnect(f.session.kind) && f.person.priorAcTrainingDate) {
    refusals.push({
      code: 'deja_forme',
      message: `${who} a déjà été formé(e) à Aidants Connect le ${frDate(f.person.priorAcTrainingDate)}${f.person.priorAcTrainingOrg ? ` (${f.person.priorAcTrainingOrg})` : ''} selon la liste des aidants de l’ANCT. Si c’est une erreur, corrigez la date de formation dans sa fiche du recensement.`,
    });
  }
  if (!f.toWaitingList && f.registeredCount >= f.session.capacity) {
    refusals.push({
      code: 'complet',
      message: `La session « ${f.session.title} » est complète (${f.registeredCount} inscrits pour ${f.session.capacity} places) : ${who} peut être mis(e) en liste d’attente, ou la capacité augmentée.`,
    });
  }
  const warnings: Reason[] = f.person.warnings.map((code) => ({ code, message: (warningRules as Record<string, string>)[code] ?? code }));
  return { refusals, warnings };
}

// ---------------------------------------------------------------------------------------------
// Attendance and departures
// ---------------------------------------------------------------------------------------------

/**
 * A person has attended a training when present on every half-day of the session, or when the
 * officer accepted a partial attendance with a written reason (and the person came at least once).
 */
export function hasAttended(a: { halfDays: number; present: number; partialReason: string | null }): boolean {
  if (a.halfDays <= 0 || a.present <= 0) return false;
  if (a.present >= a.halfDays) return true;
  return (a.partialReason ?? '').trim() !== '';
}

export interface DepartureRow {
  personId: number;
  kind: TrainingKind;
  /** Registration counts (registered, not waiting list, not cancelled or moved; session not cancelled). */
  attended: boolean;
}

/**
 * THE departure rule: one departure per person per training followed — a person who follows
 * AN and AC counts two, AN_AC is one training. Planned when registered, done when attended.
 */
export function departuresFrom(rows: DepartureRow[]): { planned: number; done: number } {
  const planned = new Set<string>();
  const done = new Set<string>();
  for (const r of rows) {
    const key = `${r.personId}:${r.kind}`;
    planned.add(key);
    if (r.attended) done.add(key);
  }
  return { planned: planned.size, done: done.size };
}

// ---------------------------------------------------------------------------------------------
// Aidants Connect follow-up
// ---------------------------------------------------------------------------------------------

export const acSteps = ['demande', 'eligibilite_validee', 'inscrit', 'bac_a_sable', 'forme', 'pix', 'presence_transmise', 'habilite'] as const;
export type AcStep = (typeof acSteps)[number];
export type AcStatus = AcStep | 'refuse' | 'annule';
export const acStatusLabels: Record<AcStatus, string> = {
  demande: 'Demande',
  eligibilite_validee: 'Éligibilité validée par l’ANCT',
  inscrit: 'Inscrit à une session',
  bac_a_sable: 'Accès au bac à sable ouvert',
  forme: 'Formé (présent)',
  pix: 'Test Pix passé',
  presence_transmise: 'Présence transmise à l’ANCT',
  habilite: 'Habilité',
  refuse: 'Refusé',
  annule: 'Annulé',
};
/** Column of ac_followups holding the date of each status. */
export const acDateColumns = {
  demande: 'requested_on',
  eligibilite_validee: 'eligibility_validated_on',
  inscrit: 'registered_on',
  bac_a_sable: 'sandbox_on',
  forme: 'attended_on',
  pix: 'pix_on',
  presence_transmise: 'reported_on',
  habilite: 'habilitated_on',
  refuse: 'refused_on',
  annule: 'cancelled_on',
} as const;

export function acRank(s: AcStatus): number {
  return (acSteps as readonly string[]).indexOf(s);
}
