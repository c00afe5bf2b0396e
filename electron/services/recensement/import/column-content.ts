// What a column's cells are, whatever its header says: e-mail addresses, valid SIRETs or SIRENs
// (Luhn, La Poste), postcodes, phone numbers, dates, AN/AC answers, statuses, oui/non, or a
// « NOM Prénom » name. A sample of the cells is enough to confirm a header or to decide for a
// header that says nothing. Pure: cells in, counts out.
import type { Cell } from '../../common/tabular/read';
import { cellText, fold, toBool } from '../../common/tabular/values';
import { parseSiretCell } from '../siret';
import { looksLikeFullName } from './full-name';

export const contentKinds = ['email', 'siret', 'siren', 'phone', 'postcode', 'date', 'formation', 'statut', 'ouinon', 'nom_complet'] as const;
export type ContentKind = (typeof contentKinds)[number];

/** French words of the mapping step: « contenu : 90 adresses e-mail ». */
export const contentLabels: Record<ContentKind, [string, string]> = {
  email: ['adresse e-mail', 'adresses e-mail'],
  siret: ['SIRET valide', 'SIRET valides'],
  siren: ['SIREN valide', 'SIREN valides'],
  date: ['date', 'dates'],
  phone: ['numéro de téléphone', 'numéros de téléphone'],
  postcode: ['code postal', 'codes postaux'],
  formation: ['choix de formation (AN/AC)', 'choix de formation (AN/AC)'],
  statut: ['statut (salarié, bénévole…)', 'statuts (salarié, bénévole…)'],
  ouinon: ['oui/non', 'oui/non'],
  nom_complet: ['« NOM Prénom »', '« NOM Prénom »'],
};

const EMAIL = /^(?:mailto:)?[^\s@]+@[^\s@]+\.[^\s@]+$/i;
const PHONE = /^(?:(?:\+|00)(?:33|262|590|594|596|269|687|689)(?:\(0\))?|0)[1-9]\d{8}$/;
const DATE_TEXT = /^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:[T ].*)?|\d{1,2}[/.-]\d{1,2}[/.-](?:\d{2}|\d{4})(?:[ T]\d{1,2}[:h]\d{2}(?::\d{2})?)?)$/;
const FORMATION = /^(?:an|ac|an ?(?:\+|et|\/|&|,) ?ac|ac ?(?:\+|et|\/|&|,) ?an|les deux|deux|(?:formation )?aidants? (?:connect|numeriques?)(?: .*)?|.*aidants? connect.*|.*aidants? numeriques?.*)$/;
const STATUT = /^(?:salari|agent|benevol|service civique|volontaire|titulaire|contractuel|fonctionnaire|stagiaire|vacataire|cdi|cdd|employe|alternan|apprenti)/;

/** The kinds one cell can be (a 9-digit number is a SIREN and maybe a phone without its 0). */
export function kindsOf(c: Cell): ContentKind[] {
  if (c === null || c === undefined) return [];
  if (c instanceof Date) return ['date'];
  if (typeof c === 'boolean') return ['ouinon'];
  const out: ContentKind[] = [];
  const t = cellText(c);
  if (t === '') return out;
  if (typeof c === 'string') {
    if (EMAIL.test(t)) return ['email'];
    if (DATE_TEXT.test(t)) out.push('date');
    if (PHONE.test(t.replace(/[\s.\-/]+/g, ''))) out.push('phone');
    const f = fold(t).replace(/[^a-z0-9+&/,' ]+/g, ' ').replace(/\s+/g, ' ').trim();
    if (FORMATION.test(f)) out.push('formation');
    if (STATUT.test(f)) out.push('statut');
    if (looksLikeFullName(t)) out.push('nom_complet');
  }
  if (typeof c === 'number' || /^[\d\s.,e+]+$/i.test(t)) {
    const s = parseSiretCell(c);
    if (s.kind === 'siret') out.push('siret');
    else if (s.kind === 'siren') out.push('siren');
    const digits = t.replace(/\s/g, '').replace(/\.0+$/, '');
    if (/^\d{4,5}$/.test(digits) && Number(digits) >= 1000 && !/^00/.test(digits.padStart(5, '0')) && !digits.padStart(5, '0').startsWith('96')) out.push('postcode');
  }
  // Excel keeps dates as serial numbers (days since 1899): 2000 to 2050.
  if (typeof c === 'number' && c >= 36526 && c < 55153) out.push('date');
  if (toBool(c) !== null && !(typeof c === 'number')) out.push('ouinon');
  return out;
}

export interface ColumnContent {
  /** Non-empty cells looked at. */
  filled: number;
  /** Distinct values among them (a structure's e-mail repeats, a person's does not). */
  distinct: number;
  counts: Partial<Record<ContentKind, number>>;
  /** The kind most cells share (80 % at least), or null. */
  kind: ContentKind | null;
}

/** How many cells of each kind in the sample; the column's kind when 80 % of them agree. */
export function describeColumn(cells: Cell[]): ColumnContent {
  const counts: Partial<Record<ContentKind, number>> = {};
  const seen = new Set<string>();
  let filled = 0;
  for (const c of cells) {
    const t = cellText(c);
    if (t === '') continue;
    filled++;
    seen.add(t.toLowerCase());
    for (const k of kindsOf(c)) counts[k] = (counts[k] ?? 0) + 1;
  }
  let kind: ContentKind | null = null;
  if (filled > 0) {
    for (const k of contentKinds) {
      if ((counts[k] ?? 0) >= Math.max(1, filled * 0.8)) {
        kind = k;
        break;
      }
    }
  }
  return { filled, distinct: seen.size, counts, kind };
}

/** « 90 adresses e-mail » */
export function contentPhrase(kind: ContentKind, n: number): string {
  return `${n} ${contentLabels[kind][n > 1 ? 1 : 0]}`;
}
