// The generated documents of the dossier: the art. 5.2 table, the état récapitulatif des
// dépenses (xlsx and PDF) and the bilan (PDF with charts). Pure functions of the gathered facts
// and of the budget figures of marche/budget.ts (the one budget computation), so the same
// database gives the same bytes: fixed document dates (the dossier's date), stable order.
import * as XLSX from 'xlsx';
import { frDate } from '../common/dates';
import { neutraliseCell } from '../common/spreadsheet-safety';
import type { BudgetFigures } from '../marche/budget';
import { trainingKindLabels, type TrainingKind } from '../marche/rules';
import type { Checklist } from './checklist';
import { notCountedCodes, notCountedShortLabels, type NotCountedCode, type TrainingContent } from '../sessions/rules';
import type { DepartureFact, DossierFacts, OrganismeFact } from './facts';
import { COLORS, euros, PdfWriter } from '../common/pdf/writer';

// ---------------------------------------------------------------------------------------------
// Art. 5.2: one row per departure
// ---------------------------------------------------------------------------------------------

/** The columns of the art. 5.2 table: the convention's fields, then kind, dates, attendance. */
export const ART_5_2_COLUMNS = [
  'N°',
  'Nom',
  'Prénom',
  'SIRET de l’employeur',
  'Nom de l’employeur',
  'Organisme de formation',
  'Intitulé de la formation',
  'Certification Qualiopi de l’organisme',
  'Module(s) suivi(s)',
  'Type de formation',
  'Date de début',
  'Date de fin',
  'Présence',
] as const;

export const MODULES: Record<TrainingKind, string> = {
  AN: 'Aidant Numérique',
  AN_AC: 'Aidant Numérique ; brique Aidants Connect',
  AC: 'Aidants Connect',
};

export function qualiopiText(of: OrganismeFact | undefined): string {
  if (!of) return '';
  if (of.isInternal) return 'Sans objet : formateurs internes du Conseil départemental (pas d’achat)';
  if (!of.qualiopiActionsFormation) return 'Aucune certification enregistrée';
  const parts = [of.qualiopiIssuer ?? 'Organisme certificateur non renseigné'];
  if (of.qualiopiNumber) parts.push(`certificat n° ${of.qualiopiNumber}`);
  if (of.qualiopiValidFrom || of.qualiopiValidUntil) {
    parts.push(`valide${of.qualiopiValidFrom ? ` du ${frDate(of.qualiopiValidFrom)}` : ''}${of.qualiopiValidUntil ? ` au ${frDate(of.qualiopiValidUntil)}` : ''}`);
  }
  return parts.join(' — ');
}

/** One departure of the table: a registration and the part (AN or AC) it proves; a combined training completed on both parts is two. */
export type DepartureLine = DepartureFact & { content: TrainingContent };

function linesOf(d: DepartureFact): DepartureLine[] {
  return d.completed.map((content) => ({ ...d, content }));
}

const byNameThenDate = (a: DepartureLine, b: DepartureLine) =>
  a.nom.localeCompare(b.nom, 'fr') ||
  a.prenom.localeCompare(b.prenom, 'fr') ||
  (a.firstDate ?? '').localeCompare(b.firstDate ?? '') ||
  a.registrationId - b.registrationId ||
  (a.content === b.content ? 0 : a.content === 'AN' ? -1 : 1);

/**
 * The departures of the table — one line per departure COUNTED toward the target (the one rule,
 * sessions/rules.ts), in a stable order: by name, then session date, then part.
 */
export function departureRows(f: DossierFacts): DepartureLine[] {
  return f.departures
    .filter((d) => d.attended && d.notCounted.length === 0)
    .flatMap(linesOf)
    .sort(byNameThenDate);
}

/** The departures done that do NOT count (ineligible person trained with a reason, training outside the window): the table's second sheet. */
export function notCountedRows(f: DossierFacts): DepartureLine[] {
  return f.departures
    .filter((d) => d.attended && d.notCounted.length > 0)
    .flatMap(linesOf)
    .sort(byNameThenDate);
}

/** The module(s) a departure line proves. */
export function moduleOf(d: DepartureLine): string {
  if (d.kind !== 'AN_AC') return MODULES[d.kind];
  return d.content === 'AN' ? 'Aidant Numérique (partie de la formation combinée avec la brique Aidants Connect)' : 'Brique Aidants Connect (partie de la formation combinée)';
}

