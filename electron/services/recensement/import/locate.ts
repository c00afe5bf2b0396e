// Locating the table in a file: which sheet, which row holds the headers, which column is which
// field (the officer's choice, else the mapping remembered for these headers, else the inference
// from the header and the content), and how the columns' dates are written.
import { otherListMessages, recogniseOtherList } from './other-lists';
import type { ServiceContext } from '../../context';
import { AppError } from '../../errors';
import { columnSamples, detectHeaderRow, headerSignature, headersOf, pickSheet, type FieldDictionary } from '../../common/tabular/header';
import { readTabular, type Cell, type TabularFile, type TabularSheet } from '../../common/tabular/read';
import { collectGarbage } from '../../common/tabular/memory';
import { cellText, isoFromSerial, toIsoDate } from '../../common/tabular/values';
import { detectKind, fieldLabels, importFields, recensementDictionary, requiredFields, type ImportField, type ImportKind } from '../fields';
import { dateOrderLabels, dateOrderReason, inferDateOrder, type DateOrder } from './date-order';
import { kindsOf } from './column-content';
import { columnNameOrder, type NameOrder } from './full-name';
import { HEADER_THRESHOLD, scoreHeader } from './header-words';
import { inferMapping } from './infer-mapping';

export interface ImportOptions {
  sheet?: string;
  /** 1-based row number of the header row, when the officer corrects it. */
  headerRow?: number;
  /** Column index → field (null: ignored), as corrected by the officer. */
  mapping?: (ImportField | null)[];
  /** Header → field (null: ignored), as a command line gives it (« En-tête=champ »); the rest is inferred. */
  map?: Record<string, ImportField | null>;
  /** Day/month order of the date columns no value decides (jour/mois/année or mois/jour/année). */
  dates?: DateOrder;
  /** The convention's département: postcodes 20xxx take it when it is 2A or 2B. Default: the latest convention's. */
  departement?: string | null;
  kind?: ImportKind | 'auto';
}

export type MappingSource = 'automatique' | 'memorisee' | 'agent';

export const DATE_FIELDS = ['date_demande', 'date_formation'] as const satisfies readonly ImportField[];
export type DateField = (typeof DATE_FIELDS)[number];

export interface DateQuestion {
  field: DateField;
  column: number;
  header: string;
  examples: string[];
}

export interface Located {
  fileName: string;
  file: TabularFile;
  sheet: TabularSheet;
  /** Every sheet of the file with its row count (null: not read, another sheet was asked for). */
  sheets: { name: string; rows: number | null }[];
  headerIndex: number;
  headers: string[];
  /** Up to three values of each column, for the mapping screen (read before the rows are consumed; dates as dates). */
  samples: string[][];
  mapping: (ImportField | null)[];
  /** Why each column got its field (or none), for the mapping screen. */
  reasons: (string | null)[];
  mappingSource: MappingSource;
  kind: ImportKind;
  detectedKind: ImportKind;
  signature: string;
  /** The day/month order of each date column (absent: none needed, or a question is open). */
  dateOrders: Partial<Record<DateField, DateOrder>>;
  /** Date columns whose order nothing decides and no option gave: the officer must say. */
  dateQuestions: DateQuestion[];
  /** The order of a « NOM Prénom » column, as its capitals tell (null: they do not). */
  nameOrder: NameOrder | null;
  options: ImportOptions;
}

/** Above this many rows, memory is released explicitly between the phases of an import. */
export const LARGE_SHEET_ROWS = 5000;
export const MAPPING_SETTING_PREFIX = 'recensement.mapping:';
/** Rows under the header whose cells the inference looks at. */
const SAMPLE_ROWS = 200;
/** Rows at the top of a sheet where the header row is looked for. */
const HEADER_SCAN_ROWS = 30;

