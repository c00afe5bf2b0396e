// The rules of step 3 — Marché de formation — in ONE place, each with the French explanation
// the officer sees. Pure functions: the services gather the facts (orders of the year, quotes,
// the OF's certificates, departures) and call these; the screens only display the findings.
import { frDate } from '../common/dates';
import { formatEuros } from '../common/money';

export type TrainingKind = 'AN' | 'AN_AC' | 'AC';
export const trainingKindLabels: Record<TrainingKind, string> = {
  AN: 'Formation Aidant Numérique',
  AN_AC: 'Formation Aidant Numérique avec brique Aidants Connect',
  AC: 'Formation Aidants Connect',
};

/** A finding on an order: `refus` blocks saving, `alerte` must be acknowledged, `info` explains. */
export interface Finding {
  code: string;
  level: 'refus' | 'alerte' | 'info';
  message: string;
}

// ---------------------------------------------------------------------------------------------
// Threshold of the marché « sans publicité ni mise en concurrence préalables » (CCP art. R2122-8)
// ---------------------------------------------------------------------------------------------

/**
 * The threshold in force is a DATED TABLE, never a constant, and it is dated by the day the
 * CONSULTATION WAS ENGAGED (the demande de devis sent), never by the order: décret n° 2025-1386,
 * art. 4, applies the 60 000 € HT threshold to contracts « pour lesquels une consultation est
 * engagée » from 01/04/2026; a consultation engaged before stays under 40 000 € HT even when the
 * order is signed later. A later decree adds a row here, nothing else changes.
 */
export interface ThresholdRow {
  /** First day of consultation covered (null: since always). */
  from: string | null;
  /** Last day of consultation covered (null: until further notice). */
  until: string | null;
  cents: number;
  source: string;
  /** Which consultations the row covers, citing the text that dates it. */
  appliesTo: string;
}
export const THRESHOLD_TABLE: readonly ThresholdRow[] = [
  {
    from: null,
    until: '2026-03-31',
    cents: 40_000_00,
    source: 'art. R2122-8 du code de la commande publique',
    appliesTo: 'consultations engagées avant le 01/04/2026 (décret n° 2025-1386, art. 4)',
  },
  {
    from: '2026-04-01',
    until: null,
    cents: 60_000_00,
    source: 'art. R2122-8 du code de la commande publique modifié par le décret n° 2025-1386',
    appliesTo: 'consultations engagées à partir du 01/04/2026 (décret n° 2025-1386, art. 4)',
  },
];

/** Share of the threshold from which the officer is warned. */
export const THRESHOLD_WARNING_PERCENT = 80;

/** The row of the table in force for a consultation engaged on `consultationDate` (ISO). */
export function thresholdAt(consultationDate: string): ThresholdRow {
  const row = THRESHOLD_TABLE.find((r) => (r.from === null || consultationDate >= r.from) && (r.until === null || consultationDate <= r.until));
  if (!row) throw new Error(`Aucun seuil défini au ${consultationDate}`);
  return row;
}

/** Integer percentage, rounded down (79,99 % is not yet 80 %). */
export function percentOf(part: number, whole: number): number {
  return whole <= 0 ? 0 : Math.floor((part * 100) / whole);
}

/**
 * Where the consultation date comes from: recorded on the need (demande de devis sent), bounded by
 * the earliest quote received when none is recorded (the consultation was engaged at the latest
 * that day), or — with neither — the order date itself.
 */
export type ConsultationDateSource = 'demande_de_devis' | 'premier_devis' | 'commande';

/** The date the consultation was engaged, as the rule reads it. */
export function consultationDateOf(input: { recorded: string | null; quoteDates: string[]; orderDate: string }): { date: string; source: ConsultationDateSource } {
  if (input.recorded) return { date: input.recorded, source: 'demande_de_devis' };
  if (input.quoteDates.length > 0) return { date: input.quoteDates.reduce((a, b) => (b < a ? b : a)), source: 'premier_devis' };
  return { date: input.orderDate, source: 'commande' };
}

