// Kysely types of the marche capability's tables (migration 0003).
export interface MarcheTables {}
