// Import of a list of professionals (ANCT export, FNE table, form answers, hand-kept list):
// read once → locate sheet/header → map columns → build an in-memory plan against the
// database (upsert: people by e-mail, then nom + prénom + structure; structures by SIRET, then
// SIREN + name) → preview (nothing written) or commit (one transaction).
import type { ServiceContext } from '../context';
import { AppError } from '../errors';
import { breathe } from '../jobs';
import { columnSamples, detectHeaderRow, headerSignature, headersOf, normaliseHeader as normaliseHeaderCached, pickSheet } from '../common/tabular/header';
import { readTabular, type Cell, type TabularFile, type TabularSheet } from '../common/tabular/read';
import { collectGarbage } from '../common/tabular/memory';
import { cellText, toBool, toIsoDate } from '../common/tabular/values';
import { evaluateEligibility, parseTrainingWish, warningRules, type EligibilityDecision, type TrainingWish } from './eligibility';
import {
  detectKind,
  fieldLabels,
  importFields,
  recensementDictionary,
  requiredFields,
  type ImportField,
  type ImportKind,
} from './fields';
import { clean, departementFromPostcode, nameKey, normaliseEmail, normalisePostcode, parseDepartement } from './normalise';
import { parseSiretCell } from './siret';
import type { Cols } from '../../db/rows';

export interface ImportOptions {
  sheet?: string;
  /** 1-based row number of the header row, when the officer corrects it. */
  headerRow?: number;
  /** Column index → field (null: ignored), as corrected by the officer. */
  mapping?: (ImportField | null)[];
  kind?: ImportKind | 'auto';
}

export type MappingSource = 'automatique' | 'memorisee' | 'agent';

export interface Located {
  fileName: string;
  file: TabularFile;
  sheet: TabularSheet;
  /** Every sheet of the file with its row count (null: not read, another sheet was asked for). */
  sheets: { name: string; rows: number | null }[];
  headerIndex: number;
  headers: string[];
  /** Up to three values of each column, for the mapping screen (read before the rows are consumed). */
  samples: string[][];
  mapping: (ImportField | null)[];
  mappingSource: MappingSource;
  kind: ImportKind;
  detectedKind: ImportKind;
  signature: string;
}

/** Above this many rows, memory is released explicitly between the phases of an import. */
export const LARGE_SHEET_ROWS = 5000;

export const MAPPING_SETTING_PREFIX = 'recensement.mapping:';

function rememberedMapping(ctx: ServiceContext, signature: string, width: number): (ImportField | null)[] | null {
  const row = ctx.store.sqlite.prepare('SELECT value_json FROM app_settings WHERE key = ?').get(MAPPING_SETTING_PREFIX + signature) as
    | { value_json: string }
    | undefined;
  if (!row) return null;
  try {
    const m = JSON.parse(row.value_json) as unknown;
    if (!Array.isArray(m) || m.length !== width) return null;
    return m.map((f) => (typeof f === 'string' && (importFields as readonly string[]).includes(f) ? (f as ImportField) : null));
  } catch {
    return null;
  }
}