function consultationText(date: string, source: ConsultationDateSource): string {
  if (source === 'demande_de_devis') return `consultation engagée le ${frDate(date)} (envoi de la demande de devis)`;
  if (source === 'premier_devis') return `consultation engagée au plus tard le ${frDate(date)} (premier devis reçu ; date d’envoi de la demande de devis non enregistrée)`;
  return `consultation sans date enregistrée ni devis, datée par la commande (${frDate(date)})`;
}

export interface ThresholdCheck {
  thresholdCents: number;
  thresholdSource: string;
  /** The date the threshold was read at: the consultation's, never the order's. */
  consultationDate: string;
  consultationDateSource: ConsultationDateSource;
  /** Sum HT of the buyer's training purchases of the order's civil year, this order included. */
  yearTotalHtCents: number;
  /** Of which the département's other training purchases of the year, entered as one figure. */
  otherPurchasesHtCents: number;
  percent: number;
  findings: Finding[];
}

/**
 * Anti-splitting (art. R2121-6/7): the threshold is compared with the SUM HT of every training
 * purchase of the same civil year (homogeneous services of the buyer: all conventions together,
 * plus the département's other training purchases of the year entered as one figure), not with the
 * single order. The threshold is the one in force on the day the consultation was engaged
 * (décret n° 2025-1386, art. 4). ≥ 80 %: warning. Reaching the threshold: refused, unless the
 * officer records the other procedure actually used (reference and date).
 */
export function checkThreshold(input: {
  orderDate: string;
  /** When the consultation was engaged (see consultationDateOf); the order date when absent. */
  consultation?: { date: string; source: ConsultationDateSource };
  amountHtCents: number;
  /** Sum HT of the OTHER training orders dated in the same civil year. */
  otherOrdersSameYearHtCents: number;
  /** The département's other training purchases of the year (outside this app), HT. */
  otherPurchasesHtCents?: number;
  otherProcedure?: { reference: string; date: string } | null;
}): ThresholdCheck {
  const consultation = input.consultation ?? { date: input.orderDate, source: 'commande' as const };
  const t = thresholdAt(consultation.date);
  const year = input.orderDate.slice(0, 4);
  const other = input.otherPurchasesHtCents ?? 0;
  const total = input.otherOrdersSameYearHtCents + other + input.amountHtCents;
  const percent = percentOf(total, t.cents);
  const findings: Finding[] = [];
  const base =
    `Achats de formation ${year} (cette commande comprise${other > 0 ? `, dont ${formatEuros(other)} HT d’autres achats de formation du département` : ''}) : ` +
    `${formatEuros(total)} HT, soit ${percent} % du seuil de ${formatEuros(t.cents)} HT (${t.source}) applicable aux ${t.appliesTo} : ` +
    `${consultationText(consultation.date, consultation.source)}, bon de commande du ${frDate(input.orderDate)}.`;
  if (total >= t.cents) {
    if (input.otherProcedure && input.otherProcedure.reference.trim() !== '') {
      findings.push({
        code: 'seuil_autre_procedure',
        level: 'info',
        message: `${base} Le seuil est atteint : la commande relève de la procédure « ${input.otherProcedure.reference.trim()} » du ${frDate(input.otherProcedure.date)}.`,
      });
    } else {
      const later = THRESHOLD_TABLE.find((r) => r.from !== null && r.from > consultation.date && total < r.cents);
      findings.push({
        code: 'seuil_depasse',
        level: 'refus',
        message:
          `${base} Un marché sans publicité ni mise en concurrence n’est possible que sous ce seuil, apprécié sur ` +
          `l’ensemble des formations achetées dans l’année (interdiction de fractionner, art. R2121-6 et R2121-7)` +
          (later ? ` ; le seuil de ${formatEuros(later.cents)} HT ne vaut que pour les ${later.appliesTo}, quelle que soit la date de la commande` : '') +
          `. Indiquez la procédure de mise en concurrence utilisée (référence et date) pour enregistrer cette commande.`,
      });
    }
  } else if (percent >= THRESHOLD_WARNING_PERCENT) {
    findings.push({
      code: 'seuil_proche',
      level: 'alerte',
      message: `${base} Vous approchez du seuil : les prochains achats de formation de ${year} devront probablement faire l’objet d’une mise en concurrence.`,
    });
  } else {
    findings.push({ code: 'seuil_ok', level: 'info', message: base });
  }
  return {
    thresholdCents: t.cents,
    thresholdSource: t.source,
    consultationDate: consultation.date,
    consultationDateSource: consultation.source,
    yearTotalHtCents: total,
    otherPurchasesHtCents: other,
    percent,
    findings,
  };
}

