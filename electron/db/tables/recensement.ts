// Kysely types of the recensement capability's tables (migration 0002).
export interface RecensementTables {}