function lineCells(f: DossierFacts, d: DepartureLine): (string | number)[] {
  const of = d.organismeId === null ? undefined : f.organismes.get(d.organismeId);
  const modules = moduleOf(d) + (d.pixDate && d.content === 'AC' ? ` ; test Pix le ${frDate(d.pixDate)}` : '');
  return [
    d.nom,
    d.prenom,
    d.structureSiret ?? '',
    d.structureName ?? '',
    d.organismeName ?? '',
    d.trainingTitle,
    qualiopiText(of),
    modules,
    trainingKindLabels[d.kind],
    d.firstDate ? frDate(d.firstDate) : '',
    d.lastDate ? frDate(d.lastDate) : '',
    d.attendance === 'partial_accepted' ? `Oui — présence partielle acceptée (${d.present}/${d.halfDays} demi-journées) : ${d.partialReason ?? ''}` : `Oui — ${d.present}/${d.halfDays} demi-journées`,
  ];
}

export function art52Rows(f: DossierFacts): (string | number)[][] {
  return departureRows(f).map((d, i) => [i + 1, ...lineCells(f, d)]);
}

/** Columns of the second sheet: the departures done that do not count, each with why. */
export const NOT_COUNTED_COLUMNS = ['N°', ...ART_5_2_COLUMNS.slice(1), 'Ne compte pas dans l’objectif : motif', 'Motif de l’inscription (agent)'] as const;

export function art52NotCountedRows(f: DossierFacts): (string | number)[][] {
  return notCountedRows(f).map((d, i) => [i + 1, ...lineCells(f, d), d.notCounted.map((c) => notCountedCodes[c]).join(' '), d.overrideReason ?? '']);
}

function safeRow(row: (string | number | null)[]): (string | number | null)[] {
  return row.map((v) => neutraliseCell(v));
}

function workbookBytes(sheets: { name: string; rows: (string | number | null)[][]; widths: number[]; moneyCols?: number[] }[], title: string, date: Date): Uint8Array {
  const wb = XLSX.utils.book_new();
  for (const s of sheets) {
    const ws = XLSX.utils.aoa_to_sheet(s.rows.map(safeRow));
    ws['!cols'] = s.widths.map((wch) => ({ wch }));
    for (const c of s.moneyCols ?? []) {
      for (let r = 1; r < s.rows.length; r++) {
        const cell = ws[XLSX.utils.encode_cell({ r, c })];
        if (cell && cell.t === 'n') cell.z = '#,##0.00 €';
      }
    }
    XLSX.utils.book_append_sheet(wb, ws, s.name);
  }
  // Fixed document properties: SheetJS would otherwise write "now" into docProps/core.xml.
  wb.Props = { Title: title, Author: 'FNE Formations', CreatedDate: date, ModifiedDate: date };
  // Our own (empty) number-format table: SheetJS otherwise copies its process-wide table, which
  // keeps the formats of every workbook written before — the bytes would depend on history.
  (wb as XLSX.WorkBook & { SSF?: Record<number, string> }).SSF = {};
  return XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer;
}

export function art52Xlsx(f: DossierFacts, date: Date): Uint8Array {
  const notCounted = art52NotCountedRows(f);
  return workbookBytes(
    [
      { name: 'Art. 5.2', rows: [[...ART_5_2_COLUMNS], ...art52Rows(f)], widths: [5, 18, 16, 17, 34, 30, 34, 44, 30, 34, 12, 12, 30] },
      // Formés mais non comptés: listed apart, never in the table of departures counted.
      ...(notCounted.length ? [{ name: 'Non comptés', rows: [[...NOT_COUNTED_COLUMNS], ...notCounted], widths: [5, 18, 16, 17, 34, 30, 34, 44, 30, 34, 12, 12, 30, 50, 40] }] : []),
    ],
    `Tableau art. 5.2 — ${f.convention.label}`,
    date,
  );
}

// ---------------------------------------------------------------------------------------------
// État récapitulatif des dépenses
// ---------------------------------------------------------------------------------------------

/** The categories of the état récapitulatif, in its order (internal trainers' pay: décret n° 2010-235). */
export const EXPENSE_CATEGORIES = ['Achats de formation', 'Frais de gestion', 'Ingénierie (reliquat)', 'Rémunération des formateurs internes (décret n° 2010-235)'] as const;
export type ExpenseCategory = (typeof EXPENSE_CATEGORIES)[number];

export interface ExpenseLine {
  category: ExpenseCategory;
  reference: string;
  label: string;
  date: string;
  amountCents: number;
  invoicedCents: number | null;
  paidCents: number | null;
  /** Paths, in the dossier, of the pièces proving the line. */
  pieces: string[];
}

