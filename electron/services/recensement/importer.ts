// Import of a list of professionals (ANCT export, FNE table, form answers, hand-kept list):
// read once → locate sheet/header → map columns (import/locate.ts, import/infer-mapping.ts) →
// read the rows (import/read-rows.ts) → match structures (SIRET, then SIREN + name) and people
// (e-mail, then nom + prénom + structure) against the database → preview (nothing written) or
// commit (one transaction, import-service.ts).
import type { ServiceContext } from '../context';
import { collectGarbage } from '../common/tabular/memory';
import { KnownStructures, matchStructures } from './import/match-structures';
import { matchPeople } from './import/match-people';
import { LARGE_SHEET_ROWS, type Located } from './import/locate';
import type { Plan, PlanTools } from './import/plan-types';
import { readRows } from './import/read-rows';
import { RowIssues } from './import/row-issues';

export { throwIfCancelled } from './import/cancel';
export {
  DATE_FIELDS, LARGE_SHEET_ROWS, MAPPING_SETTING_PREFIX, dateQuestionMessage, locate, missingRequired, missingRequiredMessage,
  type DateQuestion, type ImportOptions, type Located, type MappingSource,
} from './import/locate';
export {
  PLAN_BATCH, personColumnLabels, personColumns, structureColumnLabels, structureColumns,
  type FieldChange, type PersonPlan, type PersonValues, type Plan, type PlanTools, type RowIssue, type StructurePlan, type StructureValues,
} from './import/plan-types';

/** The convention's département when it is Corsican: 20xxx postcodes take it (the option, else the latest convention's). */
function corsicaOf(ctx: ServiceContext, files: Located[]): string | null {
  const given = files.find((l) => l.options.departement !== undefined)?.options.departement;
  const dep = given !== undefined ? given : ((ctx.store.sqlite.prepare('SELECT departement FROM conventions ORDER BY id DESC LIMIT 1').get() as { departement: string } | undefined)?.departement ?? null);
  return dep === '2A' || dep === '2B' ? dep : null;
}

/**
 * Builds what an import of one or several files would do, reading the database but writing
 * nothing. The files are planned together (a person in two files is one person). The rows of
 * each sheet are consumed as they are read (the sheet's memory is released row by row).
 */
export async function buildPlan(ctx: ServiceContext, input: Located | Located[], tools: PlanTools = {}): Promise<Plan> {
  const files = Array.isArray(input) ? input : [input];
  const sqlite = ctx.store.sqlite;
  const issues = new RowIssues();
  const where = (file: number, row: number, from: number) => (file === from || files.length === 1 ? `la ligne ${row}` : `la ligne ${row} de « ${files[file].fileName} »`);
  const structures = new KnownStructures(sqlite);
  const read = await readRows(files, issues, corsicaOf(ctx, files), tools);
  // The rows are consumed: their cells are garbage, only our values remain.
  if (read.totalRows > LARGE_SHEET_ROWS) collectGarbage();
  tools.progress?.(read.totalRows, read.totalRows);
  const sm = matchStructures(read.data, structures, issues);
  const people = await matchPeople(sqlite, read.data, sm, structures, issues, where, tools);
  const { rejected, warnings } = issues.finish();
  return { located: files[0], files, rows: read.rows, rowsPerFile: read.rowsPerFile, structures: [...sm.plans.values()], people, rejected, warnings };
}

/** Counts of the plan, of all its files or of file `file` only. */
export function countPlan(plan: Plan | null, file?: number) {
  const c = { created: 0, updated: 0, unchanged: 0 };
  const people = { ...c };
  const structures = { ...c };
  const ineligible: Record<string, number> = {};
  if (!plan) return { people, structures, ineligible };
  for (const p of plan.people) {
    if (file !== undefined && p.file !== file) continue;
    people[p.status]++;
    for (const code of p.decision.ineligible) ineligible[code] = (ineligible[code] ?? 0) + 1;
  }
  for (const s of plan.structures) if (file === undefined || s.file === file) structures[s.status]++;
  return { people, structures, ineligible };
}
