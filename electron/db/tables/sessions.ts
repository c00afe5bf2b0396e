// Kysely types of the sessions capability's tables (migration 0004).
export interface SessionsTables {}
