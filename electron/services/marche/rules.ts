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
 * The threshold in force at a date is a DATED TABLE, never a constant: a need contracted on or
 * before 31/03/2026 is allowed below 40 000 € HT; from 01/04/2026, below 60 000 € HT for supplies
 * and services (décret n° 2025-1386). A later decree adds a row here, nothing else changes.
 */
export const THRESHOLD_TABLE: readonly { from: string | null; until: string | null; cents: number; source: string }[] = [
  { from: null, until: '2026-03-31', cents: 40_000_00, source: 'art. R2122-8 du code de la commande publique' },
  { from: '2026-04-01', until: null, cents: 60_000_00, source: 'art. R2122-8 modifié par le décret n° 2025-1386' },
];

/** Share of the threshold from which the officer is warned. */
export const THRESHOLD_WARNING_PERCENT = 80;

export function thresholdAt(isoDate: string): { cents: number; source: string; from: string | null; until: string | null } {
  const row = THRESHOLD_TABLE.find((r) => (r.from === null || isoDate >= r.from) && (r.until === null || isoDate <= r.until));
  if (!row) throw new Error(`Aucun seuil défini au ${isoDate}`);
  return row;
}

/** Integer percentage, rounded down (79,99 % is not yet 80 %). */
export function percentOf(part: number, whole: number): number {
  return whole <= 0 ? 0 : Math.floor((part * 100) / whole);
}

export interface ThresholdCheck {
  thresholdCents: number;
  thresholdSource: string;
  /** Sum HT of the buyer's training orders of the order's civil year, this order included. */
  yearTotalHtCents: number;
  percent: number;
  findings: Finding[];
}

/**
 * Anti-splitting (art. R2121-6/7): the threshold is compared with the SUM HT of every training
 * order of the same civil year (homogeneous services of the buyer, all conventions together),
 * not with the single order. ≥ 80 %: warning. Reaching the threshold: refused, unless the officer
 * records the other procedure actually used (reference and date).
 */
export function checkThreshold(input: {
  orderDate: string;
  amountHtCents: number;
  /** Sum HT of the OTHER training orders dated in the same civil year. */
  otherOrdersSameYearHtCents: number;
  otherProcedure?: { reference: string; date: string } | null;
}): ThresholdCheck {
  const t = thresholdAt(input.orderDate);
  const year = input.orderDate.slice(0, 4);
  const total = input.otherOrdersSameYearHtCents + input.amountHtCents;
  const percent = percentOf(total, t.cents);
  const findings: Finding[] = [];
  const base =
    `Achats de formation ${year} (cette commande comprise) : ${formatEuros(total)} HT, soit ${percent} % du seuil de ` +
    `${formatEuros(t.cents)} HT en vigueur au ${frDate(input.orderDate)} (${t.source}).`;
  if (total >= t.cents) {
    if (input.otherProcedure && input.otherProcedure.reference.trim() !== '') {
      findings.push({
        code: 'seuil_autre_procedure',
        level: 'info',
        message: `${base} Le seuil est atteint : la commande relève de la procédure « ${input.otherProcedure.reference.trim()} » du ${frDate(input.otherProcedure.date)}.`,
      });
    } else {
      findings.push({
        code: 'seuil_depasse',
        level: 'refus',
        message:
          `${base} Un marché sans publicité ni mise en concurrence n’est possible que sous ce seuil, apprécié sur ` +
          `l’ensemble des formations achetées dans l’année (interdiction de fractionner, art. R2121-6 et R2121-7). ` +
          `Indiquez la procédure de mise en concurrence utilisée (référence et date) pour enregistrer cette commande.`,
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
  return { thresholdCents: t.cents, thresholdSource: t.source, yearTotalHtCents: total, percent, findings };
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

/** Refusals tied to the OF: internal trainers are not bought, Qualiopi valid at the order date, ANCT for Aidants Connect. */
export function checkOrganisme(of: OrganismeFacts, kind: TrainingKind, orderDate: string): Finding[] {
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
  if (kind !== 'AN' && (!of.anctReferencedDate || of.anctReferencedDate > orderDate)) {
    f.push({
      code: 'anct_non_reference',
      level: 'refus',
      message:
        `${trainingKindLabels[kind]} : ${of.name} n’est pas référencé par l’ANCT à la date de commande. Seuls les organismes ` +
        `référencés par l’ANCT peuvent former à Aidants Connect (enregistrez la date et la preuve du référencement sur la fiche de l’organisme).`,
    });
  }
  return f;
}

/** Trainings of the internal trainers are AN only. */
export function checkTrainingKindForOrganisme(of: { isInternal: boolean }, kind: TrainingKind): string | null {
  if (of.isInternal && kind !== 'AN') {
    return 'Les formateurs internes du CD ne peuvent animer que la formation Aidant Numérique : Aidants Connect est assuré par un organisme référencé par l’ANCT.';
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
