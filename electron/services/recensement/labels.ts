// Short French names of the codes an import reports, for the counts of the preview
// (« 85 alertes (SIRET corrigé : 85) ») and badges; the full message of each row stays its own.
import type { IneligibilityCode, WarningCode } from './eligibility';

/** Codes of the warnings the importer gives on a row (importer.ts), and of the eligibility warnings. */
export const importWarningLabels: Record<string, string> = {
  siret_corrige: 'SIRET corrigé',
  siret_incomplet: 'SIREN seul, SIRET à demander',
  siren_rattache: 'SIREN rattaché à une structure',
  structure_sans_nom: 'structure sans nom',
  structure_manquante: 'sans structure',
  code_postal_invalide: 'code postal illisible',
  departement_invalide: 'département inconnu',
  departement_corse: 'Corse : 2A ou 2B à préciser',
  email_invalide: 'e-mail invalide',
  date_illisible: 'date illisible',
  formation_inconnue: 'formation souhaitée non reconnue',
  doublon_fichier: 'doublon dans le fichier',
  nom_prenom_incertain: 'nom et prénom séparés à vérifier',
  generic_email: 'e-mail générique',
  email_manquant: 'e-mail manquant',
  siret_manquant: 'SIRET manquant',
  opco_inconnu: 'OPCO inconnu (association)',
} satisfies Record<WarningCode, string> & Record<string, string>;

export const ineligibleShortLabels: Record<IneligibilityCode, string> = {
  conseiller_numerique: 'conseiller numérique',
  uniformation: 'OPCO Uniformation',
  benevole: 'bénévole',
  service_civique: 'service civique',
  decision_agent: 'décision de l’agent',
};
