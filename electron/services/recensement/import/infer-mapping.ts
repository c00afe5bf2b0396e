// Column → field, from the header and the content together, each decision with its reason
// (« en-tête « Mail pro » (mail) ; contenu : 90 adresses e-mail »). The header's words propose
// (header-words.ts), a sample of the cells confirms, overrules or decides alone
// (column-content.ts), then each field goes to its best column. Pure: usable from the wizard's
// preview and from a CLI (`map`: « En-tête=champ » choices given on the command line).
import type { Cell } from '../../common/tabular/read';
import { normaliseHeader } from '../../common/tabular/header';
import { recensementDictionary, fieldLabels, type ImportField } from '../fields';
import { contentPhrase, describeColumn, type ColumnContent, type ContentKind } from './column-content';
import { HEADER_THRESHOLD, headerWords, scoreHeader } from './header-words';

export interface ColumnDecision {
  field: ImportField | null;
  /** Why (French), shown in the mapping step; null for a column left aside with nothing to say. */
  reason: string | null;
}

export interface InferOptions {
  /** Header (as written, or normalised) → field or null (ignored): the officer's or the CLI's choices. */
  map?: Record<string, ImportField | null>;
}

const YES_NO_FIELDS: ImportField[] = ['conseiller_numerique', 'uniformation', 'deja_sensibilise', 'aidant_actif', 'referent', 'france_services'];
/** The content each field expects (absent: any text). */
const expects: Partial<Record<ImportField, ContentKind[]>> = {
  email: ['email'],
  structure_email: ['email'],
  siret: ['siret', 'siren'],
  telephone: ['phone'],
  code_postal: ['postcode'],
  date_demande: ['date'],
  date_formation: ['date'],
  formation_souhaitee: ['formation'],
  nom_complet: ['nom_complet'],
  ...Object.fromEntries(YES_NO_FIELDS.map((f) => [f, ['ouinon'] as ContentKind[]])),
};
/** Content that says what a column is whatever its header. */
const STRONG: ContentKind[] = ['email', 'siret', 'siren', 'date', 'phone', 'postcode', 'nom_complet'];
/** Content that rules out a header naming a field of free text (an identifier of 5 digits may look like a postcode or an Excel date: not these). */
const AGAINST_ANY: ContentKind[] = ['email', 'siret', 'siren', 'phone', 'nom_complet'];
/** The field a column's content alone proposes. */
const fieldOfContent: Partial<Record<ContentKind, ImportField>> = {
  email: 'email',
  siret: 'siret',
  siren: 'siret',
  phone: 'telephone',
  postcode: 'code_postal',
  date: 'date_demande',
  formation: 'formation_souhaitee',
  statut: 'statut',
  nom_complet: 'nom_complet',
};

interface Candidate {
  column: number;
  field: ImportField;
  score: number;
  reason: string;
}

function shareOf(content: ColumnContent, kinds: ContentKind[]): number {
  if (content.filled === 0) return 0;
  let best = 0;
  for (const k of kinds) best = Math.max(best, content.counts[k] ?? 0);
  return best / content.filled;
}

function bestExpected(content: ColumnContent, kinds: ContentKind[]): ContentKind {
  return kinds.reduce((a, b) => ((content.counts[b] ?? 0) > (content.counts[a] ?? 0) ? b : a));
}

