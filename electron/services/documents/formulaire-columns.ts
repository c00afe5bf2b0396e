// The columns of the application-form workbook sent to structures. Each header is one the
// Recensement import already recognises (fields.ts synonyms), so a filled copy that comes back is
// imported without any mapping step; a unit test holds every header to its field. The closed
// answers are drop-down lists whose values the importer and the eligibility rules understand
// (trainingLabels come from eligibility.ts; statuts are tested against evaluateEligibility).
import type { ImportField } from '../recensement/fields';
import { trainingLabels } from '../recensement/eligibility';

export interface FormColumn {
  header: string;
  /** The Recensement field the header maps to; null: read by no field yet (see the report). */
  field: ImportField | null;
  group: 'structure' | 'professionnel';
  width: number;
  /** Closed answer: the drop-down values. */
  list?: readonly string[];
  /** true: a value outside the list is refused; false: the list only suggests. */
  strict?: boolean;
  /** Explanation shown when the cell is selected (Excel input message, ≤ 255 characters). */
  help: string;
}

export const YES_NO = ['Oui', 'Non'] as const;
export const YES_NO_UNKNOWN = ['Oui', 'Non', 'Ne sait pas'] as const;

export const STRUCTURE_TYPES = [
  'Commune / mairie',
  'CCAS / CIAS',
  'Espace France Services',
  'Conseil départemental',
  'Intercommunalité',
  'Service de l’État',
  'Organisme de protection sociale',
  'Association',
  'Médiathèque / tiers-lieu',
  'Autre',
] as const;

export const EMPLOYER_STATUSES = ['Collectivité territoriale', 'Service de l’État', 'Établissement public', 'Association', 'Entreprise', 'Autre'] as const;

/** The professional's status; the two last ones cannot be funded (eligibility.ts). */
export const PERSON_STATUSES = ['Agent public', 'Salarié', 'Bénévole', 'Volontaire en service civique'] as const;

export const TRAINING_CHOICES = [trainingLabels.AN, trainingLabels.AC, trainingLabels.AN_AC] as const;

export const formColumns: readonly FormColumn[] = [
  { header: 'Nom de la structure', field: 'structure_nom', group: 'structure', width: 30, help: 'Nom de la structure employeuse, à répéter sur chaque ligne.' },
  { header: 'SIRET de la structure', field: 'siret', group: 'structure', width: 18, help: '14 chiffres, sans espace (voir l’avis de situation SIRENE).' },
  { header: 'Type de structure', field: 'structure_type', group: 'structure', width: 24, list: STRUCTURE_TYPES, strict: false, help: 'Choisissez dans la liste (ou écrivez un autre type).' },
  { header: 'Adresse de la structure', field: 'adresse', group: 'structure', width: 30, help: 'Numéro et rue.' },
  { header: 'Code postal', field: 'code_postal', group: 'structure', width: 11, help: '5 chiffres.' },
  { header: 'Commune', field: 'commune', group: 'structure', width: 20, help: 'Commune de la structure.' },
  { header: 'Statut de l’employeur', field: 'statut_employeur', group: 'structure', width: 24, list: EMPLOYER_STATUSES, strict: true, help: 'Statut juridique de l’employeur.' },
  {
    header: 'Employeur adhérent à l’OPCO Uniformation ?',
    field: 'uniformation',
    group: 'structure',
    width: 20,
    list: YES_NO_UNKNOWN,
    strict: true,
    help: 'Les salariés d’un employeur adhérent à l’OPCO Uniformation sont formés par le partenariat Uniformation–ANCT, pas par cette enveloppe.',
  },
  { header: 'Labellisée France Services', field: 'france_services', group: 'structure', width: 14, list: YES_NO, strict: true, help: 'La structure est-elle un espace France Services labellisé ?' },
  { header: 'Nom', field: 'nom', group: 'professionnel', width: 18, help: 'Nom du professionnel à former.' },
  { header: 'Prénom', field: 'prenom', group: 'professionnel', width: 16, help: 'Prénom du professionnel.' },
  { header: 'Fonction', field: 'profession', group: 'professionnel', width: 24, help: 'Poste occupé (ex. agent d’accueil, secrétaire de mairie, travailleur social).' },
  {
    header: 'Adresse e-mail professionnelle',
    field: 'email',
    group: 'professionnel',
    width: 30,
    help: 'Adresse NOMINATIVE (prenom.nom@structure.fr) : l’ANCT refuse les adresses génériques (contact@, accueil@, mairie@…).',
  },
  { header: 'Téléphone', field: 'telephone', group: 'professionnel', width: 15, help: 'Téléphone professionnel.' },
  {
    header: 'Statut du professionnel',
    field: 'statut',
    group: 'professionnel',
    width: 24,
    list: PERSON_STATUSES,
    strict: true,
    help: 'Les bénévoles et les volontaires en service civique ne peuvent pas être formés sur cette enveloppe.',
  },
  {
    header: 'Conseiller numérique',
    field: 'conseiller_numerique',
    group: 'professionnel',
    width: 13,
    list: YES_NO,
    strict: true,
    help: 'Les conseillers numériques sont formés par leur propre dispositif, pas par cette enveloppe.',
  },
  {
    header: 'Formation souhaitée',
    field: 'formation_souhaitee',
    group: 'professionnel',
    width: 22,
    list: TRAINING_CHOICES,
    strict: true,
    help: 'Aidants Numériques (sensibilisation, posture d’aidant), Aidants Connect (démarches en ligne pour le compte d’un usager, avec mandat) ou les deux.',
  },
  {
    header: 'Déjà sensibilisé(e) à l’inclusion numérique',
    field: 'deja_sensibilise',
    group: 'professionnel',
    width: 18,
    list: YES_NO,
    strict: true,
    help: 'La formation Aidants Connect s’adresse à des professionnels déjà sensibilisés qui accompagnent des démarches administratives.',
  },
  { header: 'Commentaire', field: 'commentaire', group: 'professionnel', width: 30, help: 'Disponibilités, besoins particuliers…' },
];
