// The codes the app stores or sends (audit actions and entities, pièce roles, job kinds, error
// codes) as closed unions, each with its French label — defined once, here. The services own
// them: they type their writes with these unions and serve the labels (the history's lines come
// labelled from electron/services/sauvegarde/history-format.ts); the renderer only displays.
// test/unit/codes-labels.test.ts walks every code and fails on a missing or non-French label.
import { errorCodes, type ErrorCode } from './ipc/envelope';
import { ownerTypes } from './ipc/channels/pieces';

/** What an audit row says was done. */
export const auditActions = [
  'create',
  'update',
  'delete',
  'attach',
  'detach',
  'import',
  'merge',
  'undo',
  'override_eligibility',
  'refresh',
  'ac_import',
  'ac_status',
  'ac_connexion',
  'anonymisation',
  'effacement_personne',
  'accept_partial',
  'attendance',
  'attendance_all',
  'cancel',
  'choose',
  'move',
  'pix_date',
  'promote',
  'register',
  'split_certificates',
] as const;
export type AuditAction = (typeof auditActions)[number];

export const auditActionLabels: Record<AuditAction, string> = {
  create: 'Création',
  update: 'Modification',
  delete: 'Suppression',
  attach: 'Pièce jointe',
  detach: 'Pièce retirée',
  import: 'Import',
  merge: 'Fusion',
  undo: 'Annulation de la dernière opération',
  override_eligibility: 'Décision d’éligibilité',
  refresh: 'Mise à jour des règles',
  ac_import: 'Import du suivi Aidants Connect',
  ac_status: 'Étape Aidants Connect',
  ac_connexion: 'Moyen de connexion Aidants Connect',
  anonymisation: 'Anonymisation des données personnelles',
  effacement_personne: 'Effacement d’un professionnel à sa demande',
  accept_partial: 'Présence partielle acceptée',
  attendance: 'Présence',
  attendance_all: 'Présence de tous',
  cancel: 'Annulation',
  choose: 'Choix du devis',
  move: 'Changement de session',
  pix_date: 'Date Pix',
  promote: 'Sortie de liste d’attente',
  register: 'Inscription',
  split_certificates: 'Attestations découpées',
};

/** What kind of record an audit row is about. Every pièce owner type is one. */
export const auditEntities = [
  ...ownerTypes,
  'piece',
  'opco_table',
  'marche',
  'organisme_training',
  'consultations',
  'cohort',
  'attendance',
  'ac_followup',
  'eligibility_rules',
  'public_of_list',
  'other_training_purchases',
] as const;
export type AuditEntity = (typeof auditEntities)[number];

export const auditEntityLabels: Record<AuditEntity, string> = {
  convention: 'Convention',
  import: 'Import',
  structure: 'Structure',
  person: 'Professionnel',
  organisme: 'Organisme de formation',
  quote: 'Devis',
  order: 'Bon de commande',
  invoice: 'Facture',
  payment: 'Paiement',
  expense: 'Dépense',
  session: 'Session',
  registration: 'Inscription',
  piece: 'Pièce',
  opco_table: 'Table OPCO',
  marche: 'Marché de formation',
  organisme_training: 'Formation d’un organisme',
  consultations: 'Demande de devis',
  cohort: 'Cohorte',
  attendance: 'Présence',
  ac_followup: 'Suivi Aidants Connect',
  eligibility_rules: 'Règles d’éligibilité',
  public_of_list: 'Liste publique des organismes',
  other_training_purchases: 'Autres achats de formation de l’année',
};

/** What a pièce proves (its role); which roles each owner type accepts is in electron/services/pieces/roles.ts. */
export const pieceRoleCodes = [
  'convention_signee',
  'avis_sirene',
  'rib',
  'arrete_designation',
  'avis_versement',
  'autre',
  'fichier_source',
  'certificat_qualiopi',
  'referencement_anct',
  'devis',
  'bon_de_commande',
  'note_de_choix',
  'facture',
  'preuve_paiement',
  'justificatif',
  'feuille_presence',
  'attestation_fin_formation',
] as const;
export type PieceRole = (typeof pieceRoleCodes)[number];

export const pieceRoleLabels: Record<PieceRole, string> = {
  convention_signee: 'Convention signée',
  avis_sirene: 'Avis de situation SIRENE',
  rib: "Relevé d'identité bancaire (RIB)",
  arrete_designation: 'Désignation par la préfecture',
  avis_versement: 'Avis de versement des fonds',
  autre: 'Autre document',
  fichier_source: "Fichier source de l'import",
  certificat_qualiopi: 'Certificat Qualiopi',
  referencement_anct: 'Preuve de référencement ANCT',
  devis: 'Devis',
  bon_de_commande: 'Bon de commande signé',
  note_de_choix: 'Note de choix signée',
  facture: 'Facture',
  preuve_paiement: 'Preuve de paiement (mandat)',
  justificatif: 'Justificatif de dépense',
  feuille_presence: "Feuille d'émargement signée",
  attestation_fin_formation: 'Attestation de fin de formation',
};

/** Long work run as a job (electron/services/jobs.ts). */
export const jobKinds = ['dossier', 'recensement-apercu', 'recensement-import'] as const;
export type JobKind = (typeof jobKinds)[number];

export const jobKindLabels: Record<JobKind, string> = {
  dossier: 'Dossier de fin de convention',
  'recensement-apercu': 'Aperçu de l’import du recensement',
  'recensement-import': 'Import du recensement',
};

export { errorCodes, type ErrorCode };
/** What kind of refusal an error code is (its message says the rest, in French). */
export const errorCodeLabels: Record<ErrorCode, string> = {
  invalid_input: 'Données invalides',
  unknown_channel: 'Opération inconnue',
  input_too_large: 'Données trop volumineuses',
  validation: 'Refusé par une règle',
  not_found: 'Introuvable',
  conflict: 'Conflit avec les données existantes',
  file_unreadable: 'Fichier illisible',
  forbidden: 'Interdit',
  cancelled: 'Annulé',
  internal: 'Erreur interne',
};

function has<K extends string>(labels: Record<K, string>, code: string): code is K {
  return Object.prototype.hasOwnProperty.call(labels, code);
}

/** The French label of a stored action code; an unknown one (an older version's) is said so, in French. */
export function auditActionLabel(code: string): string {
  return has(auditActionLabels, code) ? auditActionLabels[code] : 'Opération d’une autre version';
}
export function auditEntityLabel(code: string): string {
  return has(auditEntityLabels, code) ? auditEntityLabels[code] : 'Enregistrement';
}
export function pieceRoleLabel(code: string): string {
  return has(pieceRoleLabels, code) ? pieceRoleLabels[code] : 'Document';
}
export function jobKindLabel(code: string): string {
  return has(jobKindLabels, code) ? jobKindLabels[code] : 'Traitement';
}
