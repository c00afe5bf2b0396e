// Kysely types of the justification capability's tables (migration 0005).
export interface JustificationTables {}