function rememberedMapping(ctx: ServiceContext, signature: string, width: number): (ImportField | null)[] | null {
  const row = ctx.store.sqlite.prepare('SELECT value_json FROM app_settings WHERE key = ?').get(MAPPING_SETTING_PREFIX + signature) as { value_json: string } | undefined;
  if (!row) return null;
  try {
    const m = JSON.parse(row.value_json) as unknown;
    if (!Array.isArray(m) || m.length !== width) return null;
    return m.map((f) => (typeof f === 'string' && (importFields as readonly string[]).includes(f) ? (f as ImportField) : null));
  } catch {
    return null;
  }
}

const VALUE_LIKE = /@|^[\d\s.,:/+-]+$/;
/** The header dictionary of the sheet and header-row search: a known spelling, else the word model. */
const headerDictionary: FieldDictionary<ImportField> = {
  lookup(h) {
    const exact = recensementDictionary.lookup(h);
    if (exact) return exact;
    if (h.length > 200 || VALUE_LIKE.test(h)) return null;
    const best = scoreHeader(h)[0];
    return best && best.score >= HEADER_THRESHOLD ? best.field : null;
  },
};

const DATA_KINDS = new Set(['email', 'siret', 'siren', 'phone']);
/** A row holding an e-mail address, a SIRET, a phone number or a date cell is data, not headers. */
function isDataRow(row: Cell[] | undefined): boolean {
  for (const c of row ?? []) {
    if (c instanceof Date) return true;
    if (typeof c === 'string' && c.length < 80 && kindsOf(c).some((k) => DATA_KINDS.has(k))) return true;
  }
  return false;
}

/** The header row: the first rows' best match with the header words, data rows (e-mails, SIRETs…) aside. */
function detectHeader(sheet: TabularSheet): number {
  const rows = sheet.rows.slice(0, HEADER_SCAN_ROWS);
  const masked = { ...sheet, rows: rows.map((r) => (isDataRow(r) ? [] : r)) };
  const found = detectHeaderRow(masked, headerDictionary);
  if (found.score > 0) return found.index;
  // No header words at all: the first row as wide as the table (title rows are narrower).
  return detectHeaderRow(sheet, { lookup: () => null }).index;
}

function headerIndexOf(sheet: TabularSheet, opts: ImportOptions): number {
  if (opts.headerRow === undefined) return detectHeader(sheet);
  if (opts.headerRow < 1 || opts.headerRow > sheet.rows.length) {
    throw new AppError('validation', `La ligne d’en-tête ${opts.headerRow} n’existe pas dans la feuille « ${sheet.name} » (${sheet.rows.length} lignes).`, {
      fields: { headerRow: 'Ligne hors de la feuille.' },
    });
  }
  return opts.headerRow - 1;
}

function widthOf(sheet: TabularSheet, headerIndex: number): number {
  let width = sheet.rows[headerIndex]?.length ?? 0;
  for (let r = headerIndex + 1; r < Math.min(sheet.rows.length, headerIndex + 200); r++) width = Math.max(width, sheet.rows[r]?.length ?? 0);
  // Trailing columns without header nor data are not columns.
  while (width > 0 && cellText(sheet.rows[headerIndex]?.[width - 1]) === '' && !sheet.rows.slice(headerIndex + 1, headerIndex + 200).some((r) => cellText(r?.[width - 1]) !== '')) width--;
  return width;
}

function checkedMapping(mapping: (ImportField | null)[], width: number): (ImportField | null)[] {
  if (mapping.length !== width) {
    throw new AppError('validation', `La correspondance des colonnes ne correspond pas au fichier (${mapping.length} colonnes au lieu de ${width}).`);
  }
  const seen = new Set<ImportField>();
  for (const f of mapping) {
    if (f === null) continue;
    if (seen.has(f)) throw new AppError('validation', `Le champ « ${fieldLabels[f]} » est choisi pour deux colonnes : gardez-en une seule.`);
    seen.add(f);
  }
  return mapping;
}

