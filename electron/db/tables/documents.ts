// Kysely types of the documents capability's tables (migration 0006).
import type { Generated } from 'kysely';

export type ConsultationModality = 'presentiel' | 'distanciel' | 'mixte';

export interface ConsultationsTable {
  id: Generated<number>;
  marche_id: number;
  reference: string | null;
  deadline: string;
  groups: number;
  modality: ConsultationModality;
  contact: string | null;
  context_text: string;
  public_text: string;
  places_text: string;
  content_text: string;
  criteria_text: string;
  other_text: string | null;
  created_at: string;
  updated_at: string;
}

export interface ConsultationOrganismesTable {
  consultation_id: number;
  organisme_id: number;
}

export interface DocumentsTables {
  consultations: ConsultationsTable;
  consultation_organismes: ConsultationOrganismesTable;
}