export function expenseSummaryRows(b: BudgetFigures): [string, number][] {
  return [
    ['Montant de la convention', b.amountCents],
    ['Montant reçu de l’ANCT', b.receivedCents],
    ['Achats de formation engagés (bons de commande TTC)', b.committedCents],
    ['   dont facturé', b.invoicedCents],
    ['   dont payé', b.paidCents],
    ['Frais de gestion', b.fraisGestionSpentCents],
    ['Ingénierie financée par le reliquat', b.engineeringSpentCents],
    ['Rémunération des formateurs internes (décret n° 2010-235)', b.internalTrainersSpentCents],
    ['Total des dépenses engagées', b.totalCommittedCents],
    ['Reste (montant reçu moins dépenses engagées)', b.remainingCents],
  ];
}

export function expensesXlsx(f: DossierFacts, b: BudgetFigures, lines: ExpenseLine[], date: Date): Uint8Array {
  const cents = (c: number | null) => (c === null ? null : c / 100);
  return workbookBytes(
    [
      {
        name: 'Synthèse',
        rows: [['Poste', 'Montant (€)'], ...expenseSummaryRows(b).map(([l, c]) => [l, cents(c)])],
        widths: [52, 16],
        moneyCols: [1],
      },
      {
        name: 'Détail',
        rows: [
          ['Catégorie', 'Référence', 'Objet', 'Date', 'Montant TTC (€)', 'Facturé (€)', 'Payé (€)', 'Pièces justificatives (dans le dossier)'],
          ...lines.map((l) => [l.category, l.reference, l.label, frDate(l.date), cents(l.amountCents), cents(l.invoicedCents), cents(l.paidCents), l.pieces.join(' | ')]),
        ],
        widths: [22, 18, 48, 12, 16, 14, 14, 90],
        moneyCols: [4, 5, 6],
      },
    ],
    `État récapitulatif des dépenses — ${f.convention.label}`,
    date,
  );
}

export async function expensesPdf(f: DossierFacts, b: BudgetFigures, lines: ExpenseLine[], date: Date, asOf: string): Promise<Uint8Array> {
  const c = f.convention;
  const w = await PdfWriter.create({ title: 'État récapitulatif des dépenses', subject: c.label, date, footer: `${c.label} — état récapitulatif des dépenses au ${frDate(asOf)}` });
  w.text(c.beneficiaireNom, { bold: true, size: 11 });
  if (c.beneficiaireSiret) w.text(`SIRET ${c.beneficiaireSiret}`, { size: 9 });
  w.y -= 10;
  w.text('ÉTAT RÉCAPITULATIF DES DÉPENSES', { bold: true, size: 16 });
  w.text(`${c.label}${c.anctReference ? ` — réf. ANCT ${c.anctReference}` : ''} — programme France Numérique Ensemble`, { size: 9 });
  w.text(`Situation arrêtée au ${frDate(asOf)}.`, { size: 9, gap: 6 });
  w.rule();
  w.heading('Synthèse');
  for (const [label, cents] of expenseSummaryRows(b)) {
    const strong = label.startsWith('Total') || label.startsWith('Reste');
    w.row([label, euros(cents)], [360, 139], { bold: strong, align: ['left', 'right'], size: 9.5 });
  }
  if (b.overspentCents > 0) w.text(`Dépassement du montant reçu : ${euros(b.overspentCents)}.`, { bold: true, color: COLORS.target });
  for (const cat of EXPENSE_CATEGORIES) {
    const list = lines.filter((l) => l.category === cat);
    w.heading(`${cat} (${list.length})`);
    if (list.length === 0) {
      w.text('Aucune dépense.', { size: 9 });
      continue;
    }
    const widths = [70, 150, 55, 70, 70, 84];
    const align: ('left' | 'right')[] = ['left', 'left', 'left', 'right', 'right', 'left'];
    w.table(
      ['Référence', 'Objet', 'Date', 'Montant TTC', cat === 'Achats de formation' ? 'Payé' : '', 'Pièces'],
      list.map((l) => [l.reference, l.label, frDate(l.date), euros(l.amountCents), l.paidCents === null ? '' : euros(l.paidCents), `${l.pieces.length} pièce${l.pieces.length > 1 ? 's' : ''}`]),
      widths,
      { align },
    );
    const total = list.reduce((s, l) => s + l.amountCents, 0);
    w.row(['Total', '', '', euros(total), '', ''], widths, { bold: true, align });
  }
  w.y -= 6;
  w.text('Le détail des pièces justificatives de chaque ligne figure dans etat-recapitulatif-des-depenses.xlsx (feuille « Détail ») et dans manifeste.csv.', { size: 8.5 });
  w.signature('L’ordonnateur du bénéficiaire');
  return w.save();
}