/** Reads the file and finds the data: sheet, header row, columns, mapping and kind. */
export function locate(ctx: ServiceContext, bytes: Uint8Array, fileName: string, opts: ImportOptions = {}): Located {
  const file = readTabular(bytes, fileName, { sheet: opts.sheet });
  const sheet = pickSheet(file, recensementDictionary, opts.sheet);
  // Only the chosen sheet is kept: the others' cells are released now.
  const sheets = file.sheets.map((s) => ({ name: s.name, rows: s.unread ? null : s.rows.length }));
  for (const s of file.sheets) if (s !== sheet) s.rows = [];
  // The workbook's parse left a lot of garbage (XML text, SheetJS cells): release it now.
  if (sheet.rows.length > LARGE_SHEET_ROWS) collectGarbage();
  let headerIndex: number;
  if (opts.headerRow !== undefined) {
    if (opts.headerRow < 1 || opts.headerRow > sheet.rows.length) {
      throw new AppError('validation', `La ligne d’en-tête ${opts.headerRow} n’existe pas dans la feuille « ${sheet.name} » (${sheet.rows.length} lignes).`, {
        fields: { headerRow: 'Ligne hors de la feuille.' },
      });
    }
    headerIndex = opts.headerRow - 1;
  } else headerIndex = detectHeaderRow(sheet, recensementDictionary).index;
  let width = sheet.rows[headerIndex]?.length ?? 0;
  for (let r = headerIndex + 1; r < Math.min(sheet.rows.length, headerIndex + 200); r++) width = Math.max(width, sheet.rows[r]?.length ?? 0);
  // Trailing columns without header nor data are not columns.
  while (width > 0 && cellText(sheet.rows[headerIndex]?.[width - 1]) === '' && !sheet.rows.slice(headerIndex + 1, headerIndex + 200).some((r) => cellText(r?.[width - 1]) !== '')) width--;
  const headers = headersOf(sheet.rows[headerIndex], width);
  const signature = headerSignature(headers);
  const detectedKind = detectKind(headers);
  const kind = opts.kind && opts.kind !== 'auto' ? opts.kind : detectedKind;
  let mapping: (ImportField | null)[];
  let mappingSource: MappingSource;
  if (opts.mapping) {
    if (opts.mapping.length !== width) {
      throw new AppError('validation', `La correspondance des colonnes ne correspond pas au fichier (${opts.mapping.length} colonnes au lieu de ${width}).`);
    }
    const seen = new Set<ImportField>();
    for (const f of opts.mapping) {
      if (f === null) continue;
      if (seen.has(f)) throw new AppError('validation', `Le champ « ${fieldLabels[f]} » est choisi pour deux colonnes : gardez-en une seule.`);
      seen.add(f);
    }
    mapping = opts.mapping;
    mappingSource = 'agent';
  } else {
    const remembered = rememberedMapping(ctx, signature, width);
    if (remembered) {
      mapping = remembered;
      mappingSource = 'memorisee';
    } else {
      const used = new Set<ImportField>();
      mapping = headers.map((h) => {
        const f = recensementDictionary.lookup(normaliseHeaderCached(h));
        if (!f || used.has(f)) return null;
        used.add(f);
        return f;
      });
      mappingSource = 'automatique';
    }
  }
  const samples = columnSamples(sheet, headerIndex, headers.length);
  return { fileName, file, sheet, sheets, headerIndex, headers, samples, mapping, mappingSource, kind, detectedKind, signature };
}


/** Required fields not mapped to any column (French labels), for the refusal message. */
export function missingRequired(mapping: (ImportField | null)[]): ImportField[] {
  const has = new Set(mapping.filter((f): f is ImportField => f !== null));
  return requiredFields.filter((f) => (f === 'structure_nom' ? !has.has('structure_nom') && !has.has('siret') : !has.has(f)));
}

export function missingRequiredMessage(l: Located): string {
  const missing = missingRequired(l.mapping);
  const unmapped = l.headers.filter((_, i) => l.mapping[i] === null);
  return (
    `Colonnes obligatoires introuvables : ${missing.map((f) => (f === 'structure_nom' ? 'structure (nom ou SIRET)' : fieldLabels[f].toLowerCase())).join(', ')}. ` +
    `Colonnes non reconnues dans « ${l.sheet.name} » (ligne ${l.headerIndex + 1}) : ${unmapped.length ? unmapped.map((h) => `« ${h} »`).join(', ') : 'aucune'}. ` +
    'Indiquez à quelle colonne correspond chaque champ obligatoire.'
  );
}

// ---------------------------------------------------------------------------------------------
// Values of the database rows the plan compares against

export interface StructureValues {
  name: string;
  siret: string | null;
  siren: string | null;
  type: string | null;
  address: string | null;
  postcode: string | null;
  city: string | null;
  departement: string | null;
  email: string | null;
  datapass_id: string | null;
  habilitation_ac: string | null;
  france_services: number | null;
  statut_employeur: string | null;
}
export const structureColumns = ['name', 'siret', 'siren', 'type', 'address', 'postcode', 'city', 'departement', 'email', 'datapass_id', 'habilitation_ac', 'france_services', 'statut_employeur'] as const;
export const structureColumnLabels: Record<(typeof structureColumns)[number], string> = {
  name: 'Nom',
  siret: 'SIRET',
  siren: 'SIREN',
  type: 'Type',
  address: 'Adresse',
  postcode: 'Code postal',
  city: 'Commune',
  departement: 'Département',
  email: 'E-mail de contact',
  datapass_id: 'Datapass',
  habilitation_ac: 'Habilitation Aidants Connect',
  france_services: 'France Services',
  statut_employeur: 'Statut de l’employeur',
};

