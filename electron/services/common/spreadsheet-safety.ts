// Formula injection: a cell whose text starts with =, +, -, @, a tab or a carriage return is
// run as a formula by Excel/LibreOffice when the exported file is opened (e.g. a "nom" typed
// as =HYPERLINK(…)). Spreadsheets skip leading blanks and line breaks before a formula and
// read the full-width signs ＝＋－＠ (as typed with a Japanese keyboard) as =+-@, so a value
// that starts with any of these, then one of the signs, is dangerous too. Every export (xlsx and CSV) passes its text cells through this one
// function, which makes them inert by prefixing an apostrophe — Excel's own "text" marker,
// shown as nothing in the cell. Numbers and dates are not text and are left as they are.
const DANGEROUS_START = /^[\s\u00a0\u2000-\u200b\u3000\ufeff]*[=+\-@\uff1d\uff0b\uff0d\uff20\u2212]|^[\t\r\n]/;

export function neutraliseCell<T>(value: T): T | string {
  if (typeof value !== 'string') return value;
  return DANGEROUS_START.test(value) ? `'${value}` : value;
}

export function neutraliseRow<T extends Record<string, unknown>>(row: T): { [K in keyof T]: T[K] | string } {
  const out = {} as { [K in keyof T]: T[K] | string };
  for (const k of Object.keys(row) as (keyof T)[]) out[k] = neutraliseCell(row[k]);
  return out;
}

/** CSV for Excel in France: UTF-8 with BOM, ';' separator, CRLF, every text cell neutralised. */
export function toSafeCsv(header: string[], rows: unknown[][]): string {
  const q = (v: unknown): string => {
    if (v === null || v === undefined) return '';
    const s = String(neutraliseCell(typeof v === 'string' ? v : String(v)));
    return /[;"\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return '\ufeff' + [header, ...rows].map((r) => r.map(q).join(';')).join('\r\n') + '\r\n';
}
