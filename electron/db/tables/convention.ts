import type { Generated } from 'kysely';

export interface ConventionsTable {
  id: Generated<number>;
  label: string;
  departement: string;
  beneficiaire_nom: string;
  beneficiaire_siret: string | null;
  designation_date: string | null;
  signature_date: string | null;
  anct_reference: string | null;
  amount_cents: number;
  funds_received_date: string | null;
  funds_received_cents: number | null;
  end_date: string;
  departure_target: number;
  frais_gestion_planned_cents: number;
  created_at: string;
  updated_at: string;
}

export interface EngineeringActionsTable {
  id: Generated<number>;
  convention_id: number;
  label: string;
  planned_cents: number;
  position: number;
}

export interface BlobsTable {
  sha256: string;
  size: number;
  stored_at: string;
}

export interface PiecesTable {
  id: Generated<number>;
  sha256: string;
  original_name: string;
  mime_type: string;
  size: number;
  added_at: string;
  owner_type: string;
  owner_id: number;
  role: string;
  note: string | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor: string;
  action: string;
  entity: string;
  entity_id: number | null;
  before_json: string | null;
  after_json: string | null;
  batch_id: string | null;
}

export interface AppSettingsTable {
  key: string;
  value_json: string;
}

export interface ConventionTables {
  conventions: ConventionsTable;
  convention_engineering_actions: EngineeringActionsTable;
  blobs: BlobsTable;
  pieces: PiecesTable;
  audit_log: AuditLogTable;
  app_settings: AppSettingsTable;
}