export interface PersonValues {
  nom: string;
  prenom: string;
  email: string | null;
  phone: string | null;
  profession: string | null;
  conseiller_numerique: number | null;
  statut: string | null;
  uniformation: number | null;
  deja_sensibilise: number | null;
  training_wish: TrainingWish | null;
  training_date: string | null;
  training_org: string | null;
  request_date: string | null;
  aidant_actif: number | null;
  referent: number | null;
  comment: string | null;
}
export const personColumns = [
  'nom', 'prenom', 'email', 'phone', 'profession', 'conseiller_numerique', 'statut', 'uniformation', 'deja_sensibilise', 'training_wish', 'training_date',
  'training_org', 'request_date', 'aidant_actif', 'referent', 'comment',
] as const;
export const personColumnLabels: Record<(typeof personColumns)[number] | 'structure_id', string> = {
  nom: 'Nom',
  prenom: 'Prénom',
  email: 'E-mail',
  phone: 'Téléphone',
  profession: 'Fonction',
  conseiller_numerique: 'Conseiller numérique',
  statut: 'Statut',
  uniformation: 'Uniformation',
  deja_sensibilise: 'Déjà sensibilisé(e)',
  training_wish: 'Formation souhaitée',
  training_date: 'Date de formation',
  training_org: 'Organisme de formation',
  request_date: 'Date de la demande',
  aidant_actif: 'Aidant actif',
  referent: 'Référent',
  comment: 'Commentaire',
  structure_id: 'Structure',
};

interface DbStructure extends StructureValues {
  id: number;
  name_key: string;
}
interface DbPerson extends PersonValues {
  id: number;
  name_key: string;
  structure_id: number | null;
  override_eligible: number | null;
  override_reason: string | null;
  eligible: number;
  ineligible_json: string;
  warnings_json: string;
}

// ---------------------------------------------------------------------------------------------
// The plan

export interface RowIssue {
  /** Index of the file in the import (0 for a single file). */
  file: number;
  row: number;
  code: string;
  message: string;
}

export interface FieldChange {
  field: string;
  label: string;
  before: string | null;
  after: string | null;
}

export interface StructurePlan {
  key: string;
  file: number;
  row: number;
  dbId: number | null;
  values: StructureValues;
  nameKey: string;
  status: 'created' | 'updated' | 'unchanged';
  changes: FieldChange[];
  before: DbStructure | null;
}

export interface PersonPlan {
  file: number;
  row: number;
  dbId: number | null;
  structureKey: string | null;
  values: PersonValues;
  nameKey: string;
  status: 'created' | 'updated' | 'unchanged';
  changes: FieldChange[];
  /** What the commit needs of the record before the import (not the whole record: memory). */
  before: Pick<DbPerson, 'structure_id' | 'eligible' | 'ineligible_json' | 'warnings_json'> | null;
  decision: EligibilityDecision;
}

export interface Plan {
  /** The first file (the only one of a single-file import). */
  located: Located;
  /** Every file of the import, in order; rows, issues and records say which (index). */
  files: Located[];
  /** Data rows read, all files together; rowsPerFile[i] for file i. */
  rows: number;
  rowsPerFile: number[];
  structures: StructurePlan[];
  people: PersonPlan[];
  rejected: (RowIssue & { reason: string })[];
  warnings: RowIssue[];
}

interface RowStructure {
  file: number;
  row: number;
  siret: string | null;
  siren: string | null;
  name: string | null;
  nameKey: string;
  values: Partial<StructureValues>;
}

function show(v: string | number | null | undefined): string | null {
  if (v === null || v === undefined) return null;
  return String(v);
}

const isTotalRow = (cells: Cell[]) => {
  for (const c of cells) {
    const t = cellText(c);
    if (t !== '') return /^(sous[- ])?total\b/i.test(t);
  }
  return false;
};

