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

/**
 * Default capacity of a session: 12 places (the 2021 national plan recommends groups of 8 to 15;
 * ANCT gives no group size). The officer changes it per session.
 */
export const DEFAULT_SESSION_CAPACITY = 12;
export function defaultCapacity(_kind: TrainingKind): number {
  return DEFAULT_SESSION_CAPACITY;
}

const CONTENT: Record<TrainingKind, readonly ('AN' | 'AC')[]> = { AN: ['AN'], AC: ['AC'], AN_AC: ['AN', 'AC'] };

/** Two trainings of the "same kind": they share content (AN_AC shares with both AN and AC). */
export function kindsOverlap(a: TrainingKind, b: TrainingKind): boolean {
  return CONTENT[a].some((x) => CONTENT[b].includes(x));
}

/** The contents (« parts ») a training kind is made of: AN_AC is an AN part and an AC part. */
export type TrainingContent = 'AN' | 'AC';
export function contentsOf(kind: TrainingKind): readonly TrainingContent[] {
  return CONTENT[kind];
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
    /** « Déjà sensibilisé(e) à l’inclusion numérique » (form answer; null: not said). */
    dejaSensibilise?: boolean | null;
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
  const warnings: Reason[] = f.person.warnings.map((code) => ({ code, message: registrationWarningMessage(code) }));
  warnings.push(...targetingWarnings(f));
  return { refusals, warnings };
}

/**
 * The guide's targeting (« Ciblage »): Aidants Connect is for « professionnels déjà sensibilisés
 * aux enjeux d'inclusion numérique et à la posture d'aidants numériques » ; Aidant Numérique for
 * « professionnels ayant besoin d'une sensibilisation ». A warning, never a refusal: the officer
 * knows the person. A person registered to (or who followed) an AN training is being sensibilised.
 */
export const targetingWarningRules = {
  ac_non_sensibilise:
    'Pas encore sensibilisé(e) à l’inclusion numérique (réponse au formulaire) : le guide réserve Aidants Connect aux professionnels déjà sensibilisés. Une formation Aidant Numérique d’abord, ou la formation combinée ?',
  an_deja_sensibilise:
    'Déjà sensibilisé(e) à l’inclusion numérique (réponse au formulaire) : la formation Aidant Numérique vise les professionnels qui ont besoin de cette sensibilisation. Aidants Connect conviendrait-il mieux ?',
} as const;

function targetingWarnings(f: AssignmentFacts): Reason[] {
  const s = f.person.dejaSensibilise ?? null;
  if (f.session.kind === 'AC' && s === false && !f.others.some((o) => o.kind !== 'AC')) return [{ code: 'ac_non_sensibilise', message: targetingWarningRules.ac_non_sensibilise }];
  if (f.session.kind === 'AN' && s === true) return [{ code: 'an_deja_sensibilise', message: targetingWarningRules.an_deja_sensibilise }];
  return [];
}

