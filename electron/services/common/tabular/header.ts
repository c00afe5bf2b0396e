// Finding the data in a sheet: which sheet, which row holds the column headers (title rows,
// merged title cells and blank rows above it), and the proposed column → field mapping by
// normalised header and synonyms. Generic: each import brings its own field dictionary.
import type { Cell, TabularFile, TabularSheet } from './read';
import { cellText } from './values';

/** Header → comparison key: no accents, lower case, straight apostrophes, `_`/punctuation → space. */
export function normaliseHeader(h: string): string {
  return h
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc\u00b4`]/g, "'")
    .replace(/n°|nº|no\./g, 'numero ')
    .replace(/[_\-:./()?*,;#\u00a0]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export interface FieldDictionary<F extends string> {
  /** Normalised synonym → field. */
  lookup(normalisedHeader: string): F | null;
}

const INCLUSIVE_MARKS = / (?:s|e|es|x|ere)(?= |$)/g;

/** Builds a dictionary from field → list of header synonyms (normalised once). */
export function dictionary<F extends string>(synonyms: Record<F, string[]>): FieldDictionary<F> {
  const map = new Map<string, F>();
  for (const [field, list] of Object.entries(synonyms) as [F, string[]][]) {
    for (const s of list) {
      const k = normaliseHeader(s);
      if (!map.has(k)) map.set(k, field);
    }
  }
  return {
    lookup: (h) => {
      const hit = map.get(h);
      if (hit !== undefined) return hit;
      // « Formation(s) souhaitée(s) », « Prénom(s) », « Déjà sensibilisé(e) »: once normalised the
      // plural and feminine marks are lone letters; compared without them when nothing else matched.
      const bare = h.replace(INCLUSIVE_MARKS, '');
      return bare !== h ? (map.get(bare) ?? null) : null;
    },
  };
}

function nonEmpty(row: Cell[] | undefined): number {
  if (!row) return 0;
  let n = 0;
  for (const c of row) if (cellText(c) !== '') n++;
  return n;
}

const HEADER_SCAN_ROWS = 30;

/** Index (0-based) of the header row: the first rows' best match with the dictionary. */
export function detectHeaderRow<F extends string>(sheet: TabularSheet, dict: FieldDictionary<F>): { index: number; score: number } {
  let best = { index: -1, score: 0 };
  const limit = Math.min(sheet.rows.length, HEADER_SCAN_ROWS);
  for (let r = 0; r < limit; r++) {
    const row = sheet.rows[r];
    const fields = new Set<F>();
    for (const c of row ?? []) {
      if (typeof c !== 'string') continue;
      const f = dict.lookup(normaliseHeader(c));
      if (f) fields.add(f);
    }
    if (fields.size > best.score) best = { index: r, score: fields.size };
  }
  if (best.index >= 0) return best;
  // Nothing recognised: the first row that is as wide as the table (title rows are narrower).
  let width = 0;
  for (let r = 0; r < limit; r++) width = Math.max(width, nonEmpty(sheet.rows[r]));
  for (let r = 0; r < limit; r++) if (width > 0 && nonEmpty(sheet.rows[r]) >= Math.max(2, Math.ceil(width * 0.6))) return { index: r, score: 0 };
  return { index: 0, score: 0 };
}

const NOTES_SHEET = /^(notes?|lisez[- ]?moi|read ?me|aide|instructions?|mode d'emploi|legende|l[ée]gende|param[eè]tres|listes?)$/i;

/** The sheet holding the data: best header match, then most filled rows; notes sheets last. */
export function pickSheet<F extends string>(file: TabularFile, dict: FieldDictionary<F>, wanted?: string): TabularSheet {
  if (wanted !== undefined) {
    const s = file.sheets.find((x) => x.name === wanted);
    if (s) return s;
  }
  let best = file.sheets[0];
  let bestKey = [-1, -1, -1];
  for (const s of file.sheets) {
    const h = detectHeaderRow(s, dict);
    let filled = 0;
    for (const r of s.rows) if (nonEmpty(r) > 1) filled++;
    const key = [NOTES_SHEET.test(s.name.trim()) ? 0 : 1, h.score, filled];
    if (key[1] > bestKey[1] || (key[1] === bestKey[1] && (key[0] > bestKey[0] || (key[0] === bestKey[0] && key[2] > bestKey[2])))) {
      best = s;
      bestKey = key;
    }
  }
  return best;
}

/** Headers of the chosen row; unnamed columns get « Colonne N ». Duplicate names are kept apart. */
export function headersOf(row: Cell[] | undefined, width: number): string[] {
  const out: string[] = [];
  for (let c = 0; c < width; c++) {
    const t = cellText(row?.[c]);
    out.push(t === '' ? `Colonne ${c + 1}` : t);
  }
  return out;
}

/** Up to `count` non-empty values under the header, per column (80 characters at most): what the mapping screens show. */
export function columnSamples(sheet: TabularSheet, headerIndex: number, width: number, count = 3): string[][] {
  return Array.from({ length: width }, (_, i) => {
    const out: string[] = [];
    for (let r = headerIndex + 1; r < sheet.rows.length && out.length < count; r++) {
      const t = cellText(sheet.rows[r]?.[i]);
      if (t !== '') out.push(t.slice(0, 80));
    }
    return out;
  });
}

/** Proposed mapping: column index → field (each field used once, first column wins). */
export function proposeMapping<F extends string>(headers: string[], dict: FieldDictionary<F>): (F | null)[] {
  const used = new Set<F>();
  return headers.map((h) => {
    const f = dict.lookup(normaliseHeader(h));
    if (!f || used.has(f)) return null;
    used.add(f);
    return f;
  });
}

/** A key identifying a layout of columns, to remember the officer's mapping for the next file. */
export function headerSignature(headers: string[]): string {
  return headers.map(normaliseHeader).join('|');
}
