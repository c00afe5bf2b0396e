// Kysely types of the recensement capability's tables (migration 0002).
import type { Generated } from 'kysely';

export interface StructuresTable {
  id: Generated<number>;
  name: string;
  name_key: string;
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
  note: string | null;
  created_at: string;
  updated_at: string;
}

export interface PeopleTable {
  id: Generated<number>;
  nom: string;
  prenom: string;
  name_key: string;
  email: string | null;
  phone: string | null;
  profession: string | null;
  structure_id: number | null;
  conseiller_numerique: number | null;
  statut: string | null;
  uniformation: number | null;
  /** Already aware of digital inclusion (application form): 1, 0, or NULL when not said. */
  deja_sensibilise: number | null;
  training_wish: 'AN' | 'AC' | 'AN_AC' | null;
  training_date: string | null;
  training_org: string | null;
  request_date: string | null;
  aidant_actif: number | null;
  referent: number | null;
  comment: string | null;
  eligible: number;
  ineligible_json: Generated<string>;
  warnings_json: Generated<string>;
  override_eligible: number | null;
  override_reason: string | null;
  override_at: string | null;
  override_by: string | null;
  created_at: string;
  updated_at: string;
  /** Set when the person was anonymised at the end of the retention period (migration 0011). */
  anonymised_at: string | null;
}

export interface ImportsTable {
  id: Generated<number>;
  file_name: string;
  sha256: string;
  kind: string;
  format: string;
  sheet: string;
  header_row: number;
  mapping_json: string;
  imported_at: string;
  actor: string;
  rows: number;
  people_created: number;
  people_updated: number;
  people_unchanged: number;
  structures_created: number;
  structures_updated: number;
  structures_unchanged: number;
  rejected: number;
  warnings: number;
}

export interface ImportIssuesTable {
  id: Generated<number>;
  import_id: number;
  row: number;
  level: 'rejet' | 'alerte';
  code: string;
  message: string;
}

export interface OpcoSiretsTable {
  siret: string;
  opco: string;
  imported_at: string;
}

export interface RecensementTables {
  structures: StructuresTable;
  people: PeopleTable;
  imports: ImportsTable;
  import_issues: ImportIssuesTable;
  opco_sirets: OpcoSiretsTable;
}