/** The cells of each column under the header (the first SAMPLE_ROWS rows). */
function sampleCells(sheet: TabularSheet, headerIndex: number, width: number): Cell[][] {
  const cols: Cell[][] = Array.from({ length: width }, () => []);
  const end = Math.min(sheet.rows.length, headerIndex + 1 + SAMPLE_ROWS);
  for (let r = headerIndex + 1; r < end; r++) {
    const row = sheet.rows[r];
    if (!row) continue;
    for (let c = 0; c < width; c++) cols[c].push(row[c] ?? null);
  }
  return cols;
}

function decideMapping(ctx: ServiceContext, opts: ImportOptions, headers: string[], cells: Cell[][], signature: string) {
  if (opts.mapping) {
    const mapping = checkedMapping(opts.mapping, headers.length);
    return { mapping, reasons: mapping.map((f) => (f ? 'choisie par vous' : null)), source: 'agent' as MappingSource };
  }
  const remembered = opts.map ? null : rememberedMapping(ctx, signature, headers.length);
  if (remembered) return { mapping: remembered, reasons: remembered.map((f) => (f ? 'correspondance mémorisée (même fichier déjà importé)' : null)), source: 'memorisee' as MappingSource };
  const decisions = inferMapping(headers, cells, { map: opts.map });
  return { mapping: decisions.map((d) => d.field), reasons: decisions.map((d) => d.reason), source: 'automatique' as MappingSource };
}

/** Each date column's order: decided by its values, else by the option, else asked. */
function dateOrdersOf(sheet: TabularSheet, headerIndex: number, headers: string[], mapping: (ImportField | null)[], reasons: (string | null)[], opts: ImportOptions) {
  const dateOrders: Partial<Record<DateField, DateOrder>> = {};
  const dateQuestions: DateQuestion[] = [];
  for (const field of DATE_FIELDS) {
    const column = mapping.indexOf(field);
    if (column < 0) continue;
    const finding = inferDateOrder(columnCells(sheet, headerIndex, column));
    const chosen = finding.order ?? (finding.ambiguousText > 0 ? (opts.dates ?? null) : null);
    if (chosen) dateOrders[field] = chosen;
    else if (finding.ambiguousText > 0) dateQuestions.push({ field, column, header: headers[column], examples: finding.examples });
    const why = dateOrderReason(finding, chosen, finding.order === null && chosen !== null);
    if (why) reasons[column] = reasons[column] ? `${reasons[column]} ; ${why}` : why;
  }
  return { dateOrders, dateQuestions };
}

function* columnCells(sheet: TabularSheet, headerIndex: number, column: number): Generator<Cell> {
  for (let r = headerIndex + 1; r < sheet.rows.length; r++) yield sheet.rows[r]?.[column] ?? null;
}

/** The mapping screen's values: dates (Excel serials too) as the officer reads them, dd/mm/yyyy. */
function displaySamples(sheet: TabularSheet, headerIndex: number, mapping: (ImportField | null)[], date1904: boolean, dateOrders: Partial<Record<DateField, DateOrder>>): string[][] {
  const raw = columnSamples(sheet, headerIndex, mapping.length);
  return raw.map((values, c) => {
    const f = mapping[c];
    if (f !== 'date_demande' && f !== 'date_formation') return values;
    const out: string[] = [];
    for (let r = headerIndex + 1; r < sheet.rows.length && out.length < values.length; r++) {
      const cell = sheet.rows[r]?.[c];
      if (cellText(cell) === '') continue;
      const order = dateOrders[f];
      let iso: string | null = null;
      if (typeof cell === 'number') iso = isoFromSerial(cell, date1904);
      else if (typeof cell !== 'string' || order || !/^\d{1,2}\D/.test(cell.trim())) iso = toIsoDate(cell, date1904, order ?? 'jma');
      out.push(iso ? iso.split('-').reverse().join('/') : cellText(cell).slice(0, 80));
    }
    return out;
  });
}

