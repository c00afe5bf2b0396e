// Kysely table types. Each capability keeps its tables in ./tables/<capability>.ts;
// DB is their union, so capabilities never edit each other's file.
import type { ConventionTables } from './tables/convention';
import type { DocumentsTables } from './tables/documents';
import type { JustificationTables } from './tables/justification';
import type { MarcheTables } from './tables/marche';
import type { RecensementTables } from './tables/recensement';
import type { RetentionTables } from './tables/retention';
import type { SessionsTables } from './tables/sessions';

export interface DB extends ConventionTables, RecensementTables, MarcheTables, SessionsTables, JustificationTables, DocumentsTables, RetentionTables {}
