// The fields an imported list of professionals can fill, the headers they are known by (ANCT's
// export, the FNE follow-up table, the application form, hand-typed labels), and how we tell
// which kind of file arrived.
import { dictionary, normaliseHeader } from '../common/tabular/header';

export const importFields = [
  // the professional
  'nom',
  'prenom',
  'email',
  'telephone',
  'profession',
  'conseiller_numerique',
  'statut',
  'uniformation',
  'deja_sensibilise',
  'formation_souhaitee',
  'date_formation',
  'organisme_formation',
  'date_demande',
  'commentaire',
  'aidant_actif',
  'referent',
  // ANCT's decisions, as its FNE follow-up table gives them: into the Aidants Connect follow-up
  'anct_eligibilite',
  'anct_financement',
  'anct_participation',
  // family name and first name in one column (« NOM Prénom »), split at import
  'nom_complet',
  // the structure (employer)
  'structure_nom',
  'siret',
  'structure_type',
  'adresse',
  'code_postal',
  'commune',
  'departement',
  'structure_email',
  'datapass_id',
  'habilitation_ac',
  'france_services',
  'statut_employeur',
] as const;
export type ImportField = (typeof importFields)[number];

export const fieldLabels: Record<ImportField, string> = {
  nom: 'Nom',
  prenom: 'Prénom',
  email: 'Adresse e-mail',
  telephone: 'Téléphone',
  profession: 'Fonction / profession',
  conseiller_numerique: 'Conseiller numérique (oui/non)',
  statut: 'Statut du professionnel (salarié, bénévole, service civique)',
  uniformation: 'Employeur adhérent à l’OPCO Uniformation',
  deja_sensibilise: 'Déjà sensibilisé(e) à l’inclusion numérique (oui/non)',
  formation_souhaitee: 'Formation souhaitée (AN, AC, les deux)',
  date_formation: 'Date de formation',
  organisme_formation: 'Organisme de formation',
  date_demande: 'Date de la demande',
  commentaire: 'Commentaire',
  aidant_actif: 'Aidant actif',
  referent: 'Référent de la structure',
  nom_complet: 'Nom et prénom (une seule colonne)',
  structure_nom: 'Nom de la structure',
  siret: 'SIRET de la structure',
  structure_type: 'Type de structure',
  adresse: 'Adresse de la structure',
  code_postal: 'Code postal',
  commune: 'Commune',
  departement: 'Département',
  structure_email: 'E-mail de contact de la structure',
  datapass_id: 'Identifiant Datapass',
  habilitation_ac: 'N° d’habilitation Aidants Connect',
  france_services: 'Labellisée France Services',
  statut_employeur: 'Statut de l’employeur',
  anct_eligibilite: 'Éligibilité validée par l’ANCT',
  anct_financement: 'Financement validé par l’ANCT',
  anct_participation: 'A participé à la session (selon l’ANCT)',
};

/** Columns that must be found for an import to make sense. */
export const requiredFields: ImportField[] = ['nom', 'prenom', 'email', 'structure_nom'];
/** The structure may be given by its name or its SIRET. */
export const structureFields: ImportField[] = ['structure_nom', 'siret'];

