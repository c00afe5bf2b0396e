// The shapes an import plan is made of: the values of a structure and a person as stored, the
// database rows compared against, the plan of each record and the issues of each row.
import type { EligibilityDecision, TrainingWish } from '../eligibility';
import type { Located } from './locate';

// ---------------------------------------------------------------------------------------------
// Values of the database rows the plan compares against

export interface StructureValues {
  name: string;
  siret: string | null;
  siren: string | null;
  type: string | null;
  address: string | null;
  postcode: string | null;
  city: string | null;
  departement: string | null;
  email: string | null;
  datapass_id: string | null;
  habilitation_ac: string | null;
  france_services: number | null;
  statut_employeur: string | null;
}
export const structureColumns = ['name', 'siret', 'siren', 'type', 'address', 'postcode', 'city', 'departement', 'email', 'datapass_id', 'habilitation_ac', 'france_services', 'statut_employeur'] as const;
export const structureColumnLabels: Record<(typeof structureColumns)[number], string> = {
  name: 'Nom',
  siret: 'SIRET',
  siren: 'SIREN',
  type: 'Type',
  address: 'Adresse',
  postcode: 'Code postal',
  city: 'Commune',
  departement: 'Département',
  email: 'E-mail de contact',
  datapass_id: 'Datapass',
  habilitation_ac: 'Habilitation Aidants Connect',
  france_services: 'France Services',
  statut_employeur: 'Statut de l’employeur',
};

export interface PersonValues {
  nom: string;
  prenom: string;
  email: string | null;
  phone: string | null;
  profession: string | null;
  conseiller_numerique: number | null;
  statut: string | null;
  uniformation: number | null;
  deja_sensibilise: number | null;
  training_wish: TrainingWish | null;
  training_date: string | null;
  training_org: string | null;
  request_date: string | null;
  aidant_actif: number | null;
  referent: number | null;
  comment: string | null;
}
export const personColumns = [
  'nom', 'prenom', 'email', 'phone', 'profession', 'conseiller_numerique', 'statut', 'uniformation', 'deja_sensibilise', 'training_wish', 'training_date',
  'training_org', 'request_date', 'aidant_actif', 'referent', 'comment',
] as const;
export const personColumnLabels: Record<(typeof personColumns)[number] | 'structure_id', string> = {
  nom: 'Nom',
  prenom: 'Prénom',
  email: 'E-mail',
  phone: 'Téléphone',
  profession: 'Fonction',
  conseiller_numerique: 'Conseiller numérique',
  statut: 'Statut',
  uniformation: 'Uniformation',
  deja_sensibilise: 'Déjà sensibilisé(e)',
  training_wish: 'Formation souhaitée',
  training_date: 'Date de formation',
  training_org: 'Organisme de formation',
  request_date: 'Date de la demande',
  aidant_actif: 'Aidant actif',
  referent: 'Référent',
  comment: 'Commentaire',
  structure_id: 'Structure',
};

export interface DbStructure extends StructureValues {
  id: number;
  name_key: string;
}
export interface DbPerson extends PersonValues {
  id: number;
  name_key: string;
  structure_id: number | null;
  override_eligible: number | null;
  override_reason: string | null;
  eligible: number;
  ineligible_json: string;
  warnings_json: string;
}

// ---------------------------------------------------------------------------------------------
// The plan

export interface RowIssue {
  /** Index of the file in the import (0 for a single file). */
  file: number;
  row: number;
  code: string;
  message: string;
}

export interface FieldChange {
  field: string;
  label: string;
  before: string | null;
  after: string | null;
}

export interface StructurePlan {
  key: string;
  file: number;
  row: number;
  dbId: number | null;
  values: StructureValues;
  nameKey: string;
  status: 'created' | 'updated' | 'unchanged';
  changes: FieldChange[];
  before: DbStructure | null;
}

export interface PersonPlan {
  file: number;
  row: number;
  dbId: number | null;
  structureKey: string | null;
  values: PersonValues;
  nameKey: string;
  status: 'created' | 'updated' | 'unchanged';
  changes: FieldChange[];
  /** What the commit needs of the record before the import (not the whole record: memory). */
  before: Pick<DbPerson, 'structure_id' | 'eligible' | 'ineligible_json' | 'warnings_json'> | null;
  decision: EligibilityDecision;
  anct: AnctDecisions | null;
}

export interface Plan {
  /** The first file (the only one of a single-file import). */
  located: Located;
  /** Every file of the import, in order; rows, issues and records say which (index). */
  files: Located[];
  /** Data rows read, all files together; rowsPerFile[i] for file i. */
  rows: number;
  rowsPerFile: number[];
  structures: StructurePlan[];
  people: PersonPlan[];
  rejected: (RowIssue & { reason: string })[];
  warnings: RowIssue[];
}

export interface RowStructure {
  file: number;
  row: number;
  siret: string | null;
  siren: string | null;
  name: string | null;
  nameKey: string;
  values: Partial<StructureValues>;
}

export interface PlanTools {
  signal?: AbortSignal;
  /** Rows read so far, of all the files' rows. */
  progress?: (done: number, total: number) => void;
}

/** Rows between two yields to the event loop (progress, cancel). */
export const PLAN_BATCH = 2000;

/** ANCT's decisions on a person, as its FNE follow-up table gives them (1 oui, 0 non, null: not said). */
export interface AnctDecisions {
  eligibilite: number | null;
  financement: number | null;
  participation: number | null;
}

/** A row read: its structure's values (not matched yet) and its person's. */
export interface RowData {
  file: number;
  row: number;
  structure: RowStructure | null;
  person: PersonValues;
  personNameKey: string;
  /** ANCT's columns of the FNE table, for the Aidants Connect follow-up (null: none in the file). */
  anct: AnctDecisions | null;
}

export function show(v: string | number | null | undefined): string | null {
  if (v === null || v === undefined) return null;
  return String(v);
}

