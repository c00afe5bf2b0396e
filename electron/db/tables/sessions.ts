// Kysely types of the sessions capability's tables (migration 0004).
import type { Generated } from 'kysely';
import type { TrainingKind } from './marche';

export type SessionModality = 'presentiel' | 'distance';
export type HalfDayPeriod = 'matin' | 'apres_midi';
export type RegistrationStatus = 'inscrit' | 'attente' | 'annule' | 'deplace';
export type AttendanceStatus = 'present' | 'absent' | 'excuse';
export type AcStatus =
  | 'demande'
  | 'eligibilite_validee'
  | 'inscrit'
  | 'bac_a_sable'
  | 'forme'
  | 'pix'
  | 'presence_transmise'
  | 'habilite'
  | 'refuse'
  | 'annule';

export interface CohortsTable {
  id: Generated<number>;
  convention_id: number;
  label: string;
  note: string | null;
  created_at: string;
  updated_at: string;
}

export interface SessionsTable {
  id: Generated<number>;
  convention_id: number;
  cohort_id: number | null;
  order_id: number | null;
  organisme_id: number | null;
  internal: Generated<number>;
  kind: TrainingKind;
  title: string;
  modality: SessionModality;
  place: string | null;
  capacity: number;
  trainers_json: Generated<string>;
  status: Generated<'prevue' | 'annulee'>;
  cancel_reason: string | null;
  note: string | null;
  created_at: string;
  updated_at: string;
}

export interface SessionHalfDaysTable {
  id: Generated<number>;
  session_id: number;
  date: string;
  period: HalfDayPeriod;
  start_time: string;
  end_time: string;
  /** Part of a combined AN_AC training the half-day belongs to; NULL: both / not split (migration 0009). */
  part: Generated<'AN' | 'AC' | null>;
}

export interface RegistrationsTable {
  id: Generated<number>;
  session_id: number;
  person_id: number;
  status: RegistrationStatus;
  override_reason: string | null;
  warnings_json: Generated<string>;
  moved_from_id: number | null;
  moved_to_id: number | null;
  cancel_reason: string | null;
  cancelled_at: string | null;
  partial_reason: string | null;
  partial_accepted_at: string | null;
  partial_accepted_by: string | null;
  registered_at: string;
  created_at: string;
  updated_at: string;
}

export interface AttendanceTable {
  registration_id: number;
  half_day_id: number;
  status: AttendanceStatus;
  recorded_at: string;
  recorded_by: string;
}

export interface AcFollowupsTable {
  id: Generated<number>;
  person_id: number;
  registration_id: number | null;
  status: AcStatus;
  requested_on: string | null;
  eligibility_validated_on: string | null;
  registered_on: string | null;
  sandbox_on: string | null;
  attended_on: string | null;
  pix_on: string | null;
  reported_on: string | null;
  habilitated_on: string | null;
  refused_on: string | null;
  cancelled_on: string | null;
  stop_reason: string | null;
  /** Chosen at the end of the training, before the Pix test (migration 0010). */
  connection_method: 'application' | 'carte' | null;
  /** ANCT's validation of the funding, read from its FNE table (migration 0012): 1, 0 or NULL. */
  funding_validated: number | null;
  funding_validated_on: string | null;
  created_at: string;
  updated_at: string;
}

export interface SessionsTables {
  cohorts: CohortsTable;
  sessions: SessionsTable;
  session_half_days: SessionHalfDaysTable;
  registrations: RegistrationsTable;
  attendance: AttendanceTable;
  ac_followups: AcFollowupsTable;
}
