// Reads a spreadsheet or delimited-text file into plain rows of cells, once. Format is decided
// by the bytes (ZIP → xlsx/ods, OLE2 → xls, else text), not by the name the e-mail gave it.
// Shared by every import of the app (recensement, attendance, form workbooks).
import * as XLSX from 'xlsx';
import { AppError } from '../../errors';
import { LIMITS } from '../untrusted/limits';
import { checkZipSizes } from '../untrusted/zip-check';
import { CsvReader, decodeText, detectDelimiter, type Delimiter, type TextEncoding } from './csv';

/** A cell as read: text, number (Excel dates stay serial numbers), boolean, Date (ODS) or empty. */
export type Cell = string | number | boolean | Date | null;

export interface TabularSheet {
  name: string;
  /** rows[i] is row i + 1 of the sheet (blank rows kept, so row numbers match the file). */
  rows: Cell[][];
  /** true when the sheet was not read (only another sheet was asked for): rows is empty. */
  unread?: boolean;
}

export interface ReadOptions {
  /**
   * Read only this sheet of an xlsx workbook (SheetJS `sheets` option): the others are listed
   * by name but not parsed, which saves the memory of their cells. Ignored for other formats.
   */
  sheet?: string;
}

export interface TabularFile {
  format: 'xlsx' | 'xls' | 'ods' | 'csv';
  encoding?: TextEncoding;
  delimiter?: Delimiter;
  /** Excel's 1904 date system (old Mac workbooks): serials count from 1904-01-01. */
  date1904: boolean;
  sheets: TabularSheet[];
}

export const formatLabels: Record<TabularFile['format'], string> = {
  xlsx: 'classeur Excel (.xlsx)',
  xls: 'classeur Excel 97-2003 (.xls)',
  ods: 'classeur OpenDocument (.ods)',
  csv: 'texte délimité (CSV)',
};

function isZip(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
}
function isOle2(b: Uint8Array): boolean {
  return b.length >= 8 && b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0;
}

/** The sheet's dense rows turned into plain values in place (no second copy of a large sheet). */
function sheetRows(ws: XLSX.WorkSheet): Cell[][] {
  const data = (ws['!data'] ?? []) as unknown as (unknown[] | undefined)[];
  for (let r = 0; r < data.length; r++) {
    const row = data[r];
    if (!row) {
      data[r] = [];
      continue;
    }
    for (let c = 0; c < row.length; c++) {
      const cell = row[c] as XLSX.CellObject | undefined;
      row[c] = !cell || cell.v === undefined || cell.t === 'e' || cell.t === 'z' ? null : (cell.v as Cell);
    }
  }
  delete (ws as { '!data'?: unknown })['!data'];
  return data as Cell[][];
}

/**
 * Most filled rows one sheet may hold. A département's lists hold a few thousand people and the
 * national list of training organisations about 150 000 rows; beyond this a file is not one of
 * the officer's lists (or is damaged), and reading on would only exhaust the laptop's memory.
 * Blank rows do not count (a sheet formatted down to row 1 048 576 is fine).
 */
export const MAX_FILLED_ROWS = 200_000;

function isFilled(row: Cell[] | undefined): boolean {
  if (!row) return false;
  for (const c of row) if (c !== null && c !== undefined && c !== '') return true;
  return false;
}

/** Refuses a sheet with more filled rows than MAX_FILLED_ROWS, saying so in French. */
export function assertRowCap(sheet: TabularSheet, fileName: string, max = MAX_FILLED_ROWS): void {
  let filled = 0;
  for (const row of sheet.rows) {
    if (isFilled(row) && ++filled > max) {
      throw new AppError(
        'input_too_large',
        `La feuille « ${sheet.name} » du fichier « ${fileName} » contient plus de ${max.toLocaleString('fr-FR')} lignes remplies : c’est plus que ce qu’un import accepte. Vérifiez qu’il s’agit du bon fichier, ou découpez-le en plusieurs fichiers. Rien n’a été importé.`,
      );
    }
  }
}

