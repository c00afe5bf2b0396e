// Who can be trained on the FNE envelope — the one place where eligibility is decided.
// Each rule has a stable code (stats, filters) and the French reason shown to the officer.
//   Not eligible (funded elsewhere or not professionals):
//   - conseillers numériques (their training is funded by another programme);
//   - employees of an employer covered by the OPCO Uniformation (Uniformation–ANCT partnership);
//   - bénévoles and services civiques (non-professional helpers).
//   Warnings (eligible, but something must be checked before sending the list to ANCT):
//   - generic e-mail address (ANCT only accepts nominative e-mails);
//   - missing e-mail; employer without a full valid SIRET;
//   - opco_inconnu: employee of an association (or another private non-profit employer) whose OPCO
//     is unknown — the form answered neither yes nor no (« Ne sait pas ») and no SIRO table gives
//     the employer's OPCO: an Uniformation member is not eligible (guide), so it must be checked.
//   Priority (guide: « Les formations sont prioritairement destinées aux agents de collectivités
//   locales et de l'État »): isPublicAgent, from the employer's type.
import { fold } from '../common/tabular/values';

export const ineligibilityRules = {
  conseiller_numerique: 'Conseiller numérique : sa formation est financée par le dispositif Conseillers numériques, pas par cette enveloppe.',
  uniformation: 'Employeur adhérent à l’OPCO Uniformation : formation financée par le partenariat Uniformation–ANCT.',
  benevole: 'Bénévole : l’enveloppe forme des professionnels, pas des aidants bénévoles.',
  service_civique: 'Volontaire en service civique : l’enveloppe forme des professionnels.',
  decision_agent: 'Écarté par décision de l’agent (voir le motif).',
} as const;
export type IneligibilityCode = keyof typeof ineligibilityRules;

export const warningRules = {
  generic_email: 'Adresse e-mail générique : l’ANCT n’accepte que des adresses nominatives (prenom.nom@structure.fr).',
  email_manquant: 'Adresse e-mail manquante : l’ANCT en demande une, nominative.',
  siret_manquant: 'La structure n’a pas de SIRET : à compléter pour le tableau de l’ANCT.',
  siret_incomplet: 'La structure n’est connue que par son SIREN (9 chiffres) : SIRET complet à demander.',
  opco_inconnu:
    'Employeur associatif dont l’OPCO est inconnu (réponse « Ne sait pas », pas de table SIRO) : les salariés des structures adhérentes à l’OPCO Uniformation ne sont pas éligibles. Demandez son OPCO à la structure, ou importez la table SIRO.',
} as const;
export type WarningCode = keyof typeof warningRules;

export interface EligibilityFacts {
  email: string | null;
  profession: string | null;
  /** The file's yes/no column « conseiller numérique ». */
  conseillerNumerique: boolean | null;
  /** Statut du professionnel, as typed (salarié, agent, bénévole, service civique…). */
  statut: string | null;
  /** The form's answer « employeur adhérent à l'OPCO Uniformation ». */
  uniformation: boolean | null;
  /** OPCO of the employer from the imported SIRO table, when known. */
  structureOpco: string | null;
  structureSiret: string | null;
  structureSiren: string | null;
  hasStructure: boolean;
  /** The employer's type as recorded (« Association », « Commune », « CCAS »…); absent: not known. */
  structureType?: string | null;
}

export interface Override {
  eligible: boolean;
  reason: string;
}

export interface EligibilityDecision {
  /** Decision after the officer's override, if any. */
  eligible: boolean;
  /** What the rules say, before any override. */
  ineligible: IneligibilityCode[];
  warnings: WarningCode[];
  overridden: boolean;
}

// « Conseiller numérique », « Conseillère », « Conseiller(e) », « Conseiller·e », « Conseillers numériques », « conseiller-numérique ».
const CONSEILLER_NUMERIQUE = /\bconseill(?:er|ere|eur)(?:\((?:e|ere)\)|[\u00b7.]e)?s?[\s-]+(?:en )?numeriques?\b|\bconum\b|\bcnfs\b/;
const BENEVOLE = /\bbenevol/;
const SERVICE_CIVIQUE = /\bservice civique\b|\bvolontaire\b/;
// The same, when only the profession says it (« Bénévole », « Aidant bénévole », « Volontaire en
// service civique »); « Coordinatrice des bénévoles » or « Tuteur des services civiques » are professionals.
const BENEVOLE_PROFESSION = /(?<!\b(?:des|de|du|aux|les|d) )\bbenevoles?\b/;
const SERVICE_CIVIQUE_PROFESSION = /(?<!\b(?:des|de|du|aux|les|d) )\b(?:services? civiques?\b|volontaires? en service civique\b|^volontaire\b)/;
const UNIFORMATION = /uniformation/;

/** Local parts of shared mailboxes (contact@, accueil@, mairie@…), compared without digits or separators. */
const GENERIC_LOCAL_PARTS = new Set([
  'contact', 'accueil', 'mairie', 'info', 'infos', 'information', 'informations', 'secretariat', 'secretariatmairie', 'direction', 'admin',
  'administration', 'bonjour', 'hello', 'communication', 'franceservices', 'franceservice', 'ccas', 'mediatheque', 'bibliotheque',
  'standard', 'courrier', 'service', 'services', 'social', 'servicesocial', 'rh', 'compta', 'comptabilite', 'noreply', 'nepasrepondre',
  'association', 'asso', 'office', 'reception', 'general', 'mediation', 'numerique', 'mediationnumerique', 'espacenumerique', 'epn',
  'cyberbase', 'agence', 'maison', 'msap', 'pimms', 'caf', 'mds', 'dg', 'dgs', 'cabinet', 'webmaster', 'postmaster', 'support',
  'cias', 'ville', 'commune', 'centresocial', 'tierslieu', 'pointnumerique', 'espacefranceservices',
]);