// ---------------------------------------------------------------------------------------------
// Bilan
// ---------------------------------------------------------------------------------------------

export interface BilanFigures {
  done: number;
  planned: number;
  target: number;
  byKind: { kind: TrainingKind; label: string; count: number }[];
  /** Departures done that do not count toward the target, by reason (sessions/rules.ts notCountedCodes). */
  notCounted: { code: NotCountedCode; label: string; count: number }[];
  byStructureType: { label: string; count: number }[];
  byMonth: { month: string; label: string; count: number }[];
  people: number;
}

const MONTHS = ['janv.', 'févr.', 'mars', 'avr.', 'mai', 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.'];

export function bilanFigures(f: DossierFacts, counts: { done: number; planned: number; notCounted?: Partial<Record<NotCountedCode, number>> }): BilanFigures {
  const rows = departureRows(f);
  // Departures (lines), by training kind: a combined training completed on both parts is two.
  const byKind = (['AN', 'AN_AC', 'AC'] as TrainingKind[]).map((k) => ({ kind: k, label: trainingKindLabels[k], count: rows.filter((d) => d.kind === k).length }));
  const types = new Map<string, number>();
  for (const d of rows) {
    const t = d.structureType?.trim() || 'Type de structure non renseigné';
    types.set(t, (types.get(t) ?? 0) + 1);
  }
  const byStructureType = [...types].map(([label, count]) => ({ label, count })).sort((a, b) => b.count - a.count || a.label.localeCompare(b.label, 'fr'));
  const months = new Map<string, number>();
  for (const d of rows) {
    const m = (d.firstDate ?? '').slice(0, 7) || 'sans date';
    months.set(m, (months.get(m) ?? 0) + 1);
  }
  const byMonth = [...months]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([month, count]) => ({ month, count, label: /^\d{4}-\d{2}$/.test(month) ? `${MONTHS[Number(month.slice(5)) - 1]} ${month.slice(2, 4)}` : month }));
  const notCounted = (Object.entries(counts.notCounted ?? {}) as [NotCountedCode, number][]).map(([code, count]) => ({ code, label: notCountedShortLabels[code], count }));
  return { done: counts.done, planned: counts.planned, target: f.convention.departureTarget, byKind, notCounted, byStructureType, byMonth, people: new Set(rows.map((d) => d.personId)).size };
}

