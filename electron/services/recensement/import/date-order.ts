// The day/month order of a column of dates written as text (« 02/01/2025 »): decided by all its
// values (a first number above 12 is a day: day/month/year; a second number above 12 is a day:
// month/day/year, as a spreadsheet set to US English writes). A column where nothing decides is
// not guessed: the officer chooses (wizard) or an option says (`dates: 'jma' | 'mja'`). Pure.
import type { Cell } from '../../common/tabular/read';

export type DateOrder = 'jma' | 'mja';
export const dateOrderLabels: Record<DateOrder, string> = { jma: 'jour/mois/année', mja: 'mois/jour/année' };

export interface DateOrderFinding {
  /** The order the values decide, or null when none decides (or no value is day/month text). */
  order: DateOrder | null;
  /** Values written day/month or month/day (the ones whose order matters). */
  ambiguousText: number;
  /** Values that show day first (first number above 12) and month first (second above 12). */
  dayFirst: number;
  monthFirst: number;
  /** A few values, as written, for the question. */
  examples: string[];
}

const DM = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})(?:[ T].*)?$/;

export function inferDateOrder(cells: Iterable<Cell>): DateOrderFinding {
  let ambiguousText = 0;
  let dayFirst = 0;
  let monthFirst = 0;
  const examples: string[] = [];
  for (const c of cells) {
    if (typeof c !== 'string') continue;
    const m = DM.exec(c);
    if (!m) continue;
    ambiguousText++;
    const a = Number(m[1]);
    const b = Number(m[2]);
    if (a > 12 && b <= 12) dayFirst++;
    else if (b > 12 && a <= 12) monthFirst++;
    if (examples.length < 3 && a !== b) examples.push(c.trim());
  }
  let order: DateOrder | null = null;
  if (dayFirst > 0 || monthFirst > 0) order = dayFirst >= monthFirst ? 'jma' : 'mja';
  else if (ambiguousText > 0 && examples.length === 0) order = 'jma'; // every value has day = month: the order does not matter
  return { order, ambiguousText, dayFirst, monthFirst, examples };
}

/** The reason shown beside the column: « dates jour/mois/année (13/02/2025 : un jour au-delà de 12) ». */
export function dateOrderReason(f: DateOrderFinding, chosen: DateOrder | null, byOption: boolean): string | null {
  if (f.ambiguousText === 0) return null;
  if (f.dayFirst > 0 || f.monthFirst > 0) {
    const n = Math.max(f.dayFirst, f.monthFirst);
    const mixed = f.dayFirst > 0 && f.monthFirst > 0 ? ` ; ${Math.min(f.dayFirst, f.monthFirst)} valeur(s) dans l’autre ordre resteront illisibles` : '';
    return `dates lues ${dateOrderLabels[f.order!]} (${n} valeur${n > 1 ? 's' : ''} dont le ${f.order === 'jma' ? 'premier' : 'deuxième'} nombre dépasse 12)${mixed}`;
  }
  if (chosen && byOption) return `dates lues ${dateOrderLabels[chosen]} (ordre indiqué : aucune valeur ne le décide)`;
  if (chosen) return null;
  return `ordre jour/mois indécidable (aucun nombre ne dépasse 12, ex. ${f.examples.join(', ')}) : à préciser`;
}