/** Words that make a shared mailbox when they open the address: mairie.gueret@, accueil-ccas@, contact23@. */
const GENERIC_FIRST_WORDS = new Set([
  'contact', 'accueil', 'mairie', 'info', 'infos', 'secretariat', 'direction', 'franceservices', 'ccas', 'mediatheque', 'noreply', 'standard',
  'cias', 'epn', 'bibliotheque', 'mds', 'commune', 'ville', 'centresocial', 'pimms', 'msap', 'cyberbase',
]);

/** Shared mailboxes written in one word: mairiedegueret@, france-services.gueret@, centre.social.aubusson@. */
const GENERIC_PREFIXES = ['mairie', 'franceservices', 'espacefranceservices', 'centresocial'];

export function isGenericEmail(email: string): boolean {
  const at = email.lastIndexOf('@');
  if (at <= 0) return false;
  const local = fold(email.slice(0, at));
  const letters = local.replace(/[^a-z]/g, '');
  if (GENERIC_LOCAL_PARTS.has(letters)) return true;
  if (GENERIC_PREFIXES.some((p) => letters.startsWith(p))) return true;
  const first = local.split(/[.\-_+]/)[0].replace(/\d+$/, '');
  return GENERIC_FIRST_WORDS.has(first);
}

export function isConseillerNumerique(f: Pick<EligibilityFacts, 'conseillerNumerique' | 'profession'>): boolean {
  if (f.conseillerNumerique === true) return true;
  return f.profession !== null && CONSEILLER_NUMERIQUE.test(fold(f.profession));
}

export function evaluateEligibility(f: EligibilityFacts, override: Override | null = null): EligibilityDecision {
  const ineligible: IneligibilityCode[] = [];
  if (isConseillerNumerique(f)) ineligible.push('conseiller_numerique');
  if (f.uniformation === true || (f.structureOpco !== null && UNIFORMATION.test(fold(f.structureOpco)))) ineligible.push('uniformation');
  const statut = f.statut === null ? '' : fold(f.statut);
  const profession = f.profession === null ? '' : fold(f.profession).replace(/[^a-z0-9]+/g, ' ').trim();
  if (BENEVOLE.test(statut) || BENEVOLE_PROFESSION.test(profession)) ineligible.push('benevole');
  if (SERVICE_CIVIQUE.test(statut) || SERVICE_CIVIQUE_PROFESSION.test(profession)) ineligible.push('service_civique');

  const warnings: WarningCode[] = [];
  if (!f.email) warnings.push('email_manquant');
  else if (isGenericEmail(f.email)) warnings.push('generic_email');
  if (f.hasStructure && !f.structureSiret) warnings.push(f.structureSiren ? 'siret_incomplet' : 'siret_manquant');
  if (isPrivateNonProfit(f.structureType ?? null) && f.uniformation === null && f.structureOpco === null) warnings.push('opco_inconnu');

  const byRules = ineligible.length === 0;
  return { eligible: override ? override.eligible : byRules, ineligible, warnings, overridden: override !== null && override.eligible !== byRules };
}

const PRIVATE_NON_PROFIT = /\bassociati|\basso\b|\bfondation\b|\bloi (du 1er juillet )?1901\b|\bnon lucratif|\bmutuelle\b|\bess\b|economie sociale et solidaire/;
/** An association or another private non-profit employer (its employees may be Uniformation members). */
export function isPrivateNonProfit(structureType: string | null): boolean {
  return structureType !== null && PRIVATE_NON_PROFIT.test(fold(structureType));
}

const PUBLIC_EMPLOYER =
  /\bcommunes?\b|\bmairie|\bmunicipal|\bdepartement|\bconseil departemental|\bregion|\bconseil regional|\bcommunaute (de communes|d agglomeration|urbaine)|\bepci\b|\bmetropole|\bccas\b|\bcias\b|\bprefecture|\bsous prefecture|\betat\b|\bservices? de l etat\b|\bcollectivite|\bsyndicat (mixte|intercommunal)|\betablissement public|\bfrance services?\b|\bpole emploi|\bfrance travail|\bcaf\b|\bcpam\b|\bmsa\b|\bmaison departementale|\bservice public/;
/**
 * The employer is a local authority or a State service (or a public body running a public
 * service): its agents are the priority the guide names. Read from the employer's type.
 */
export function isPublicAgent(structureType: string | null): boolean {
  if (structureType === null) return false;
  const t = fold(structureType).replace(/[^a-z0-9]+/g, ' ');
  return !isPrivateNonProfit(structureType) && PUBLIC_EMPLOYER.test(t);
}

/** Training wished: « Aidants Numériques » → AN, « Aidants Connect » → AC, « Les deux » → AN_AC. */
export type TrainingWish = 'AN' | 'AC' | 'AN_AC';
export const trainingLabels: Record<TrainingWish, string> = { AN: 'Aidants Numériques', AC: 'Aidants Connect', AN_AC: 'Les deux (AN et AC)' };

export function parseTrainingWish(raw: string | null): TrainingWish | null {
  if (!raw) return null;
  const s = fold(raw);
  if (s === '') return null;
  if (/les deux|les 2|\bles2\b|\ban ?(\+|et|&|\/) ?ac\b|\bac ?(\+|et|&|\/) ?an\b|brique|tous? les deux|both/.test(s)) return 'AN_AC';
  const an = /aidants? numeriques?|\ban\b/.test(s);
  const ac = /aidants? connect|\bac\b/.test(s);
  if (an && ac) return 'AN_AC';
  if (ac) return 'AC';
  if (an) return 'AN';
  return null;
}
