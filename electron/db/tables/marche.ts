// Kysely types of the marche capability's tables (migration 0003).
import type { Generated } from 'kysely';

export type TrainingKind = 'AN' | 'AN_AC' | 'AC';

export interface OrganismesTable {
  id: Generated<number>;
  name: string;
  is_internal: Generated<number>;
  siret: string | null;
  nda: string | null;
  address: string | null;
  postcode: string | null;
  city: string | null;
  contact_name: string | null;
  contact_email: string | null;
  contact_phone: string | null;
  qualiopi_actions_formation: Generated<number>;
  qualiopi_issuer: string | null;
  qualiopi_number: string | null;
  qualiopi_valid_from: string | null;
  qualiopi_valid_until: string | null;
  anct_referenced_date: string | null;
  anct_reference_note: string | null;
  notes: string | null;
  created_at: string;
  updated_at: string;
}

export interface OrganismeTrainingsTable {
  id: Generated<number>;
  organisme_id: number;
  kind: TrainingKind;
  title: string;
  hours: number | null;
  price_cents: number | null;
  price_unit: 'place' | 'session' | null;
  created_at: string;
}

export interface PublicOfListTable {
  id: Generated<number>;
  nda: string | null;
  denomination: string;
  siren: string | null;
  siret: string | null;
  postcode: string | null;
  city: string | null;
  qualiopi_actions_formation: number;
}

export interface PublicOfImportsTable {
  id: Generated<number>;
  file_name: string;
  imported_at: string;
  rows: number;
  skipped: number;
}

export interface MarchesTable {
  id: Generated<number>;
  convention_id: number;
  label: string;
  kind: TrainingKind;
  seats: number;
  need_start: string | null;
  need_end: string | null;
  chosen_quote_id: number | null;
  choice_reason: string | null;
  choice_comparison: string | null;
  choice_date: string | null;
  /** The date the consultation was engaged (demande de devis sent), migration 0008. */
  consultation_date: string | null;
  created_at: string;
  updated_at: string;
}

export interface QuotesTable {
  id: Generated<number>;
  marche_id: number;
  organisme_id: number;
  training_id: number | null;
  reference: string | null;
  quote_date: string;
  amount_ht_cents: number;
  vat_cents: number;
  vat_exemption: string | null;
  notes: string | null;
  created_at: string;
}

export interface OrdersTable {
  id: Generated<number>;
  marche_id: number;
  quote_id: number;
  organisme_id: number;
  number: string;
  order_date: string;
  amount_ht_cents: number;
  amount_ttc_cents: number;
  contract_start: string | null;
  contract_end: string | null;
  other_procedure_ref: string | null;
  other_procedure_date: string | null;
  threshold_cents: number;
  year_total_ht_cents: number;
  findings_json: string;
  created_at: string;
}

export interface InvoicesTable {
  id: Generated<number>;
  order_id: number;
  number: string;
  invoice_date: string;
  amount_cents: number;
  created_at: string;
}

export interface PaymentsTable {
  id: Generated<number>;
  invoice_id: number;
  payment_date: string;
  amount_cents: number;
  mandate_ref: string;
  created_at: string;
}

/** formateurs_internes: pay of the CD's internal trainers (décret n° 2010-235), migration 0008. */
export type ExpenseKind = 'frais_gestion' | 'ingenierie' | 'formateurs_internes';

/** The département's other training purchases of a civil year, HT (migration 0008). */
export interface OtherTrainingPurchasesTable {
  year: number;
  amount_ht_cents: number;
  note: string | null;
  updated_at: string;
}

export interface ExpensesTable {
  id: Generated<number>;
  convention_id: number;
  kind: ExpenseKind;
  engineering_action_id: number | null;
  engineering_action_label: string | null;
  label: string;
  expense_date: string;
  amount_cents: number;
  created_at: string;
}

export interface MarcheTables {
  organismes: OrganismesTable;
  organisme_trainings: OrganismeTrainingsTable;
  public_of_list: PublicOfListTable;
  public_of_imports: PublicOfImportsTable;
  marches: MarchesTable;
  quotes: QuotesTable;
  orders: OrdersTable;
  invoices: InvoicesTable;
  payments: PaymentsTable;
  expenses: ExpensesTable;
  other_training_purchases: OtherTrainingPurchasesTable;
}
