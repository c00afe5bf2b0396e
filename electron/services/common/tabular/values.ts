// Turning imported cells into our values: trimmed text, ISO dates, yes/no answers.
import type { Cell } from './read';

/** Text of a cell, trimmed; numbers without float noise ("13002603200016.0" stays for the SIRET repair). */
export function cellText(c: Cell | undefined): string {
  if (c === null || c === undefined) return '';
  if (typeof c === 'string') return c.indexOf('\u00a0') >= 0 ? c.replace(/\u00a0/g, ' ').trim() : c.trim();
  if (typeof c === 'number') return Number.isInteger(c) ? String(c) : String(c);
  if (typeof c === 'boolean') return c ? 'Oui' : 'Non';
  return isoFromDate(c) ?? '';
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

function validYmd(y: number, m: number, d: number): string | null {
  if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31) return null;
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return null;
  return `${y}-${pad(m)}-${pad(d)}`;
}

function isoFromDate(d: Date): string | null {
  if (Number.isNaN(d.getTime())) return null;
  // SheetJS builds ODS/xlsx dates at local midnight: the local calendar date is the one typed.
  return validYmd(d.getFullYear(), d.getMonth() + 1, d.getDate());
}

/** Excel serial (days since 1899-12-30, or 1904-01-01) → ISO date. */
export function isoFromSerial(serial: number, date1904 = false): string | null {
  if (!Number.isFinite(serial) || serial < 1 || serial > 200_000) return null;
  const base = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30);
  const d = new Date(base + Math.floor(serial) * 86_400_000);
  return validYmd(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/**
 * A date as found in the officer's files → YYYY-MM-DD, or null when it is not a date:
 * Excel serials, dd-mm-YYYY, dd/mm/YYYY (and 2-digit years), dd.mm.YYYY, YYYY/mm/dd, ISO with or
 * without time and time zone (+01:00, +0100, +01, Z, after a space or not; the calendar date as
 * written is kept). Text holding only a number is never a date. `order` is the day/month order
 * of dd/mm text (month first: 'mja').
 */
export function toIsoDate(c: Cell | undefined, date1904 = false, order: 'jma' | 'mja' = 'jma'): string | null {
  if (c === null || c === undefined || c === '') return null;
  if (c instanceof Date) return isoFromDate(c);
  if (typeof c === 'number') return isoFromSerial(c, date1904);
  if (typeof c === 'boolean') return null;
  const s = c.trim();
  let m = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:[T ][\d:.,]+ ?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/.exec(s);
  if (m) return validYmd(+m[1], +m[3], +m[4]);
  m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})(?:,?[ T]\d{1,2}[:h]\d{2}(?::\d{2})?(?: ?[AaPp]\.?[Mm]\.?)?)?$/.exec(s);
  if (m) {
    const y = m[3].length === 2 ? 2000 + +m[3] : +m[3];
    return order === 'mja' ? validYmd(y, +m[1], +m[2]) : validYmd(y, +m[2], +m[1]);
  }
  // A bare number typed as text (« 2024 », « 12 », « 45292 ») is not a date: reading it as an Excel
  // serial stored « 2024 » as 16/07/1905. Only number cells (how Excel stores its dates) are serials.
  return null;
}

const YES = new Set(['oui', 'o', 'yes', 'y', 'true', 'vrai', '1', 'x', 'ok']);
const NO = new Set(['non', 'n', 'no', 'false', 'faux', '0', 'none', 'null', 'nc', 'aucun', '-']);

/** Oui/Non, True/False, 1/0, OUI/NON, `None` → true/false; null when empty or unclear. */
// A Map, not an object: `'constructor' in {}` is true, and toBool('constructor') returned a function.
const FAST_BOOL = new Map<string, boolean>(Object.entries({ True: true, False: false, Oui: true, Non: false, OUI: true, NON: false, '1': true, '0': false, None: false, true: true, false: false, oui: true, non: false }));

export function toBool(c: Cell | undefined): boolean | null {
  if (c === null || c === undefined) return null;
  if (typeof c === 'boolean') return c;
  if (typeof c === 'number') return c === 1 ? true : c === 0 ? false : null;
  if (typeof c === 'string') {
    const fast = FAST_BOOL.get(c);
    if (fast !== undefined) return fast;
  }
  const s = fold(String(c));
  if (s === '') return null;
  if (YES.has(s)) return true;
  if (NO.has(s)) return false;
  return null;
}

/** Lower case, no accents, curly apostrophes straight, `_`/punctuation as spaces, spaces collapsed. */
const NON_ASCII = /[^\x00-\x7f]/;
export function fold(s: string): string {
  if (!NON_ASCII.test(s)) return s.toLowerCase().replace(/[_\s]+/g, ' ').trim();
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc\u00b4`]/g, "'")
    .replace(/[\u00a0_\s]+/g, ' ')
    .trim();
}
