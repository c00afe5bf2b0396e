// Matching the rows' structures with each other and with the database: by SIRET first, then a
// SIREN with the same name, then a name alone (only when it names one structure). The values
// of a structure's rows are merged (the first row giving a value wins) and compared with the
// database's to say what would change.
import type Database from 'better-sqlite3';
import { nameKey } from '../normalise';
import type { RowIssues } from './row-issues';
import { show, structureColumnLabels, structureColumns, type DbStructure, type RowData, type RowStructure, type StructurePlan, type StructureValues } from './plan-types';

/** The structures of the database, once, in memory, by the keys rows are matched with. */
export class KnownStructures {
  readonly bySiret = new Map<string, DbStructure>();
  readonly bySirenName = new Map<string, DbStructure>();
  readonly byName = new Map<string, DbStructure[]>();
  readonly byId = new Map<number, DbStructure>();

  constructor(sqlite: Database.Database) {
    const rows = sqlite
      .prepare('SELECT id, name, name_key, siret, siren, type, address, postcode, city, departement, email, datapass_id, habilitation_ac, france_services, statut_employeur FROM structures')
      .all() as DbStructure[];
    for (const s of rows) {
      this.byId.set(s.id, s);
      if (s.siret) this.bySiret.set(s.siret, s);
      if (s.siren) this.bySirenName.set(s.siren + '|' + s.name_key, s);
      const l = this.byName.get(s.name_key);
      if (l) l.push(s);
      else this.byName.set(s.name_key, [s]);
    }
  }
}

function pickStructure(s: DbStructure): StructureValues {
  const out = {} as Record<string, unknown>;
  for (const k of structureColumns) out[k] = s[k];
  return out as unknown as StructureValues;
}

const EMPTY_VALUES: Omit<StructureValues, 'name'> = {
  siret: null, siren: null, type: null, address: null, postcode: null, city: null, departement: null, email: null, datapass_id: null, habilitation_ac: null, france_services: null, statut_employeur: null,
};

export interface StructureMatch {
  plans: Map<string, StructurePlan>;
  /** The structure key of each row that has a structure. */
  rowKey: Map<RowData, string>;
}

class StructureMatcher {
  readonly plans = new Map<string, StructurePlan>();
  readonly rowKey = new Map<RowData, string>();
  private fileSiretByName = new Map<string, string[]>(); // nameKey → keys with a SIRET
  private fileSiretBySirenName = new Map<string, string>();

  constructor(
    private known: KnownStructures,
    private issues: RowIssues,
  ) {}

  private ensure(key: string, rs: RowStructure, db: DbStructure | null): StructurePlan {
    let p = this.plans.get(key);
    if (p) return p;
    p = {
      key, file: rs.file, row: rs.row, dbId: db?.id ?? null, nameKey: db?.name_key ?? rs.nameKey, before: db, status: 'unchanged', changes: [],
      values: db ? pickStructure(db) : { name: rs.name ?? `Structure SIRET ${rs.siret ?? rs.siren}`, ...EMPTY_VALUES },
    };
    if (!db && !rs.name) this.issues.warn(rs.file, rs.row, 'structure_sans_nom', `Structure sans nom (SIRET ${rs.siret ?? rs.siren}) : nommée « ${p.values.name} » en attendant.`);
    this.plans.set(key, p);
    return p;
  }

  /** Full SIRETs first, so that a SIREN or a bare name can be linked to them. */
  bySiret(d: RowData, s: RowStructure & { siret: string }): void {
    const key = 'siret:' + s.siret;
    this.rowKey.set(d, key);
    if (this.plans.has(key)) return;
    const db = this.known.bySiret.get(s.siret) ?? this.known.bySirenName.get(s.siren + '|' + s.nameKey) ?? null;
    this.ensure(key, s, db && (db.siret === null || db.siret === s.siret) ? db : null);
    if (!s.nameKey) return;
    const l = this.fileSiretByName.get(s.nameKey) ?? [];
    if (!l.includes(key)) l.push(key);
    this.fileSiretByName.set(s.nameKey, l);
    this.fileSiretBySirenName.set(s.siren + '|' + s.nameKey, key);
  }

