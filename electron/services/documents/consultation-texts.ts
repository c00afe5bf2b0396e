// What a demande de devis / cahier des charges says, in one place: the requirements and the
// documents the training organisation must return are fixed by the programme (not editable);
// the other texts start from these defaults, built from the need, and the officer edits them.
import type { TrainingKind } from '../../db/tables/marche';
import type { ConsultationModality } from '../../db/tables/documents';
import { frDate } from '../common/dates';
import { formatEuros } from '../common/money';
import { trainingKindLabels } from '../marche/rules';

export const modalityLabels: Record<ConsultationModality, string> = {
  presentiel: 'En présentiel',
  distanciel: 'À distance',
  mixte: 'Mixte (présentiel et distance)',
};

/** Participants per group used for the default number of groups. */
export const DEFAULT_GROUP_SIZE = 12;
/** Days given to the organisations to answer, by default. */
export const DEFAULT_ANSWER_DAYS = 21;

const hasAc = (kind: TrainingKind) => kind !== 'AN';
const hasAn = (kind: TrainingKind) => kind !== 'AC';

/** The training commons of ANCT (guide for training organisations, « Le Commun de formation »). */
export const COMMUN_DE_FORMATION =
  'Ressources : l’organisme peut s’appuyer sur le Commun de formation Aidants Numériques / Aidants Connect de l’ANCT (lesbases.anct.gouv.fr, « Former à l’inclusion numérique » : guide du formateur, supports à projeter et à imprimer), ' +
  'diffusé sous licence Creative Commons BY-SA 4.0 (Attribution - Partage dans les mêmes conditions 4.0 International). S’il l’utilise, il cite les auteurs en diffusant la première diapositive standardisée du support ' +
  '(en indiquant si la ressource a été modifiée) et partage ses modifications sous la même licence.';

/** Requirements on the organisation (convention art. 1; the guide for training organisations). */
export function requirementsFor(kind: TrainingKind): string[] {
  const r = [
    'Certification Qualiopi au titre des actions de formation, valide à la date de la commande et pendant toute la prestation (convention ANCT, article 1).',
    'Numéro de déclaration d’activité (NDA) d’organisme de formation en cours de validité.',
    'Aucun référencement préalable auprès de l’ANCT n’est demandé pour répondre : après le choix de l’offre, le Conseil départemental référence l’organisme retenu auprès de l’ANCT, avant les sessions.',
  ];
  if (hasAc(kind)) {
    r.push(
      'Aidants Connect : l’organisme retenu se met en lien avec l’ANCT, qui opère le dispositif et ouvre aux formateurs l’accès au site bac à sable. Après la formation, chaque participant passe le test Pix (environ 30 minutes) ; l’ANCT ouvre l’accès à Aidants Connect une fois la présence renseignée par le Conseil départemental.',
    );
  }
  r.push(
    'Après chaque session, transmettre rapidement au Conseil départemental les attestations de présence (feuilles d’émargement) : pour Aidants Connect, l’accès de chaque professionnel n’est ouvert qu’une fois sa présence renseignée.',
    COMMUN_DE_FORMATION,
  );
  return r;
}

/** The documents to send with the offer and after each session. */
export function documentsToReturn(kind: TrainingKind): { withOffer: string[]; afterSessions: string[] } {
  const withOffer = [
    'Devis daté et signé : prix HT, TVA ou motif d’exonération, prix TTC ; prix par place et par groupe ; frais annexes (déplacements, supports) compris.',
    'Certificat Qualiopi (actions de formation) en cours de validité.',
    'Numéro de déclaration d’activité (NDA).',
    'Programme détaillé : objectifs, contenu, durée, modalités pédagogiques et d’évaluation, profil des formateurs.',
  ];
  const afterSessions = [
    'Feuilles d’émargement signées par les participants et le formateur, par demi-journée — transmises rapidement après chaque session.',
    'Attestation de fin de formation nominative pour chaque participant.',
    'Facture rappelant le numéro du bon de commande.',
  ];
  return { withOffer, afterSessions };
}