/** The French message of a warning stored on a registration (eligibility warnings and targeting). */
export function registrationWarningMessage(code: string): string {
  return (warningRules as Record<string, string>)[code] ?? (targetingWarningRules as Record<string, string>)[code] ?? code;
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

/**
 * Why a departure done does not count toward the convention's target (stable codes, used by
 * `stats --json` → departures.not_counted, the art. 5.2 table and the checklist):
 * - the rules of eligibility (recensement/eligibility.ts) say the person is not eligible — they
 *   may be trained with the officer's written reason, but never count: conseiller_numerique,
 *   uniformation, benevole, service_civique; decision_agent when the officer set them aside in
 *   the recensement;
 * - hors_fenetre: the training did not take place between the convention's signature and its
 *   end date (convention/window.ts).
 */
export const notCountedCodes = {
  conseiller_numerique: 'Conseiller numérique : formation financée par un autre dispositif, ne compte pas dans l’objectif.',
  uniformation: 'Salarié d’un employeur adhérent à l’OPCO Uniformation : ne compte pas dans l’objectif.',
  benevole: 'Bénévole : ne compte pas dans l’objectif (l’enveloppe forme des professionnels).',
  service_civique: 'Volontaire en service civique : ne compte pas dans l’objectif.',
  decision_agent: 'Écarté(e) lors du recensement : ne compte pas dans l’objectif.',
  hors_fenetre: 'Formation hors de la période de la convention (entre sa signature et sa date de fin) : ne compte pas dans l’objectif.',
} as const;
export type NotCountedCode = keyof typeof notCountedCodes;

/** Short French names of the codes (tables, badges). */
export const notCountedShortLabels: Record<NotCountedCode, string> = {
  conseiller_numerique: 'conseiller numérique',
  uniformation: 'OPCO Uniformation',
  benevole: 'bénévole',
  service_civique: 'service civique',
  decision_agent: 'écarté(e) au recensement',
  hors_fenetre: 'hors période de la convention',
};

/**
 * Why a registration can never count, in the order they are reported: the rules of eligibility
 * first (whatever the officer's override: a conseiller numérique stays one), then the window.
 */
export function notCountedReasons(f: { ineligibleCodes: readonly string[]; eligible: boolean; inWindow: boolean }): NotCountedCode[] {
  const out: NotCountedCode[] = [];
  for (const c of f.ineligibleCodes) if (c in notCountedCodes && c !== 'hors_fenetre' && !out.includes(c as NotCountedCode)) out.push(c as NotCountedCode);
  if (out.length === 0 && !f.eligible) out.push('decision_agent');
  if (!f.inWindow) out.push('hors_fenetre');
  return out;
}

/** Half-days of a session, per part of a combined training, with the person's presence. */
export interface PartAttendance {
  /** AN or AC for a half-day of one part of an AN_AC training; null: the whole training (both parts). */
  part: TrainingContent | null;
  present: boolean;
}

/**
 * The parts of a training a person completed. AN and AC are one part each; AN_AC (AN with the
 * Aidants Connect brick) is two: each half-day belongs to the AN part, the AC part, or to both
 * (not marked). A part is completed when the person was present on every half-day of it, or
 * when the officer accepted a partial attendance with a reason and the person came to it.
 */
export function completedParts(kind: TrainingKind, halfDays: PartAttendance[], partialReason: string | null): TrainingContent[] {
  return CONTENT[kind].filter((c) => {
    const of = kind === 'AN_AC' ? halfDays.filter((h) => h.part === null || h.part === c) : halfDays;
    return hasAttended({ halfDays: of.length, present: of.filter((h) => h.present).length, partialReason });
  });
}

export interface DepartureRow {
  personId: number;
  kind: TrainingKind;
  /** The parts of the training the person completed (empty: not attended). */
  completed: readonly TrainingContent[];
  /** Why this registration never counts toward the target (empty: it counts). */
  notCounted: readonly NotCountedCode[];
}

export interface DepartureCounts {
  /** Departures that count toward the target, registered (planned) and attended (done). */
  planned: number;
  done: number;
  /** Departures done that do NOT count, by their first reason (notCountedReasons); countDepartures always fills it. */
  notCounted?: Partial<Record<NotCountedCode, number>>;
}

/**
 * THE departure rule (« Un professionnel peut suivre les deux types de formation. Cela est donc
 * compté comme deux départs en formation ») : one departure per person per training content
 * followed — AN and AC count two, whether in two sessions or in one combined AN + AC training
 * whose two parts the person completed (one part: one departure). Planned when registered,
 * done when the part is completed; a registration with a not-counted reason counts in neither,
 * its departures done are reported in notCounted (unless the same person and content already
 * count through another registration).
 */
export function departuresFrom(rows: readonly DepartureRow[]): DepartureCounts {
  const planned = new Set<string>();
  const done = new Set<string>();
  const excluded = new Map<string, NotCountedCode>();
  for (const r of rows) {
    for (const c of CONTENT[r.kind]) {
      const key = `${r.personId}:${c}`;
      const completed = r.completed.includes(c);
      if (r.notCounted.length > 0) {
        if (completed && !excluded.has(key)) excluded.set(key, r.notCounted[0]);
        continue;
      }
      planned.add(key);
      if (completed) done.add(key);
    }
  }
  const notCounted: Partial<Record<NotCountedCode, number>> = {};
  for (const [key, code] of excluded) if (!done.has(key)) notCounted[code] = (notCounted[code] ?? 0) + 1;
  return { planned: planned.size, done: done.size, notCounted };
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
