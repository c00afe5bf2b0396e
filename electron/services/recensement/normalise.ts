// Small normalisations of imported values: names, e-mails, postcodes, départements.
import { normaliseDepartement } from '../common/identifiers';
import { fold } from '../common/tabular/values';
import { departementFromName } from './departements';

/** Trimmed text with inner runs of spaces collapsed; null when empty. */
const MESSY_SPACES = /\s\s|[\u00a0\u202f\t\r\n]|^\s|\s$/;
export function clean(s: string | null | undefined): string | null {
  if (s === null || s === undefined) return null;
  if (s === '') return null;
  if (!MESSY_SPACES.test(s)) return s.length <= 4 && /^(none|null|n\/a)$/i.test(s) ? null : s;
  const t = s.replace(/[\s\u00a0\u202f]+/g, ' ').trim();
  return t === '' || /^(none|null|n\/a)$/i.test(t) ? null : t;
}

/** Comparison key of a name: no accents, case, punctuation. */
export function nameKey(...parts: (string | null | undefined)[]): string {
  return parts.map((p) => fold(p ?? '').replace(/[^a-z0-9]+/g, ' ').trim()).join('|');
}

export function normaliseEmail(raw: string | null): { email: string | null; valid: boolean } {
  const t = clean(raw);
  if (t === null) return { email: null, valid: true };
  const e = t.replace(/^mailto:/i, '').trim().toLowerCase();
  return { email: e, valid: /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e) };
}

/** "23000" → 23000; 1000 (Excel number) → "01000"; "0" or garbage → invalid. */
export function normalisePostcode(raw: string | null): { postcode: string | null; valid: boolean } {
  const t = clean(raw);
  if (t === null) return { postcode: null, valid: true };
  let s = t.replace(/\s/g, '').replace(/\.0+$/, '');
  if (/^\d{4}$/.test(s)) s = '0' + s;
  if (!/^\d{5}$/.test(s) || s.startsWith('00')) return { postcode: null, valid: false };
  return { postcode: s, valid: true };
}

/** Département from a postcode; Corsica (20xxx) cannot be decided: 2A or 2B. */
export function departementFromPostcode(postcode: string): { departement: string | null; corsica: boolean } {
  if (postcode.startsWith('20')) return { departement: null, corsica: true };
  if (postcode.startsWith('97') || postcode.startsWith('98')) return { departement: normaliseDepartement(postcode.slice(0, 3)), corsica: false };
  return { departement: normaliseDepartement(postcode.slice(0, 2)), corsica: false };
}

/** A département cell: "23", 23, "2a", "Creuse (23)", "023", or its name alone: "Creuse", "Corse-du-Sud". */
export function parseDepartement(raw: string | null): string | null {
  const t = clean(raw);
  if (t === null) return null;
  const direct = normaliseDepartement(t.replace(/^0(\d{2})$/, '$1'));
  if (direct) return direct;
  const m = /\b(2[AaBb]|9[78]\d|\d{2})\b/.exec(t);
  if (m) return normaliseDepartement(m[1]);
  return departementFromName(t);
}