export const synonyms: Record<ImportField, string[]> = {
  nom: ['nom', 'Nom_du_professionnel', 'nom du professionnel', 'nom de famille', "nom de l'aidant", 'nom agent', "nom de l'agent", 'nom du participant', 'nom usuel', "nom d'usage", 'last name', 'surname'],
  prenom: ['prénom', 'Prenom_du_professionnel', 'prénom du professionnel', "prénom de l'aidant", "prénom de l'agent", 'prénom du participant', 'prénom usuel', 'first name'],
  email: [
    'adresse électronique', 'Adresse_e_mail', 'adresse e-mail', 'adresse email', 'adresse mail', 'e-mail', 'email', 'mail', 'courriel',
    'adresse courriel', 'adresse e-mail professionnelle', 'adresse mail professionnelle', 'email professionnel', 'e-mail professionnel',
    'mail professionnel', 'courriel professionnel', "e-mail de l'aidant", "mail de l'aidant", 'mél', 'mel', 'adresse mél',
    'adresse électronique professionnelle', 'mail / courriel', 'courriel / mail', 'e-mail / courriel', 'courriel / e-mail', 'mail / e-mail',
  ],
  telephone: ['téléphone', 'tel', 'tél', 'téléphone professionnel', 'portable', 'numéro de téléphone', 'tel portable', 'mobile'],
  profession: ['profession', 'fonction', 'poste', 'métier', 'intitulé du poste', 'emploi', 'fonction occupée', 'poste occupé', 'fonction / poste', 'poste / fonction', 'profession / fonction'],
  conseiller_numerique: ["L'aidant est conseiller numérique", 'conseiller numérique', 'est conseiller numérique', 'conum', 'cnfs', 'conseiller numérique france services'],
  statut: ['statut du professionnel', 'statut', "statut de l'agent", 'statut professionnel', 'situation', 'statut du participant', "statut de l'aidant"],
  uniformation: ["Employeur adhérent à l'OPCO Uniformation ?", 'adhérent uniformation', 'uniformation', 'opco uniformation', 'opco', "opco de l'employeur", 'adhérent opco uniformation'],
  deja_sensibilise: ['Déjà sensibilisé(e) à l’inclusion numérique', 'déjà sensibilisé', 'déjà sensibilisée', 'sensibilisé à l’inclusion numérique', 'déjà sensibilisé à l’inclusion numérique'],
  formation_souhaitee: ['Formation souhaitée', 'Choix_de_la_formation', 'choix de la formation', 'formation', 'type de formation', 'formation demandée', 'formations souhaitées', 'besoin de formation'],
  date_formation: ['Date de formation', 'date formation', 'date de la formation'],
  organisme_formation: ['Nom Organisme de formation', 'organisme de formation', 'of', 'nom de l’organisme de formation'],
  date_demande: ['Horodateur', 'Date_de_la_demande', 'date de la demande', 'date de candidature', 'horodatage', 'date de réponse', 'date'],
  commentaire: ['Commentaire', 'commentaires', 'remarque', 'remarques', 'observations', 'observation'],
  aidant_actif: ['actif', 'aidant actif'],
  referent: ['Est référent', 'référent', 'référent aidants connect'],
  nom_complet: [],
  structure_nom: [
    'Organisation: Nom', 'Nom_de_la_structure', 'Nom de la structure', 'structure', 'employeur', 'organisation', 'nom structure', 'nom de structure',
    'établissement', 'collectivité', 'raison sociale', 'structure employeuse', "nom de l'employeur", 'nom de l’organisation', 'structure de rattachement',
    'structure / employeur', 'employeur / structure', "nom de l'établissement", 'nom de la collectivité',
  ],
  siret: ['Organisation: N° SIRET', 'Numero_Siret', 'SIRET de la structure', 'SIRET', 'n° siret', 'numéro siret', 'numéro de siret', 'siret employeur', "siret de l'employeur", 'siret structure', 'numéro siret de la structure', 'n° siret de la structure', "siret de l'établissement", 'siren'],
  structure_type: ['Organisation type: Nom', 'Type_de_structure', 'Type de structure', 'type', 'catégorie de structure', 'type structure', "type d'employeur"],
  adresse: ['Organisation: Adresse', 'Adresse', 'adresse de la structure', 'adresse postale'],
  code_postal: ['Organisation: Code Postal', 'Code_postal', 'CP', 'code postal', 'code postal de la structure', 'cp de la structure'],
  commune: ['Organisation: Ville', 'Ville', 'Commune', 'localité', 'nom de la commune', 'commune de la structure', 'ville de la structure'],
  departement: ['Organisation: Code INSEE du département', 'Departement', 'département', 'dept', 'dpt', 'code département', 'n° département', 'code insee du département', 'code du département', 'numéro de département', 'n° de département'],
  structure_email: ['E_mail_de_contact', 'e-mail de contact', 'email de contact', 'mail de la structure', 'courriel de la structure', 'e-mail de la structure'],
  datapass_id: ['Organisation: Datapass ID', 'datapass', 'datapass id', 'numéro datapass'],
  habilitation_ac: ['Numero_d_habilitation_Aidants_Connect', "numéro d'habilitation aidants connect", 'habilitation aidants connect'],
  france_services: ['Organisation: Labellisation France Services', 'labellisation france services', 'france services', 'labellisée france services'],
  statut_employeur: ["Statut de l'employeur", 'statut employeur', 'statut juridique'],
  anct_eligibilite: ['Eligibilite_validee', 'éligibilité validée', 'éligibilité validée par l’anct'],
  anct_financement: ['Validation_du_financement', 'validation du financement', 'financement validé'],
  anct_participation: ['A_participe_a_la_session', 'a participé à la session', 'participation à la session'],
};

export const recensementDictionary = dictionary(synonyms);

export const importKinds = ['anct', 'grist', 'formulaire', 'other'] as const;
export type ImportKind = (typeof importKinds)[number];
export const kindLabels: Record<ImportKind, string> = {
  anct: 'Export ANCT des aidants Aidants Connect',
  grist: 'Tableau de suivi FNE (Grist)',
  formulaire: 'Réponses au formulaire de candidature',
  other: 'Autre liste (saisie à la main)',
};

/** Which kind of file these headers come from. */
export function detectKind(headers: string[]): ImportKind {
  const h = new Set(headers.map(normaliseHeader));
  const has = (...xs: string[]) => xs.some((x) => h.has(normaliseHeader(x)));
  if (has('Organisation: N° SIRET', "L'aidant est conseiller numérique", 'Organisation: Nom', 'Aidant - Peut créer des mandats')) return 'anct';
  if (has('Nom_du_professionnel', 'Prenom_du_professionnel', 'Numero_d_habilitation_Aidants_Connect', 'Choix_de_la_formation')) return 'grist';
  if (has('Horodateur', 'Statut du professionnel', "Employeur adhérent à l'OPCO Uniformation ?", 'Formation souhaitée')) return 'formulaire';
  return 'other';
}
