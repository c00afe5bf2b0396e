// Personal data retention (migration 0011).
export interface ConventionRetentionTable {
  convention_id: number;
  /** NULL: the convention's end date + 5 years. */
  retention_until: string | null;
  anonymised_at: string | null;
  report_json: string | null;
}

export interface RetentionTables {
  convention_retention: ConventionRetentionTable;
}