export async function bilanPdf(f: DossierFacts, b: BudgetFigures, fig: BilanFigures, checklist: Checklist, date: Date, asOf: string): Promise<Uint8Array> {
  const c = f.convention;
  const w = await PdfWriter.create({ title: 'Bilan de la convention', subject: c.label, date, footer: `${c.label} — bilan au ${frDate(asOf)}` });
  w.text(c.beneficiaireNom, { bold: true, size: 11 });
  w.y -= 8;
  w.text('BILAN DE LA CONVENTION', { bold: true, size: 17 });
  w.text(`${c.label}${c.anctReference ? ` — réf. ANCT ${c.anctReference}` : ''} — France Numérique Ensemble, dotation formation`, { size: 9 });
  w.text(`Convention signée le ${c.signatureDate ? frDate(c.signatureDate) : '…'}, échéance le ${frDate(c.endDate)}. Situation arrêtée au ${frDate(asOf)}.`, { size: 9, gap: 4 });
  w.rule();

  const reached = fig.done >= fig.target;
  w.heading('Départs en formation');
  w.text(
    `${fig.done} départ${fig.done > 1 ? 's' : ''} en formation réalisé${fig.done > 1 ? 's' : ''} (${fig.people} professionnel${fig.people > 1 ? 's' : ''}) pour un objectif de ${fig.target} : ${reached ? 'objectif atteint' : `il en manque ${fig.target - fig.done}`}.` +
      (fig.planned > fig.done ? ` ${fig.planned - fig.done} départ${fig.planned - fig.done > 1 ? 's' : ''} prévu${fig.planned - fig.done > 1 ? 's' : ''} non réalisé${fig.planned - fig.done > 1 ? 's' : ''}.` : '') +
      ' Une personne qui suit les deux formations (Aidant Numérique et Aidants Connect, y compris les deux parties d’une formation combinée) compte deux départs.',
    { size: 10, gap: 4 },
  );
  if (fig.notCounted.length) {
    const n = fig.notCounted.reduce((x, y) => x + y.count, 0);
    w.text(`Non comptés dans l’objectif : ${n} départ${n > 1 ? 's' : ''} réalisé${n > 1 ? 's' : ''} (${fig.notCounted.map((x) => `${x.label} : ${x.count}`).join(' ; ')}), listés à part dans le tableau de l’art. 5.2.`, { size: 9, gap: 4 });
  }
  w.hbars([{ label: 'Départs réalisés', value: fig.done, color: reached ? COLORS.ok : COLORS.bar }], { target: { value: fig.target, label: `objectif ${fig.target}` } });
  // Each chart's title is kept on the page of its chart.
  w.ensure(20 + w.hbarsHeight(fig.byKind.length));
  w.text('Par type de formation', { bold: true, size: 10, gap: 2 });
  const shortKind: Record<TrainingKind, string> = { AN: 'Aidant Numérique', AN_AC: 'AN + brique Aidants Connect', AC: 'Aidants Connect' };
  w.hbars(fig.byKind.map((k) => ({ label: shortKind[k.kind], value: k.count })));
  w.ensure(20 + w.hbarsHeight(Math.max(1, fig.byStructureType.length)));
  w.text('Par type de structure employeuse', { bold: true, size: 10, gap: 2 });
  if (fig.byStructureType.length === 0) w.text('Aucun départ.', { size: 9 });
  else w.hbars(fig.byStructureType.map((t) => ({ label: t.label, value: t.count })));
  w.ensure(20 + w.vbarsHeight());
  w.text('Par mois (début de la session)', { bold: true, size: 10, gap: 2 });
  if (fig.byMonth.length === 0) w.text('Aucun départ.', { size: 9 });
  else w.vbars(fig.byMonth.map((m) => ({ label: m.label, value: m.count })));

  w.heading('Budget', { keepWith: w.hbarsHeight(6) });
  w.hbars(
    [
      { label: 'Montant reçu', value: b.receivedCents, display: euros(b.receivedCents), color: COLORS.bar2 },
      { label: 'Achats de formation (engagés TTC)', value: b.committedCents, display: euros(b.committedCents) },
      { label: '   dont payés', value: b.paidCents, display: euros(b.paidCents) },
      { label: 'Frais de gestion', value: b.fraisGestionSpentCents, display: euros(b.fraisGestionSpentCents) },
      { label: 'Ingénierie (reliquat)', value: b.engineeringSpentCents, display: euros(b.engineeringSpentCents) },
      ...(b.internalTrainersSpentCents > 0 ? [{ label: 'Formateurs internes (décret 2010-235)', value: b.internalTrainersSpentCents, display: euros(b.internalTrainersSpentCents) }] : []),
      { label: b.remainingCents >= 0 ? 'Reste' : 'Dépassement', value: Math.abs(b.remainingCents), display: euros(b.remainingCents), color: b.remainingCents >= 0 ? COLORS.ok : COLORS.target },
    ],
    { max: Math.max(b.amountCents, b.receivedCents, b.totalCommittedCents) },
  );
  const eng = f.expenses.filter((e) => e.kind === 'ingenierie');
  if (eng.length > 0) {
    w.text('Actions d’ingénierie financées par le reliquat', { bold: true, size: 10, gap: 2 });
    for (const e of eng) w.text(`• ${e.engineeringActionLabel ?? e.label} — ${e.label} (${frDate(e.expenseDate)}) : ${euros(e.amountCents)}`, { size: 9 });
  }

  // The completeness block and the signature stay together: never a lone line over the page break.
  const missingGroups = checklist.ready ? 0 : checklist.groups.filter((x) => x.missing > 0).length;
  w.ensure(40 + 16 * (missingGroups + 1) + 110);
  w.heading('Complétude du dossier');
  if (checklist.ready) w.text('Toutes les pièces attendues sont réunies (aucun élément manquant).', { size: 10, color: COLORS.ok });
  else {
    w.text(`${checklist.missingCount} élément${checklist.missingCount > 1 ? 's' : ''} manquant${checklist.missingCount > 1 ? 's' : ''} (liste complète dans elements-manquants.txt) :`, { size: 10 });
    for (const g of checklist.groups.filter((x) => x.missing > 0)) w.text(`• ${g.label} : ${g.missing}`, { size: 9, x: w.margin + 8 });
  }
  w.signature('Le représentant du bénéficiaire');
  return w.save();
}