/** The candidates of one column: its header's fields weighed by its content, and its content's own field. */
function candidatesOf(column: number, header: string, content: ColumnContent): Candidate[] {
  const out: Candidate[] = [];
  const exact = recensementDictionary.lookup(normaliseHeader(header));
  const scored = scoreHeader(header);
  if (exact && !scored.some((s) => s.field === exact)) scored.unshift({ field: exact, score: 0, words: [] });
  for (const s of scored) {
    let score = s.score + (s.field === exact ? 10 : 0);
    const why = [s.field === exact ? `en-tête connu « ${header} »` : `en-tête « ${header} » (${s.words.join(', ')})`];
    const kinds = expects[s.field];
    if (content.filled >= 3) {
      if (kinds) {
        const share = shareOf(content, kinds);
        if (share >= 0.5) {
          score += 1;
          why.push(`contenu : ${contentPhrase(bestExpected(content, kinds), content.counts[bestExpected(content, kinds)] ?? 0)}`);
        } else if (content.kind && STRONG.includes(content.kind)) score -= 20;
        else if (share < 0.2 && kinds.every((k) => STRONG.includes(k))) score -= 20;
        else if (share < 0.2 && s.field !== exact) score -= 1.5;
      } else if (content.kind && AGAINST_ANY.includes(content.kind) && !(s.field === 'structure_nom' && content.kind === 'nom_complet')) score -= 20;
      // The same address on many rows is a structure's contact, not a person's.
      if (s.field === 'email' && content.kind === 'email' && content.distinct < content.filled * 0.7) score -= 1.5;
    }
    if (score >= HEADER_THRESHOLD) out.push({ column, field: s.field, score, reason: why.join(' ; ') });
  }
  const k = content.kind;
  const f = k ? fieldOfContent[k] : undefined;
  // Weak content (AN/AC answers, statuses) decides only for a header that says nothing: « Agent
  // d’accueil » under « Fonction » is a profession.
  const headerSpoke = out.length > 0;
  if (k && f && content.filled >= 2 && (STRONG.includes(k) || !headerSpoke)) {
    const vague = headerWords(header).length === 0 || /^colonne \d+$/i.test(header);
    const why = `contenu : ${contentPhrase(k, content.counts[k] ?? 0)}${vague ? '' : ` (en-tête « ${header} » non parlant)`}`;
    const repeated = content.distinct < content.filled * 0.7;
    if (f === 'email') {
      // A person's address is theirs alone; one repeated on many rows is the structure's contact.
      out.push({ column, field: 'email', score: repeated ? 1.5 : 2.5, reason: why });
      out.push({ column, field: 'structure_email', score: repeated ? 2.5 : 1, reason: why });
    } else out.push({ column, field: f, score: STRONG.includes(k) ? 2.5 : 2.2, reason: why });
  }
  return out;
}

/** Proposes a field for each column. `columns[i]` is a sample of column i's cells (rows under the header). */
export function inferMapping(headers: string[], columns: Cell[][], opts: InferOptions = {}): ColumnDecision[] {
  const decisions: ColumnDecision[] = headers.map(() => ({ field: null, reason: null }));
  const used = new Set<ImportField>();
  const given = new Set<number>();
  if (opts.map) {
    const byKey = new Map(Object.entries(opts.map).map(([h, f]) => [normaliseHeader(h), f]));
    headers.forEach((h, i) => {
      const key = normaliseHeader(h);
      if (!byKey.has(key)) return;
      const f = byKey.get(key) ?? null;
      given.add(i);
      decisions[i] = { field: f, reason: f ? `indiqué : « ${h} » = ${fieldLabels[f].toLowerCase()}` : `indiqué : « ${h} » ignorée` };
      if (f) used.add(f);
    });
  }
  const contents = headers.map((_, i) => describeColumn(columns[i] ?? []));
  const all: Candidate[] = [];
  headers.forEach((h, i) => {
    if (!given.has(i)) all.push(...candidatesOf(i, h, contents[i]));
  });
  all.sort((a, b) => b.score - a.score || a.column - b.column);
  for (const c of all) {
    if (used.has(c.field) || decisions[c.column].field !== null || given.has(c.column)) continue;
    decisions[c.column] = { field: c.field, reason: c.reason };
    used.add(c.field);
  }
  fixNames(decisions, used);
  fixEmail(decisions, used, contents);
  return decisions;
}

/** Separate name columns win over a combined one. */
function fixNames(decisions: ColumnDecision[], used: Set<ImportField>): void {
  if (!used.has('nom_complet') || !(used.has('nom') && used.has('prenom'))) return;
  const d = decisions.find((x) => x.field === 'nom_complet')!;
  d.reason = `ignorée : les colonnes Nom et Prénom sont séparées (${d.reason})`;
  d.field = null;
  used.delete('nom_complet');
}

/** The only column of distinct addresses is the people's, even under « mail de contact ». */
function fixEmail(decisions: ColumnDecision[], used: Set<ImportField>, contents: ColumnContent[]): void {
  if (used.has('email') || !used.has('structure_email')) return;
  const i = decisions.findIndex((x) => x.field === 'structure_email');
  const c = contents[i];
  if (c.filled > 0 && c.distinct < c.filled * 0.7) return;
  decisions[i] = { field: 'email', reason: `${decisions[i].reason} ; seule colonne d’adresses distinctes : celles des professionnels` };
  used.delete('structure_email');
  used.add('email');
}