  bySiren(d: RowData, s: RowStructure & { siren: string }): string {
    const inFile = this.fileSiretBySirenName.get(s.siren + '|' + s.nameKey);
    const db = this.known.bySirenName.get(s.siren + '|' + s.nameKey);
    if (inFile) {
      this.issues.warn(d.file, d.row, 'siren_rattache', `SIREN ${s.siren} seul : rattaché à la structure « ${s.name} » (SIRET ${inFile.slice(6)}).`);
      return inFile;
    }
    if (db) {
      this.issues.warn(d.file, d.row, 'siren_rattache', `SIREN ${s.siren} seul : rattaché à la structure connue « ${db.name} »${db.siret ? ` (SIRET ${db.siret})` : ''}.`);
      this.ensure('id:' + db.id, s, db);
      return 'id:' + db.id;
    }
    const key = 'siren:' + s.siren + '|' + s.nameKey;
    this.issues.warn(d.file, d.row, 'siret_incomplet', `SIREN ${s.siren} seul (9 chiffres) et aucune structure connue de ce nom : SIRET complet à demander.`);
    this.ensure(key, s, null);
    return key;
  }

  /** A name alone: the one structure of that name (in the file, else in the database), else a new one. */
  byName(s: RowStructure): string {
    const inFile = this.fileSiretByName.get(s.nameKey);
    const db = this.known.byName.get(s.nameKey);
    if (inFile && inFile.length === 1) return inFile[0];
    if (db && db.length === 1) {
      const key = db[0].siret ? 'siret:' + db[0].siret : 'id:' + db[0].id;
      this.ensure(key, s, db[0]);
      return key;
    }
    const key = 'name:' + s.nameKey;
    this.ensure(key, s, null);
    return key;
  }
}

/** Merges the rows' values into each plan: for each field, the first row of the file giving a value wins. */
function mergeValues(data: RowData[], m: StructureMatch): void {
  const incoming = new Map<StructurePlan, Partial<StructureValues>>();
  for (const d of data) {
    const key = m.rowKey.get(d);
    if (!key || !d.structure) continue;
    const p = m.plans.get(key)!;
    let inc = incoming.get(p);
    if (!inc) incoming.set(p, (inc = {}));
    const rs = d.structure;
    const v: Record<string, unknown> = { ...rs.values, name: rs.name, siret: rs.siret, siren: rs.siren };
    for (const k of structureColumns) {
      const nv = v[k];
      if (nv === null || nv === undefined || inc[k] !== undefined) continue;
      (inc as Record<string, unknown>)[k] = nv;
    }
  }
  for (const p of m.plans.values()) {
    const inc = incoming.get(p) ?? {};
    const values = p.values as unknown as Record<string, unknown>;
    if (!p.before) {
      p.status = 'created';
      for (const k of structureColumns) if (inc[k] !== undefined) values[k] = inc[k];
      if (p.values.siret) p.values.siren = p.values.siret.slice(0, 9);
      p.nameKey = nameKey(p.values.name);
      continue;
    }
    for (const k of structureColumns) {
      const a = inc[k];
      const b = p.before[k];
      if (a === undefined || a === null || a === b) continue;
      if (k === 'name' && nameKey(String(a)) === p.before.name_key) continue;
      if (k === 'siren' && p.before.siret) continue;
      p.changes.push({ field: k, label: structureColumnLabels[k], before: show(b), after: show(a) });
      values[k] = a;
    }
    p.nameKey = nameKey(p.values.name);
    p.status = p.changes.length ? 'updated' : 'unchanged';
  }
}

/** Pass 2: the structure of every row, matched, merged and compared with the database. */
export function matchStructures(data: RowData[], known: KnownStructures, issues: RowIssues): StructureMatch {
  const m = new StructureMatcher(known, issues);
  for (const d of data) {
    const s = d.structure;
    if (s?.siret) m.bySiret(d, s as RowStructure & { siret: string });
  }
  for (const d of data) {
    const s = d.structure;
    if (!s || s.siret) continue;
    m.rowKey.set(d, s.siren ? m.bySiren(d, s as RowStructure & { siren: string }) : m.byName(s));
  }
  const match = { plans: m.plans, rowKey: m.rowKey };
  mergeValues(data, match);
  return match;
}