export function contentFor(kind: TrainingKind): string {
  const parts: string[] = [];
  if (hasAn(kind)) {
    parts.push(
      'Aidant Numérique (environ une journée) : enjeux de l’inclusion numérique ; accueil du public ; diagnostic des besoins et des compétences numériques ; orientation vers les bons interlocuteurs ; règles relatives aux données personnelles ; posture de l’aidant et limites de l’accompagnement.',
    );
  }
  if (hasAc(kind)) {
    parts.push(
      'Aidants Connect (7 h, ou 14 h selon le parcours) : utilisation du service Aidants Connect pour réaliser des démarches en ligne pour le compte d’un usager ; le mandat et le cadre juridique ; FranceConnect ; protection des données personnelles ; mises en situation. Le test Pix suit la formation.',
    );
  }
  return parts.join('\n');
}

export interface NeedFacts {
  kind: TrainingKind;
  label: string;
  seats: number;
  needStart: string | null;
  needEnd: string | null;
}
export interface ConventionFacts {
  label: string;
  departement: string;
  beneficiaireNom: string;
  anctReference: string | null;
  amountCents: number;
  departureTarget: number;
}

export function periodText(need: Pick<NeedFacts, 'needStart' | 'needEnd'>): string {
  if (need.needStart && need.needEnd) return `du ${frDate(need.needStart)} au ${frDate(need.needEnd)}`;
  if (need.needStart) return `à partir du ${frDate(need.needStart)}`;
  if (need.needEnd) return `avant le ${frDate(need.needEnd)}`;
  return 'à convenir';
}

export function defaultGroups(seats: number): number {
  return Math.max(1, Math.ceil(seats / DEFAULT_GROUP_SIZE));
}

export function defaultTexts(c: ConventionFacts, need: NeedFacts, opts: { groups: number; wishing: number }) {
  const money = formatEuros(c.amountCents).replace(/[\u202f\u00a0]/g, ' ');
  const context =
    `${c.beneficiaireNom} met en œuvre dans le département (${c.departement}) la feuille de route France Numérique Ensemble (FNE). ` +
    `Par la convention « ${c.label} »${c.anctReference ? ` (réf. ${c.anctReference})` : ''} signée avec l’Agence nationale de la cohésion des territoires (ANCT), ` +
    `il dispose d’une dotation formation de ${money} pour former au moins ${c.departureTarget} professionnels comme Aidants Numériques et/ou Aidants Connect. ` +
    `La présente demande de devis porte sur le besoin suivant : ${need.label} (${trainingKindLabels[need.kind]}).`;
  let pub =
    'Professionnels des structures du département qui accompagnent le public dans ses démarches : en priorité agents des collectivités territoriales et de l’État (France Services, secrétaires de mairie, travailleurs sociaux, agents d’accueil, médiateurs numériques).';
  if (hasAc(need.kind)) pub += ' Pour Aidants Connect : professionnels déjà sensibilisés à l’inclusion numérique, dont la structure est habilitée ou éligible à Aidants Connect.';
  if (opts.wishing > 0) pub += ` À ce jour, ${opts.wishing} professionnel${opts.wishing > 1 ? 's' : ''} éligible${opts.wishing > 1 ? 's' : ''} recensé${opts.wishing > 1 ? 's' : ''} souhaite${opts.wishing > 1 ? 'nt' : ''} cette formation.`;
  const perGroup = Math.ceil(need.seats / opts.groups);
  const places =
    `Sessions dans le département (${c.departement}), ${periodText(need)}, en ${opts.groups} groupe${opts.groups > 1 ? 's' : ''} d’environ ${perGroup} participant${perGroup > 1 ? 's' : ''}. ` +
    `Lieux et dates précis à convenir avec ${c.beneficiaireNom} (salles mises à disposition par le Conseil départemental ou les structures).`;
  const criteria =
    'L’offre retenue sera la plus pertinente au regard des critères suivants : 1) qualité et adaptation du programme au public et au territoire (50 %) ; 2) prix (40 %) ; 3) disponibilités et délais de mise en œuvre (10 %).\n' +
    'Procédure : marché sans publicité ni mise en concurrence préalables (article R2122-8 du code de la commande publique). L’acheteur compare plusieurs devis et motive son choix par écrit ; la demande de devis n’engage pas le Conseil départemental.';
  return { contextText: context, publicText: pub, placesText: places, contentText: contentFor(need.kind), criteriaText: criteria };
}