export interface PlanTools {
  signal?: AbortSignal;
  /** Rows read so far, of all the files' rows. */
  progress?: (done: number, total: number) => void;
}

/** Rows between two yields to the event loop (progress, cancel). */
export const PLAN_BATCH = 2000;
const EMPTY_ROW: Cell[] = [];

export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AppError('cancelled', 'Import annulé : rien n’a été enregistré.');
}

/**
 * Builds what an import of one or several files would do, reading the database but writing
 * nothing. The files are planned together (a person in two files is one person). The rows of
 * each sheet are consumed as they are read (the sheet's memory is released row by row).
 */
export async function buildPlan(ctx: ServiceContext, input: Located | Located[], tools: PlanTools = {}): Promise<Plan> {
  const files = Array.isArray(input) ? input : [input];
  const sqlite = ctx.store.sqlite;
  let col: Partial<Record<ImportField, number>> = {};
  const get = (cells: Cell[], f: ImportField): Cell => {
    const i = col[f];
    return i === undefined ? null : (cells[i] ?? null);
  };
  const text = (cells: Cell[], f: ImportField) => clean(cellText(get(cells, f)));

  const rejected: Plan['rejected'] = [];
  const warnings: RowIssue[] = [];
  const warn = (file: number, row: number, code: string, message: string) => warnings.push({ file, row, code, message });
  const reject = (file: number, row: number, code: string, reason: string) => rejected.push({ file, row, code, message: reason, reason });
  const where = (file: number, row: number, from: number) => (file === from || files.length === 1 ? `la ligne ${row}` : `la ligne ${row} de « ${files[file].fileName} »`);

  // Existing records, once, in memory.
  const dbStructures = sqlite
    .prepare(
      'SELECT id, name, name_key, siret, siren, type, address, postcode, city, departement, email, datapass_id, habilitation_ac, france_services, statut_employeur FROM structures',
    )
    .all() as DbStructure[];
  const structBySiret = new Map<string, DbStructure>();
  const structBySirenName = new Map<string, DbStructure>();
  const structByName = new Map<string, DbStructure[]>();
  const structById = new Map<number, DbStructure>();
  for (const s of dbStructures) {
    structById.set(s.id, s);
    if (s.siret) structBySiret.set(s.siret, s);
    if (s.siren) structBySirenName.set(s.siren + '|' + s.name_key, s);
    const l = structByName.get(s.name_key);
    if (l) l.push(s);
    else structByName.set(s.name_key, [s]);
  }

  // Pass 1: read every data row.
  interface RowData {
    file: number;
    row: number;
    structure: RowStructure | null;
    person: PersonValues | null;
    personNameKey: string;
  }
  const data: RowData[] = [];
  let rowCount = 0;
  const rowsPerFile: number[] = [];
  let totalRows = 0;
  for (const l of files) totalRows += Math.max(0, l.sheet.rows.length - l.headerIndex - 1);
  let scanned = 0;
  tools.progress?.(0, totalRows);
  for (let fi = 0; fi < files.length; fi++) {
  const { sheet, headerIndex, mapping } = files[fi];
  const date1904 = files[fi].file.date1904;
  col = {};
  mapping.forEach((f, i) => {
    if (f !== null) col[f] = i;
  });
  const before = rowCount;
  for (let r = headerIndex + 1; r < sheet.rows.length; r++) {
    if (++scanned % PLAN_BATCH === 0) {
      tools.progress?.(scanned, totalRows);
      await breathe();
      throwIfCancelled(tools.signal);
    }
    const cells = sheet.rows[r] ?? EMPTY_ROW;
    // The row is read once: its cells are released now (the plan keeps only our values).
    sheet.rows[r] = EMPTY_ROW;
    let filled = false;
    for (const c of cells) {
      if (c !== null && c !== '' && !(typeof c === 'string' && c.trim() === '')) {
        filled = true;
        break;
      }
    }
    if (!filled) continue;
    const row = r + 1;
    if (isTotalRow(cells)) continue;
    rowCount++;

    const nom = text(cells, 'nom');
    const prenom = text(cells, 'prenom');
    const problems: [string, string][] = [];
    if (!nom) problems.push(['nom_manquant', 'nom manquant']);
    if (!prenom) problems.push(['prenom_manquant', 'prénom manquant']);

    // Structure of the row
    const siretCell = parseSiretCell(get(cells, 'siret'));
    let structure: RowStructure | null = null;
    const sName = text(cells, 'structure_nom');
    if (siretCell.kind === 'invalid') {
      problems.push(['siret_invalide', `SIRET invalide « ${siretCell.raw} » (${siretCell.reason})`]);
    } else if (sName || siretCell.kind !== 'empty') {
      if (siretCell.kind === 'siret' && siretCell.repair) warn(fi, row, 'siret_corrige', `SIRET corrigé (${siretCell.repair}) : ${siretCell.siret}.`);
      if (siretCell.kind === 'siren' && siretCell.repair) warn(fi, row, 'siret_corrige', `SIREN corrigé (${siretCell.repair}) : ${siretCell.siren}.`);
      const values: Partial<StructureValues> = {};
      const pc = normalisePostcode(text(cells, 'code_postal'));
      if (!pc.valid) warn(fi, row, 'code_postal_invalide', `Code postal illisible « ${text(cells, 'code_postal')} » : ignoré.`);
      let dep = parseDepartement(text(cells, 'departement'));
      if (!dep && text(cells, 'departement')) warn(fi, row, 'departement_invalide', `Département inconnu « ${text(cells, 'departement')} » : ignoré.`);
      if (!dep && pc.postcode) {
        const d = departementFromPostcode(pc.postcode);
        if (d.corsica) warn(fi, row, 'departement_corse', `Code postal ${pc.postcode} : Corse-du-Sud (2A) ou Haute-Corse (2B) ? Le département ne peut pas être déduit ; précisez-le sur la fiche de la structure.`);
        dep = d.departement;
      }
      values.type = text(cells, 'structure_type');
      values.address = text(cells, 'adresse');
      values.postcode = pc.postcode;
      values.city = text(cells, 'commune');
      values.departement = dep;
      const se = normaliseEmail(text(cells, 'structure_email'));
      values.email = se.valid ? se.email : null;
      values.datapass_id = text(cells, 'datapass_id');
      values.habilitation_ac = text(cells, 'habilitation_ac');
      const fs = toBool(get(cells, 'france_services'));
      values.france_services = fs === null ? null : fs ? 1 : 0;
      values.statut_employeur = text(cells, 'statut_employeur');
      structure = {
        file: fi,
        row,
        siret: siretCell.kind === 'siret' ? siretCell.siret : null,
        siren: siretCell.kind === 'siret' ? siretCell.siret.slice(0, 9) : siretCell.kind === 'siren' ? siretCell.siren : null,
        name: sName,
        nameKey: sName ? nameKey(sName) : '',
        values,
      };
    }
    if (problems.length) {
      reject(fi, row, problems[0][0], `Ligne ${row} rejetée : ${problems.map((p) => p[1]).join(', ')}.`);
      // The structure of a rejected row is not created either: the row is set aside whole.
      continue;
    }
    if (!structure) warn(fi, row, 'structure_manquante', 'Ni nom de structure ni SIRET : le professionnel est enregistré sans employeur.');

    const em = normaliseEmail(text(cells, 'email'));
    if (!em.valid) warn(fi, row, 'email_invalide', `Adresse e-mail invalide « ${em.email} » : non enregistrée.`);
    const conum = toBool(get(cells, 'conseiller_numerique'));
    const unifRaw = text(cells, 'uniformation');
    let unif = toBool(get(cells, 'uniformation'));
    if (unif === null && unifRaw && /uniformation/i.test(unifRaw)) unif = true;
    const wishRaw = text(cells, 'formation_souhaitee');
    const wish = parseTrainingWish(wishRaw);
    if (wishRaw && !wish) warn(fi, row, 'formation_inconnue', `Formation souhaitée non reconnue « ${wishRaw} » (attendu : Aidants Numériques, Aidants Connect ou les deux).`);
    const dateOf = (f: ImportField): string | null => {
      const c = get(cells, f);
      if (c === null || cellText(c) === '') return null;
      const iso = toIsoDate(c, date1904);
      if (!iso) warn(fi, row, 'date_illisible', `${fieldLabels[f]} illisible « ${cellText(c)} » : ignorée.`);
      return iso;
    };
    const bool = (f: ImportField) => {
      const b = toBool(get(cells, f));
      return b === null ? null : b ? 1 : 0;
    };
    const orgRaw = text(cells, 'organisme_formation');
    const person: PersonValues = {
      nom: nom!,
      prenom: prenom!,
      email: em.valid ? em.email : null,
      phone: text(cells, 'telephone'),
      profession: text(cells, 'profession'),
      conseiller_numerique: conum === null ? null : conum ? 1 : 0,
      statut: text(cells, 'statut'),
      uniformation: unif === null ? null : unif ? 1 : 0,
      deja_sensibilise: bool('deja_sensibilise'),
      training_wish: wish,
      training_date: dateOf('date_formation'),
      training_org: orgRaw && !/^(nc|n\/c|non communiqu)/i.test(orgRaw) ? orgRaw : null,
      request_date: dateOf('date_demande'),
      aidant_actif: bool('aidant_actif'),
      referent: bool('referent'),
      comment: text(cells, 'commentaire'),
    };
    data.push({ file: fi, row, structure, person, personNameKey: nameKey(nom, prenom) });
  }
  rowsPerFile.push(rowCount - before);
  sheet.rows = [];
  }
  // The rows are consumed: their cells are garbage, only our values remain.
  if (totalRows > LARGE_SHEET_ROWS) collectGarbage();
  tools.progress?.(totalRows, totalRows);

  // Pass 2: structures. Full SIRETs first, so that a SIREN or a bare name can be linked to them.
  const plans = new Map<string, StructurePlan>();
  const fileSiretByName = new Map<string, string[]>(); // nameKey → keys with a SIRET
  const fileSiretBySirenName = new Map<string, string>();
  const ensure = (key: string, rs: RowStructure, db: DbStructure | null): StructurePlan => {
    let p = plans.get(key);
    if (!p) {
      p = {
        key,
        file: rs.file,
        row: rs.row,
        dbId: db?.id ?? null,
        nameKey: db?.name_key ?? rs.nameKey,
        before: db,
        status: 'unchanged',
        changes: [],
        values: db
          ? pickStructure(db)
          : { name: rs.name ?? `Structure SIRET ${rs.siret ?? rs.siren}`, siret: null, siren: null, type: null, address: null, postcode: null, city: null, departement: null, email: null, datapass_id: null, habilitation_ac: null, france_services: null, statut_employeur: null },
      };
      if (!db && !rs.name) warn(rs.file, rs.row, 'structure_sans_nom', `Structure sans nom (SIRET ${rs.siret ?? rs.siren}) : nommée « ${p.values.name} » en attendant.`);
      plans.set(key, p);
    }
    return p;
  };
  const rowKey = new Map<RowData, string>();
  for (const d of data) {
    const s = d.structure;
    if (!s?.siret) continue;
    const key = 'siret:' + s.siret;
    rowKey.set(d, key);
    if (!plans.has(key)) {
      const db = structBySiret.get(s.siret) ?? structBySirenName.get(s.siren + '|' + s.nameKey) ?? null;
      ensure(key, s, db && (db.siret === null || db.siret === s.siret) ? db : null);
      if (s.nameKey) {
        const l = fileSiretByName.get(s.nameKey) ?? [];
        if (!l.includes(key)) l.push(key);
        fileSiretByName.set(s.nameKey, l);
        fileSiretBySirenName.set(s.siren + '|' + s.nameKey, key);
      }
    }
  }
  for (const d of data) {
    const s = d.structure;
    if (!s || s.siret) continue;
    let key: string;
    if (s.siren) {
      const inFile = fileSiretBySirenName.get(s.siren + '|' + s.nameKey);
      const db = structBySirenName.get(s.siren + '|' + s.nameKey);
      if (inFile) {
        key = inFile;
        warn(d.file, d.row, 'siren_rattache', `SIREN ${s.siren} seul : rattaché à la structure « ${s.name} » (SIRET ${inFile.slice(6)}).`);
      } else if (db) {
        key = 'id:' + db.id;
        warn(d.file, d.row, 'siren_rattache', `SIREN ${s.siren} seul : rattaché à la structure connue « ${db.name} »${db.siret ? ` (SIRET ${db.siret})` : ''}.`);
        ensure(key, s, db);
      } else {
        key = 'siren:' + s.siren + '|' + s.nameKey;
        warn(d.file, d.row, 'siret_incomplet', `SIREN ${s.siren} seul (9 chiffres) et aucune structure connue de ce nom : SIRET complet à demander.`);
        ensure(key, s, null);
      }
    } else {
      const inFile = fileSiretByName.get(s.nameKey);
      const db = structByName.get(s.nameKey);
      if (inFile && inFile.length === 1) key = inFile[0];
      else if (db && db.length === 1) {
        key = db[0].siret ? 'siret:' + db[0].siret : 'id:' + db[0].id;
        ensure(key, s, db[0]);
      } else {
        key = 'name:' + s.nameKey;
        ensure(key, s, null);
      }
    }
    rowKey.set(d, key);
  }
  // Merge the rows' values: for each field, the first row of the file giving a value wins.
  const incoming = new Map<StructurePlan, Partial<StructureValues>>();
  for (const d of data) {
    const key = rowKey.get(d);
    if (!key || !d.structure) continue;
    const p = plans.get(key)!;
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
  for (const p of plans.values()) {
    const inc = incoming.get(p) ?? {};
    if (!p.before) {
      p.status = 'created';
      for (const k of structureColumns) if (inc[k] !== undefined) (p.values as unknown as Record<string, unknown>)[k] = inc[k];
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
      (p.values as unknown as Record<string, unknown>)[k] = a;
    }
    p.nameKey = nameKey(p.values.name);
    p.status = p.changes.length ? 'updated' : 'unchanged';
  }

  // Pass 3: people. Only the keys of the known people are held in memory (id, e-mail, name,
  // structure); the full record of a matched person is read when needed and not kept.
  const dbIndex = sqlite.prepare('SELECT id, email, name_key, structure_id FROM people').raw(true).all() as [number, string | null, string, number | null][];
  const personByEmail = new Map<string, number>();
  const personByNameStructure = new Map<string, { id: number; email: string | null }>();
  for (const [id, email, nk, sid] of dbIndex) {
    if (email) personByEmail.set(email, id);
    personByNameStructure.set(nk + '#' + (sid ?? ''), { id, email });
  }
  dbIndex.length = 0;
  const fullPerson = sqlite.prepare(`SELECT id, nom, prenom, name_key, email, phone, profession, structure_id, conseiller_numerique, statut, uniformation, deja_sensibilise, training_wish, training_date,
              training_org, request_date, aidant_actif, referent, comment, override_eligible, override_reason, eligible, ineligible_json, warnings_json FROM people WHERE id = ?`);
  const opcoStmt = sqlite.prepare('SELECT opco FROM opco_sirets WHERE siret = ?');
  const opcoCache = new Map<string, string | null>();
  const opcoOf = (siret: string | null) => {
    if (!siret) return null;
    if (!opcoCache.has(siret)) opcoCache.set(siret, ((opcoStmt.get(siret) as Cols<'opco_sirets', 'opco'> | undefined)?.opco ?? null));
    return opcoCache.get(siret)!;
  };

  const people: PersonPlan[] = [];
  const seenKeys = new Map<string, { file: number; row: number }>();
  const matchedDb = new Map<number, { file: number; row: number }>();
  for (let di = 0; di < data.length; di++) {
    const d = data[di];
    if (di > 0 && di % PLAN_BATCH === 0) {
      await breathe();
      throwIfCancelled(tools.signal);
    }
    const v = d.person!;
    const sKey = rowKey.get(d) ?? null;
    const sPlan = sKey ? plans.get(sKey)! : null;
    const fileKey = v.email ? 'e:' + v.email : 'n:' + d.personNameKey + '#' + (sKey ?? '');
    const first = seenKeys.get(fileKey);
    if (first !== undefined) {
      const w = where(first.file, first.row, d.file);
      warn(d.file, d.row, 'doublon_fichier', v.email ? `Même adresse e-mail que ${w} : ligne ignorée (une personne n’est enregistrée qu’une fois).` : `Même nom, prénom et structure que ${w} : ligne ignorée.`);
      continue;
    }
    seenKeys.set(fileKey, { file: d.file, row: d.row });
    let dbId: number | null = v.email ? (personByEmail.get(v.email) ?? null) : null;
    if (dbId === null && sPlan?.dbId !== undefined) {
      const cand = personByNameStructure.get(d.personNameKey + '#' + (sPlan?.dbId ?? ''));
      if (cand && (cand.email === null || v.email === null)) dbId = cand.id;
    }
    if (dbId !== null && matchedDb.has(dbId)) {
      const m = matchedDb.get(dbId)!;
      warn(d.file, d.row, 'doublon_fichier', `Même personne que ${where(m.file, m.row, d.file)} : ligne ignorée.`);
      continue;
    }
    const db = dbId === null ? null : (fullPerson.get(dbId) as DbPerson);
    if (db) matchedDb.set(db.id, { file: d.file, row: d.row });
    const plan: PersonPlan = {
      file: d.file,
      row: d.row,
      dbId: db?.id ?? null,
      structureKey: sKey,
      values: v,
      nameKey: d.personNameKey,
      status: db ? 'unchanged' : 'created',
      changes: [],
      before: db ? { structure_id: db.structure_id, eligible: db.eligible, ineligible_json: db.ineligible_json, warnings_json: db.warnings_json } : null,
      decision: undefined as unknown as EligibilityDecision,
    };
    if (db) {
      for (const k of personColumns) {
        const a = plan.values[k];
        const b = db[k];
        if (a === null) {
          (plan.values as unknown as Record<string, unknown>)[k] = b;
          continue;
        }
        if ((k === 'nom' || k === 'prenom') && nameKey(String(a)) === nameKey(String(b))) {
          (plan.values as unknown as Record<string, unknown>)[k] = b;
          continue;
        }
        if (a !== b) plan.changes.push({ field: k, label: personColumnLabels[k], before: show(b), after: show(a) });
      }
      if (sPlan && (sPlan.dbId === null || sPlan.dbId !== db.structure_id)) {
        const beforeName = db.structure_id !== null ? (structById.get(db.structure_id)?.name ?? null) : null;
        plan.changes.push({ field: 'structure_id', label: personColumnLabels.structure_id, before: beforeName, after: sPlan.values.name });
      }
      plan.status = plan.changes.length ? 'updated' : 'unchanged';
      plan.nameKey = nameKey(plan.values.nom, plan.values.prenom);
    }
    const sv = sPlan?.values ?? null;
    plan.decision = evaluateEligibility(
      {
        email: plan.values.email,
        profession: plan.values.profession,
        conseillerNumerique: plan.values.conseiller_numerique === null ? null : plan.values.conseiller_numerique === 1,
        statut: plan.values.statut,
        uniformation: plan.values.uniformation === null ? null : plan.values.uniformation === 1,
        structureOpco: opcoOf(sv?.siret ?? null),
        structureSiret: sv?.siret ?? null,
        structureSiren: sv?.siren ?? null,
        hasStructure: sv !== null || (db?.structure_id ?? null) !== null,
      },
      db && db.override_eligible !== null ? { eligible: db.override_eligible === 1, reason: db.override_reason ?? '' } : null,
    );
    for (const w of plan.decision.warnings) if (w === 'generic_email' || w === 'email_manquant') warn(d.file, d.row, w, warningRules[w]);
    people.push(plan);
  }
  warnings.sort((a, b) => a.file - b.file || a.row - b.row);
  rejected.sort((a, b) => a.file - b.file || a.row - b.row);
  return { located: files[0], files, rows: rowCount, rowsPerFile, structures: [...plans.values()], people, rejected, warnings };
}

function pickStructure(s: DbStructure): StructureValues {
  return {
    name: s.name,
    siret: s.siret,
    siren: s.siren,
    type: s.type,
    address: s.address,
    postcode: s.postcode,
    city: s.city,
    departement: s.departement,
    email: s.email,
    datapass_id: s.datapass_id,
    habilitation_ac: s.habilitation_ac,
    france_services: s.france_services,
    statut_employeur: s.statut_employeur,
  };
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
