// What a column's header says, by its meaningful words rather than an exact spelling: the header
// is normalised (case, accents, punctuation, line breaks, required-field stars, the allowed values
// in brackets, « Votre … », « Quel(le) est … ? »), cut into words, and each field scores the words
// it needs, the words that help and the words that rule it out (« mail » is the person's e-mail,
// « mail » with a structure word the structure's). Pure: no database, no reader.
import type { ImportField } from '../fields';

/** Header → its meaningful words (lower case, no accents, no question words, no articles). */
export function headerWords(header: string): string[] {
  const folded = header
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc\u00b4`]/g, "'")
    .replace(/[_\s]+/g, ' ')
    .replace(/n°|nº|\bno\./g, ' numero ')
    .replace(/\be[-\s]?mails?\b/g, ' email ')
    .replace(/\bcode[-\s]postaux?\b/g, ' postal ')
    .replace(/\(\s*(?:e|s|es|x|ere|le|ne)\s*\)/g, '') // « sensibilisé(e) », « Quel(le) »
    .replace(/[·•]\s*(?:e|s|es)\b/g, '');
  const words = folded.split(/[^a-z0-9]+/).filter((w) => w !== '');
  return words.filter((w) => !STOP.has(w));
}

const STOP = new Set([
  'le', 'la', 'les', 'l', 'de', 'du', 'des', 'd', 'un', 'une', 'et', 'ou', 'a', 'au', 'aux', 'en', 'pour', 'par', 'sur', 'dans', 'avec',
  'votre', 'vos', 'ton', 'ta', 'tes', 'son', 'sa', 'ses', 'leur', 'leurs', 'mon', 'ma', 'mes', 'notre', 'nos',
  'quel', 'quelle', 'quels', 'quelles', 'qui', 'que', 'quoi', 'qu', 'est', 'sont', 'etes', 'etre', 'avez', 'vous', 'il', 'elle', 'ce', 'cette',
  'merci', 'indiquer', 'indiquez', 'preciser', 'precisez', 'renseigner', 'renseignez', 'saisir', 'saisissez', 'obligatoire', 'facultatif', 'svp',
  'il', 'elle', 'ils', 'actuel', 'actuelle', 'principal', 'principale', 's', 'e', 'x',
]);

/** The words naming an employer (what turns « nom » or « mail » into the structure's). */
const STRUCTURE = ['structure*', 'employeu*', 'organisation*', 'etablissement*', 'collectivite*', 'entreprise*', 'association*', 'raison', 'denomination', 'mairie', 'ccas', 'cias'];
/** The words naming the person (what keeps « mail de contact de l'agent » the person's). */
const PERSON = ['professionnel*', 'aidant*', 'agent*', 'participant*', 'stagiaire*', 'salarie*', 'personnel*', 'perso', 'candidat*', 'apprenant*', 'inscrit*'];
const MAIL = ['email', 'emails', 'mail', 'mails', 'courriel*', 'mel', 'electronique', 'messagerie'];
/** Someone else than the person to train (their manager): their name or address is not the person's. */
const OTHER_PERSON = ['responsable*', 'directeur*', 'directrice*', 'hierarchi*', 'superieur*', 'manager', 'tuteur*', 'tutrice'];

interface FieldModel {
  /** Each group must have one of its words in the header. */
  need: string[][];
  /** Words that add to the score. */
  plus?: Record<string, number>;
  /** Words that rule the field out. */
  not?: string[];
  /** Score of a header meeting the need (2 unless said). */
  weight?: number;
}

// A word ending in * matches every word it starts (« structure* » : structures, structurel…).
const models: Partial<Record<ImportField, FieldModel>> = {
  nom: { need: [['nom', 'noms', 'surname', 'lastname', 'patronyme']], plus: { famille: 1, usage: 0.5 }, not: ['prenom*', 'firstname', ...STRUCTURE, 'organisme*', 'commune', 'ville', 'of', 'formation', 'referent*', ...OTHER_PERSON] },
  prenom: { need: [['prenom*', 'firstname']], not: ['nom', 'noms', ...STRUCTURE, 'referent*', ...OTHER_PERSON] },
  nom_complet: { need: [['identite', 'complet', 'prenom*', 'fullname']], plus: { nom: 2, noms: 2 }, not: [...STRUCTURE, 'organisme*', ...OTHER_PERSON] },
  email: { need: [MAIL], plus: Object.fromEntries(PERSON.map((w) => [w, 1])), not: ['site', 'web', ...OTHER_PERSON] },
  structure_email: { need: [MAIL, [...STRUCTURE, 'contact', 'generique']], plus: { contact: 0.5 }, not: PERSON },
  telephone: { need: [['tel', 'telephone*', 'portable', 'mobile', 'phone', 'gsm', 'fixe']], not: [...STRUCTURE, ...OTHER_PERSON] },
  profession: { need: [['profession*', 'fonction*', 'poste', 'postes', 'metier*', 'emploi', 'intitule', 'job']], not: ['statut*', 'publique', 'type'] },
  conseiller_numerique: { need: [['conseiller*', 'conum', 'cnfs']], plus: { numerique: 1, numeriques: 1 }, weight: 3 },
  statut: { need: [['statut*', 'situation']], plus: Object.fromEntries(PERSON.map((w) => [w, 1])), not: [...STRUCTURE, 'juridique', 'contrat', 'marital', 'familial', 'familiale'] },
  uniformation: { need: [['uniformation', 'opco']], weight: 3 },
  deja_sensibilise: { need: [['sensibilis*']], weight: 3 },
  formation_souhaitee: {
    need: [['formation*', 'parcours']],
    plus: { souhait: 1, souhaitee: 1, souhaitees: 1, choix: 1, choisie: 1, demandee: 1, besoin: 1, besoins: 1, type: 0.5, an: 0.5, ac: 0.5, connect: 0.5 },
    not: ['organisme*', 'of', 'date', 'dates', 'sensibilis*', 'deja', 'lieu', 'session*', 'suivi*', 'initiale', 'diplome*', 'niveau'],
  },
  date_formation: { need: [['date', 'dates', 'jour'], ['formation', 'session']], not: ['demande', 'candidature', 'naissance'] },
  date_demande: {
    need: [['date', 'dates', 'horodat*', 'timestamp', 'envoye', 'soumis']],
    plus: { demande: 1, candidature: 1, reponse: 1, inscription: 1, envoi: 1, saisie: 1, depot: 1, horodateur: 1 },
    not: ['formation', 'session', 'naissance', 'fin', 'debut', 'embauche', 'habilitation'],
  },
  organisme_formation: { need: [['organisme*', 'of', 'prestataire*', 'formateur*']], plus: { formation: 1 } },
  commentaire: { need: [['commentaire*', 'remarque*', 'observation*', 'precision*', 'message', 'note', 'notes', 'complement*', 'informations']] },
  aidant_actif: { need: [['actif', 'active', 'actifs']], not: ['carte', 'totp', 'otp', 'app'] },
  referent: { need: [['referent*']], not: ['nom', 'prenom*', 'mail', 'email', 'telephone'] },
  structure_nom: {
    need: [[...STRUCTURE]],
    plus: { nom: 1, libelle: 1, sociale: 0.5 },
    not: [
      'siret', 'siren', 'type', 'categorie', 'nature', 'typologie', 'adresse', ...MAIL, 'statut*', 'code', 'postal', 'ville', 'commune', 'departement*', 'tel', 'telephone*', 'habilitation*', 'datapass',
      'opco', 'uniformation', 'juridique', 'contact', 'adherent*', 'numero', 'cp', 'labellis*', ...OTHER_PERSON,
    ],
  },
  siret: { need: [['siret*', 'siren']], weight: 4 },
  structure_type: { need: [['type', 'types', 'categorie', 'nature', 'typologie']], plus: Object.fromEntries(STRUCTURE.map((w) => [w, 1])), not: ['formation', 'parcours', 'contrat', 'connexion', 'poste', 'public', 'publics'] },
  adresse: { need: [['adresse', 'adresses', 'rue', 'voie', 'addresse']], plus: { postale: 1 }, not: [...MAIL, 'ip', 'web', 'site'] },
  code_postal: { need: [['postal', 'cp', 'postaux']], weight: 3 },
  commune: { need: [['commune', 'ville', 'localite', 'city']], not: ['code', 'insee', 'type', 'postal', 'cp'] },
  departement: { need: [['departement*', 'dept', 'dpt', 'dep']], not: ['conseil', 'maison', 'mds'] },
  datapass_id: { need: [['datapass']], weight: 4 },
  habilitation_ac: { need: [['habilitation*']], weight: 3, not: ['date'] },
  france_services: { need: [['labellis*', 'label', 'france']], plus: { services: 1, service: 1 }, not: ['conseiller*', 'type'] },
  statut_employeur: { need: [['statut*', 'forme', 'juridique']], plus: { employeur: 2, juridique: 2, structure: 2 }, not: ['professionnel*', ...PERSON.filter((w) => w !== 'salarie*')] },
};

function hit(word: string, pattern: string): boolean {
  if (pattern.includes(' ')) return false;
  return pattern.endsWith('*') ? word.startsWith(pattern.slice(0, -1)) : word === pattern;
}
const has = (words: string[], pattern: string) => words.some((w) => hit(w, pattern));

/** Minimum score of a field for the header alone to propose it. */
export const HEADER_THRESHOLD = 2;

/** Every field the header's words may name, with its score (highest first). */
export function scoreHeader(header: string): { field: ImportField; score: number; words: string[] }[] {
  const words = headerWords(header);
  const out: { field: ImportField; score: number; words: string[] }[] = [];
  if (words.length === 0) return out;
  for (const [field, m] of Object.entries(models) as [ImportField, FieldModel][]) {
    if (m.not?.some((p) => has(words, p))) continue;
    const used: string[] = [];
    let ok = true;
    for (const group of m.need) {
      const w = words.find((x) => group.some((p) => hit(x, p)));
      if (w === undefined) {
        ok = false;
        break;
      }
      used.push(w);
    }
    if (!ok) continue;
    let score = (m.weight ?? 2) + m.need.length - 1;
    for (const [p, v] of Object.entries(m.plus ?? {})) if (has(words, p)) score += v;
    // Many words the field does not know: a long question about something else mentions it.
    const unknown = words.length - used.length - Object.keys(m.plus ?? {}).filter((p) => has(words, p)).length;
    score -= Math.max(0, unknown - 2) * 0.25;
    // Two names in one header (« Nom Prénom »): the combined column, not either half.
    if (field === 'nom_complet' && !(has(words, 'nom') || has(words, 'noms') || has(words, 'identite') || has(words, 'complet'))) continue;
    if (field === 'nom_complet' && has(words, 'prenom*') && !has(words, 'nom') && !has(words, 'noms')) continue;
    out.push({ field, score, words: used });
  }
  // The person's e-mail loses to the structure's when the header names the structure.
  const se = out.find((c) => c.field === 'structure_email');
  const em = out.find((c) => c.field === 'email');
  if (se && em && STRUCTURE.some((p) => has(words, p))) em.score = Math.min(em.score, se.score - 1);
  return out.sort((a, b) => b.score - a.score);
}
