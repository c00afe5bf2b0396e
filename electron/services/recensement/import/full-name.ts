// A single column holding the family name and the first name (« DUPONT Jean », « Jean Dupont »,
// « DA SILVA Maëlys »): the words in capitals are the family name. When capitals tell nothing
// (« Jean Dupont », « DUPONT JEAN »), the order the rest of the column uses is followed and the
// row says it is unsure. Pure.

const LETTERS = /^[\p{L}][\p{L}'’.-]*$/u;

function isCapitals(w: string): boolean {
  const letters = w.replace(/[^\p{L}]/gu, '');
  return letters.length >= 2 && letters === letters.toUpperCase() && letters !== letters.toLowerCase();
}
function isCapitalised(w: string): boolean {
  const letters = w.replace(/[^\p{L}]/gu, '');
  return letters.length >= 1 && letters[0] === letters[0].toUpperCase() && letters.slice(1) !== letters.slice(1).toUpperCase();
}

/** A cell that reads as « NOM Prénom » or « Prénom NOM »: two to five words of letters, one part in capitals. */
export function looksLikeFullName(t: string): boolean {
  const words = t.trim().split(/\s+/);
  if (words.length < 2 || words.length > 5 || !words.every((w) => LETTERS.test(w))) return false;
  const caps = words.filter(isCapitals).length;
  return caps > 0 && caps < words.length && words.every((w) => isCapitals(w) || isCapitalised(w));
}

export type NameOrder = 'nom_prenom' | 'prenom_nom';

export interface SplitName {
  nom: string;
  prenom: string;
  /** The capitals did not tell: split by the column's order. */
  unsure: boolean;
}

/** The order capitals tell for one cell, or null. */
function orderOf(words: string[]): { order: NameOrder; at: number } | null {
  const caps = words.map(isCapitals);
  const n = caps.filter(Boolean).length;
  if (n === 0 || n === words.length) return null;
  // The capitals must be one run at one end.
  const first = caps.indexOf(true);
  const last = caps.lastIndexOf(true);
  if (last - first + 1 !== n) return null;
  if (first === 0) return { order: 'nom_prenom', at: n };
  if (last === words.length - 1) return { order: 'prenom_nom', at: first };
  return null;
}

/** The order most cells of the column show by their capitals (null: none tells). */
export function columnNameOrder(values: string[]): NameOrder | null {
  let np = 0;
  let pn = 0;
  for (const v of values) {
    const o = orderOf(v.trim().split(/\s+/));
    if (o?.order === 'nom_prenom') np++;
    else if (o?.order === 'prenom_nom') pn++;
  }
  if (np === 0 && pn === 0) return null;
  return np >= pn ? 'nom_prenom' : 'prenom_nom';
}

/** Splits one cell; `fallback` is the column's order (« Prénom Nom » when nothing tells). */
export function splitFullName(value: string, fallback: NameOrder | null): SplitName | null {
  const words = value.trim().replace(/\s*,\s*/g, ' ').split(/\s+/).filter((w) => w !== '');
  if (words.length === 0) return null;
  if (words.length === 1) return { nom: words[0], prenom: '', unsure: true };
  const o = orderOf(words);
  if (o) {
    return o.order === 'nom_prenom'
      ? { nom: words.slice(0, o.at).join(' '), prenom: words.slice(o.at).join(' '), unsure: false }
      : { nom: words.slice(o.at).join(' '), prenom: words.slice(0, o.at).join(' '), unsure: false };
  }
  // Nothing tells: one word for the first name, at the end the column's order puts it.
  const order = fallback ?? 'prenom_nom';
  return order === 'nom_prenom'
    ? { nom: words.slice(0, -1).join(' '), prenom: words[words.length - 1], unsure: true }
    : { nom: words.slice(1).join(' '), prenom: words[0], unsure: true };
}