/**
 * Reads the bytes of a file; a damaged or unknown file gives a French error (nothing is written).
 * Parses in the calling thread: files from outside go through readUntrusted (../untrusted/run.ts),
 * which runs this in a worker with memory and time limits after the pre-checks of the archive.
 */
export function readTabular(bytes: Uint8Array, fileName = '', opts: ReadOptions = {}): TabularFile {
  if (bytes.byteLength === 0) throw new AppError('file_unreadable', `Le fichier « ${fileName} » est vide.`);
  const ext = fileName.toLowerCase().split('.').pop() ?? '';
  if (isZip(bytes) || isOle2(bytes)) {
    if (isZip(bytes)) checkZipSizes(bytes, fileName);
    let wb: XLSX.WorkBook;
    const parse = (only?: string) =>
      XLSX.read(bytes, {
        type: 'buffer',
        dense: true,
        cellHTML: false,
        cellText: false,
        cellNF: false,
        cellStyles: false,
        bookVBA: false,
        // Never a row beyond the grid of a spreadsheet, whatever the file declares.
        sheetRows: LIMITS.maxSheetRows,
        ...(only !== undefined ? { sheets: only } : {}),
      });
    try {
      wb = parse(opts.sheet);
      // The asked sheet is not in this workbook (renamed since the preview…): read them all.
      if (opts.sheet !== undefined && !wb.Sheets[opts.sheet]) wb = parse();
    } catch (e) {
      throw new AppError(
        'file_unreadable',
        `Le fichier « ${fileName} » est endommagé ou incomplet et ne peut pas être lu (${isZip(bytes) ? 'archive du classeur illisible' : 'classeur illisible'}). Demandez à l’expéditeur de vous le renvoyer ou enregistrez-le de nouveau depuis Excel ou LibreOffice. Rien n’a été importé.`,
        { details: e instanceof Error ? e.message : String(e) },
      );
    }
    const bookType = (wb as { bookType?: string }).bookType;
    const format: TabularFile['format'] = isOle2(bytes) ? 'xls' : bookType === 'ods' ? 'ods' : 'xlsx';
    const sheets: TabularSheet[] = wb.SheetNames.map((name) => {
      const ws = wb.Sheets[name];
      // Each sheet's cells are converted then dropped from the workbook at once.
      delete wb.Sheets[name];
      return ws ? { name, rows: sheetRows(ws) } : { name, rows: [], unread: true };
    });
    if (sheets.length === 0) throw new AppError('file_unreadable', `Le classeur « ${fileName} » ne contient aucune feuille.`);
    for (const sh of sheets) assertRowCap(sh, fileName);
    return { format, date1904: Boolean(wb.Workbook?.WBProps?.date1904), sheets };
  }
  // A binary file that is not a workbook (PDF, image…) is refused rather than read as text.
  const head = bytes.subarray(0, 4096);
  let nul = 0;
  for (const b of head) if (b === 0) nul++;
  if (nul > 0 && !(bytes[0] === 0xff && bytes[1] === 0xfe)) {
    throw new AppError('file_unreadable', `Le fichier « ${fileName} » n’est ni un classeur (xlsx, xls, ods) ni un fichier texte CSV.`);
  }
  const { text, encoding } = decodeText(bytes);
  const delimiter = ext === 'tsv' ? '\t' : detectDelimiter(text);
  const base = fileName.replace(/\.[^.]*$/, '') || 'Feuille';
  const rows: Cell[][] = [];
  const sheet = { name: base, rows };
  // The row cap is checked as the rows come, not after the whole file is parsed.
  let filled = 0;
  const reader = new CsvReader({ delimiter, fileName }, (fields) => {
    rows.push(fields);
    if (isFilled(fields) && ++filled > MAX_FILLED_ROWS) assertRowCap(sheet, fileName);
  });
  reader.feed(text);
  reader.end();
  return { format: 'csv', encoding, delimiter, date1904: false, sheets: [sheet] };
}