/** Reads the file and finds the data: sheet, header row, columns, mapping, date orders and kind. */
export function locate(ctx: ServiceContext, input: Uint8Array | TabularFile, fileName: string, opts: ImportOptions = {}): Located {
  // A file from outside is read beforehand by readUntrusted (worker, caps): see import-service.
  const file = input instanceof Uint8Array ? readTabular(input, fileName, { sheet: opts.sheet }) : input;
  const sheet = pickSheet(file, headerDictionary, opts.sheet);
  // Only the chosen sheet is kept: the others' cells are released now.
  const sheets = file.sheets.map((s) => ({ name: s.name, rows: s.unread ? null : s.rows.length }));
  for (const s of file.sheets) if (s !== sheet) s.rows = [];
  // The workbook's parse left a lot of garbage (XML text, SheetJS cells): release it now.
  if (sheet.rows.length > LARGE_SHEET_ROWS) collectGarbage();
  const headerIndex = headerIndexOf(sheet, opts);
  const width = widthOf(sheet, headerIndex);
  const headers = headersOf(sheet.rows[headerIndex], width);
  const signature = headerSignature(headers);
  const detectedKind = detectKind(headers);
  const kind = opts.kind && opts.kind !== 'auto' ? opts.kind : detectedKind;
  const cells = sampleCells(sheet, headerIndex, width);
  const { mapping, reasons, source } = decideMapping(ctx, opts, headers, cells, signature);
  const { dateOrders, dateQuestions } = dateOrdersOf(sheet, headerIndex, headers, mapping, reasons, opts);
  const fullNameColumn = mapping.indexOf('nom_complet');
  const nameOrder = fullNameColumn < 0 ? null : columnNameOrder([...columnCells(sheet, headerIndex, fullNameColumn)].map((c) => cellText(c)).filter((t) => t !== ''));
  const samples = displaySamples(sheet, headerIndex, mapping, file.date1904, dateOrders);
  return {
    fileName, file, sheet, sheets, headerIndex, headers, samples, mapping, reasons, mappingSource: source, kind, detectedKind, signature, dateOrders, dateQuestions, nameOrder, options: opts,
  };
}

/** Required fields not mapped to any column, for the refusal message (a « NOM Prénom » column gives both names). */
export function missingRequired(mapping: (ImportField | null)[]): ImportField[] {
  const has = new Set(mapping.filter((f): f is ImportField => f !== null));
  if (has.has('nom_complet')) {
    has.add('nom');
    has.add('prenom');
  }
  return requiredFields.filter((f) => (f === 'structure_nom' ? !has.has('structure_nom') && !has.has('siret') : !has.has(f)));
}

export function missingRequiredMessage(l: Located): string {
  const other = recogniseOtherList(l.headers);
  if (other) return otherListMessages[other];
  const missing = missingRequired(l.mapping);
  const unmapped = l.headers.filter((_, i) => l.mapping[i] === null);
  return (
    `Colonnes obligatoires introuvables : ${missing.map((f) => (f === 'structure_nom' ? 'structure (nom ou SIRET)' : fieldLabels[f].toLowerCase())).join(', ')}. ` +
    `Colonnes non reconnues dans « ${l.sheet.name} » (ligne ${l.headerIndex + 1}) : ${unmapped.length ? unmapped.map((h) => `« ${h} »`).join(', ') : 'aucune'}. ` +
    'Indiquez à quelle colonne correspond chaque champ obligatoire.'
  );
}

/** The refusal when a date column's order is still open (CLI, commit without the wizard's answer). */
export function dateQuestionMessage(l: Located): string {
  return (
    l.dateQuestions.map((q) => `Colonne « ${q.header} » : les dates (${q.examples.join(', ')}) peuvent se lire ${dateOrderLabels.jma} ou ${dateOrderLabels.mja}, aucune valeur ne le décide.`).join(' ') +
    ' Précisez l’ordre des dates (jma ou mja).'
  );
}