// ---------------------------------------------------------------------------------------------
// Good use of public money below the threshold
// ---------------------------------------------------------------------------------------------

/** Fewer than two quotes compared: allowed, but the choice is harder to justify. */
export function checkQuotesCompared(quoteCount: number): Finding[] {
  if (quoteCount >= 2) return [];
  return [
    {
      code: 'moins_de_deux_devis',
      level: 'alerte',
      message:
        `${quoteCount === 0 ? 'Aucun devis' : 'Un seul devis'} comparé. Sous le seuil, l’acheteur doit choisir une offre pertinente ` +
        `et faire bon usage des deniers publics : conserver au moins deux devis et la raison du choix en est la preuve habituelle.`,
    },
  ];
}

/**
 * R2122-8: do not systematically contract with the same supplier when several could answer.
 * `previousOrders` are the buyer's earlier training orders, most recent first.
 */
export function checkSameSupplier(
  organismeId: number,
  organismeName: string,
  previousOrders: { organismeId: number; quoteCount: number }[],
): Finding[] {
  let streak = 0;
  let withoutCompetition = 0;
  for (const o of previousOrders) {
    if (o.organismeId !== organismeId) break;
    streak++;
    if (o.quoteCount < 2) withoutCompetition++;
  }
  if (withoutCompetition === 0) return [];
  return [
    {
      code: 'meme_fournisseur',
      level: 'alerte',
      message:
        `${organismeName} a déjà obtenu ${streak === 1 ? 'la commande précédente' : `les ${streak} commandes précédentes`}, ` +
        `dont ${withoutCompetition === 1 ? 'une' : withoutCompetition} sans mise en concurrence. L’article R2122-8 demande de ne pas ` +
        `contracter systématiquement avec le même fournisseur lorsque plusieurs peuvent répondre : comparez d’autres offres ou motivez ce choix.`,
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// The training organisation: Qualiopi, ANCT referencing, internal trainers
// ---------------------------------------------------------------------------------------------

export interface OrganismeFacts {
  name: string;
  isInternal: boolean;
  qualiopiActionsFormation: boolean;
  qualiopiValidFrom: string | null;
  qualiopiValidUntil: string | null;
  anctReferencedDate: string | null;
}

export type QualiopiStatus = 'valide' | 'expire_bientot' | 'expire' | 'pas_encore' | 'absent' | 'interne';
export const qualiopiStatusLabels: Record<QualiopiStatus, string> = {
  valide: 'Qualiopi valide',
  expire_bientot: 'Qualiopi : expire bientôt',
  expire: 'Qualiopi expiré',
  pas_encore: 'Qualiopi pas encore valide',
  absent: 'Sans Qualiopi',
  interne: 'Formateurs internes',
};
/** Days before expiry from which the certificate is flagged. */
export const QUALIOPI_EXPIRY_WARNING_DAYS = 90;

function daysBetween(fromIso: string, toIso: string): number {
  return Math.round((Date.parse(toIso + 'T00:00:00Z') - Date.parse(fromIso + 'T00:00:00Z')) / 86_400_000);
}

export function qualiopiStatus(of: OrganismeFacts, atIso: string): { status: QualiopiStatus; label: string; daysLeft: number | null } {
  let status: QualiopiStatus;
  let daysLeft: number | null = null;
  if (of.isInternal) status = 'interne';
  else if (!of.qualiopiActionsFormation || !of.qualiopiValidUntil) status = 'absent';
  else if (of.qualiopiValidFrom && atIso < of.qualiopiValidFrom) status = 'pas_encore';
  else {
    daysLeft = daysBetween(atIso, of.qualiopiValidUntil);
    status = daysLeft < 0 ? 'expire' : daysLeft <= QUALIOPI_EXPIRY_WARNING_DAYS ? 'expire_bientot' : 'valide';
  }
  return { status, label: qualiopiStatusLabels[status], daysLeft };
}

/** Refusals tied to the OF: internal trainers are not bought, Qualiopi valid at the order date. */
export function checkOrganisme(of: OrganismeFacts, _kind: TrainingKind, orderDate: string): Finding[] {
  const f: Finding[] = [];
  if (of.isInternal) {
    f.push({
      code: 'formateurs_internes',
      level: 'refus',
      message: 'Les formateurs internes du CD ne sont pas un fournisseur : leurs sessions ne donnent lieu ni à devis ni à commande.',
    });
    return f;
  }
  const q = qualiopiStatus(of, orderDate);
  if (q.status === 'absent' || q.status === 'expire' || q.status === 'pas_encore') {
    const why =
      q.status === 'absent'
        ? 'aucune certification Qualiopi « actions de formation » n’est enregistrée'
        : q.status === 'expire'
          ? `sa certification Qualiopi a expiré le ${frDate(of.qualiopiValidUntil!)}`
          : `sa certification Qualiopi ne commence que le ${frDate(of.qualiopiValidFrom!)}`;
    f.push({
      code: 'qualiopi_invalide',
      level: 'refus',
      message: `Commande impossible avec ${of.name} : ${why} à la date de commande (${frDate(orderDate)}). La convention (art. 1) exige un organisme certifié Qualiopi.`,
    });
  }
  // ANCT referencing is not checked here: it is a step after the choice (see anctReferencing), never a condition of the order.
  return f;
}

/** Trainings of the internal trainers are AN only. */
export function checkTrainingKindForOrganisme(of: { isInternal: boolean }, kind: TrainingKind): string | null {
  if (of.isInternal && kind !== 'AN') {
    return 'Les formateurs internes du CD ne peuvent animer que la formation Aidant Numérique : Aidants Connect est assuré par un organisme de formation externe, référencé auprès de l’ANCT.';
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// ANCT referencing of the chosen OF: a step AFTER the choice, for every kind of training
// ---------------------------------------------------------------------------------------------

/**
 * Guide for training organisations, « Organisation des sessions », step 2: the fund recipient
 * « sélectionne un organisme de formation et le référence auprès de l’ANCT ». It follows the
 * choice, for AN as for Aidants Connect, and ANCT then opens the trainers' access: a step to
 * track before the sessions (date and proof on the OF's record), never a condition of the order.
 * Internal trainers are not referenced (no purchase).
 */
export type AnctReferencingStatus = 'reference' | 'preuve_manquante' | 'non_reference' | 'sans_objet';

export function anctReferencing(
  of: { name: string; isInternal: boolean; anctReferencedDate: string | null },
  hasProof: boolean,
): { status: AnctReferencingStatus; message: string } {
  if (of.isInternal) return { status: 'sans_objet', message: 'Formateurs internes : pas de référencement auprès de l’ANCT.' };
  if (!of.anctReferencedDate) {
    return {
      status: 'non_reference',
      message:
        `${of.name} n’est pas encore référencé auprès de l’ANCT. Après le choix de l’organisme, le porteur des crédits le référence ` +
        `auprès de l’ANCT (guide des organismes de formation, étape 2), pour tout type de formation, avant les sessions : ` +
        `enregistrez la date et joignez la preuve sur la fiche de l’organisme.`,
    };
  }
  if (!hasProof) {
    return { status: 'preuve_manquante', message: `${of.name} est référencé auprès de l’ANCT depuis le ${frDate(of.anctReferencedDate)} : la preuve du référencement est à joindre sur la fiche de l’organisme.` };
  }
  return { status: 'reference', message: `${of.name} est référencé auprès de l’ANCT depuis le ${frDate(of.anctReferencedDate)} (preuve jointe).` };
}

/** The warning a session carries while its OF's referencing is missing, unproven, or later than the session. */
export function sessionReferencingWarning(
  of: { name: string; isInternal: boolean; anctReferencedDate: string | null },
  hasProof: boolean,
  sessionFirstDate: string | null,
): { code: string; message: string } | null {
  const r = anctReferencing(of, hasProof);
  if (r.status === 'non_reference') return { code: 'anct_non_reference', message: r.message };
  if (r.status === 'preuve_manquante') return { code: 'anct_preuve_manquante', message: r.message };
  if (r.status === 'reference' && sessionFirstDate !== null && of.anctReferencedDate! > sessionFirstDate) {
    return {
      code: 'anct_reference_apres_session',
      message: `${of.name} a été référencé auprès de l’ANCT le ${frDate(of.anctReferencedDate!)}, après le début de la session (${frDate(sessionFirstDate)}) : le référencement se fait avant les sessions. Vérifiez la date enregistrée sur la fiche de l’organisme.`,
    };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Budget of the convention
// ---------------------------------------------------------------------------------------------

/** Committing more than the amount received is warned before saving. */
export function checkOverspending(input: { receivedCents: number | null; alreadyCommittedCents: number; newCents: number }): Finding[] {
  const after = input.alreadyCommittedCents + input.newCents;
  const received = input.receivedCents ?? 0;
  if (after <= received) return [];
  return [
    {
      code: 'depassement_recu',
      level: 'alerte',
      message:
        input.receivedCents === null
          ? `Les fonds de la convention n’ont pas encore été reçus : cette dépense porterait les engagements à ${formatEuros(after)}.`
          : `Cette dépense porterait les engagements à ${formatEuros(after)}, au-delà du montant reçu (${formatEuros(received)}) : dépassement de ${formatEuros(after - received)}.`,
    },
  ];
}

/**
 * Reliquat (convention art. 4): what remains may fund engineering actions listed in the
 * convention only once the target of departures is reached. Before, it may not.
 * `target` is the convention's own target (60 in the 2024 model), never a constant.
 */
export function reliquatRule(doneDepartures: number, target: number): { allowed: boolean; missing: number; message: string } {
  const missing = Math.max(0, target - doneDepartures);
  if (missing === 0) {
    return {
      allowed: true,
      missing: 0,
      message: `Objectif atteint (${doneDepartures} départs réalisés pour ${target}) : le reliquat peut financer les actions d’ingénierie prévues par la convention.`,
    };
  }
  return {
    allowed: false,
    missing,
    message:
      `Dépense d’ingénierie refusée : le reliquat ne peut la financer qu’une fois l’objectif de ${target} départs en formation atteint ` +
      `(convention, art. 4). Départs réalisés : ${doneDepartures} — il en manque ${missing}.`,
  };
}

/** Management costs above what the convention planned: warned. */
export function checkFraisGestion(plannedCents: number, spentCents: number, newCents: number): Finding[] {
  const after = spentCents + newCents;
  if (after <= plannedCents) return [];
  return [
    {
      code: 'frais_gestion_depasses',
      level: 'alerte',
      message: `Les frais de gestion atteindraient ${formatEuros(after)}, au-delà des ${formatEuros(plannedCents)} prévus dans la convention.`,
    },
  ];
}

export function blocking(findings: Finding[]): Finding[] {
  return findings.filter((f) => f.level === 'refus');
}
export function warnings(findings: Finding[]): Finding[] {
  return findings.filter((f) => f.level === 'alerte');
}
