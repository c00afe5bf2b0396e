// The end-of-convention dossier: a folder and a ZIP named with the département and the date of
// the situation, in two parts, each with its own manifest:
// - what is sent to ANCT (seed 000, « Transmet les pièces justificatives à l'ANCT » — the
//   professional, the employer's SIRET and name, the training, the organisme and its Qualiopi
//   certification — and the convention's art. 5.2 and 4: état des dépenses réalisées, bilan):
//   the art. 5.2 table, the état récapitulatif des dépenses (xlsx + PDF), the bilan (PDF) and
//   each organisme's Qualiopi certificate;
// - what the département keeps (seed 000, « Conserve les attestations de fin de formation pour
//   chaque professionnel formé »; ANCT may ask for any proof of spending, art. 4): the
//   attestations de fin de formation, the signed émargement sheets and every other pièce — the
//   convention's, quotes, choice notes, orders, invoices, payments, expenses, ANCT referencing —
//   in numbered folders, each file named after what it proves;
// and at the root LISEZMOI.txt (which part is which), the list of what is still missing and
// the manifest of every file.
//
// Reproducible: the dossier's date is the latest date found in the data (never "now"); it is
// the documents' date and every ZIP entry's timestamp; entries are sorted. The same database
// gives a byte-identical ZIP. Streamed and atomic: see archive.ts (pièces are streamed from the
// store; a failed or cancelled run leaves no ZIP). Nothing in the database changes.
import path from 'node:path';
import { frDate } from '../common/dates';
import type { ServiceContext } from '../context';
import { budgetFigures } from '../marche/budget';
import { blobPath } from '../pieces/store';
import { countDepartures } from '../sessions/departures';
import { MANIFEST, writeDossier, type DossierEntry, type DossierPart, type DossierResult } from './archive';
import { buildChecklist, checklistGroupLabels, departureLabel, type Checklist } from './checklist';
import { DossierNames } from './dossier-names';
import { art52Xlsx, bilanFigures, bilanPdf, departureRows, expensesPdf, expensesXlsx, type ExpenseLine } from './documents';
import { gatherFacts, piecesOf, type DepartureFact, type DossierFacts, type PieceFact } from './facts';

/** The two parts of the dossier (top folders). */
export const PARTS = {
  anct: '1-a-transmettre-a-l-anct',
  departement: '2-conserve-par-le-departement',
} as const;
export type PartKey = keyof typeof PARTS;

export const PART_LABELS: Record<PartKey, string> = {
  anct: 'À transmettre à l’ANCT',
  departement: 'Conservé par le Conseil départemental',
};

export const DOSSIER_FILES = {
  art52: `${PARTS.anct}/tableau-art-5-2.xlsx`,
  expensesXlsx: `${PARTS.anct}/etat-recapitulatif-des-depenses.xlsx`,
  expensesPdf: `${PARTS.anct}/etat-recapitulatif-des-depenses.pdf`,
  bilan: `${PARTS.anct}/bilan.pdf`,
  readme: 'LISEZMOI.txt',
  missing: 'elements-manquants.txt',
} as const;

export const FOLDERS = {
  certifications: `${PARTS.anct}/organismes-de-formation`,
  convention: `${PARTS.departement}/01-convention`,
  organismes: `${PARTS.departement}/02-organismes-de-formation`,
  achats: `${PARTS.departement}/03-achats-de-formation`,
  fraisGestion: `${PARTS.departement}/04-frais-de-gestion`,
  ingenierie: `${PARTS.departement}/05-ingenierie`,
  sessions: `${PARTS.departement}/06-feuilles-d-emargement`,
  attestations: `${PARTS.departement}/07-attestations-de-fin-de-formation`,
  formateursInternes: `${PARTS.departement}/08-remuneration-des-formateurs-internes`,
} as const;

/** The parts as the writer takes them: each gets its own manifest. */
export const DOSSIER_PARTS: DossierPart[] = [
  { folder: PARTS.anct, proves: `Manifeste de la partie « ${PART_LABELS.anct} »` },
  { folder: PARTS.departement, proves: `Manifeste de la partie « ${PART_LABELS.departement} »` },
];

/** The date of the situation: the latest date in the data (never "now"). */
export function dossierDate(f: DossierFacts): string {
  const dates: string[] = [];
  const c = f.convention;
  for (const d of [c.designationDate, c.signatureDate, c.fundsReceivedDate]) if (d) dates.push(d);
  for (const m of f.marches) {
    for (const q of m.quotes) dates.push(q.quoteDate);
    if (m.choiceDate) dates.push(m.choiceDate);
    if (m.order) {
      dates.push(m.order.orderDate);
      for (const i of m.order.invoices) {
        dates.push(i.invoiceDate);
        for (const p of i.payments) dates.push(p.paymentDate);
      }
    }
  }
  for (const e of f.expenses) dates.push(e.expenseDate);
  for (const d of f.departures) if (d.lastDate && d.attendance !== 'future') dates.push(d.lastDate);
  const max = dates.filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d)).sort().pop();
  return max ?? c.signatureDate ?? c.endDate;
}

export interface DossierPlan {
  baseName: string;
  date: string;
  mtime: Date;
  entries: DossierEntry[];
  checklist: Checklist;
  departures: number;
}

/** What the functions placing the pièces share: the facts, the names handed out, the entries. */
interface PiecePlacer {
  f: DossierFacts;
  /** The rows of the art. 5.2 table (one per departure), to trace each pièce to the rows it proves. */
  rows: DepartureFact[];
  /** The lines of each registration in that table: one, or two for a combined training completed on both parts. */
  linesOf: Map<number, number[]>;
  names: DossierNames;
  /** Adds a pièce from the store under a name saying what it proves; returns its path. */
  add(folder: string, stem: string, p: PieceFact, proves: string): string;
}

const rowsText = (nums: number[]) => (nums.length === 0 ? '' : ` — tableau art. 5.2, ligne${nums.length > 1 ? 's' : ''} ${nums.join(', ')}`);

/** 01 — the convention's own pièces (kept). */
function placeConventionPieces({ f, add }: PiecePlacer): void {
  const c = f.convention;
  const convRoles: [string, string, string][] = [
    ['convention_signee', 'convention-signee', 'convention signée'],
    ['avis_sirene', 'avis-de-situation-sirene', 'avis de situation SIRENE'],
    ['rib', 'rib', 'RIB'],
    ['arrete_designation', 'designation-par-la-prefecture', 'désignation par la préfecture'],
    ['avis_versement', 'avis-de-versement-des-fonds', 'avis de versement des fonds'],
    ['autre', 'autre-document', 'autre document'],
  ];
  for (const [role, stem, what] of convRoles) {
    for (const p of piecesOf(f, 'convention', c.id, role)) add(FOLDERS.convention, stem, p, `Convention « ${c.label} » : ${what}`);
  }
}

/**
 * Training organisations: the Qualiopi certificates go to ANCT (the art. 5.2 table names each
 * one), traced to the rows of their trainees; the ANCT referencing stays with the département (02).
 */
function placeOrganismePieces({ f, rows, names, add }: PiecePlacer): void {
  for (const of of f.organismes.values()) {
    const ofRows = rows.flatMap((d, i) => (d.organismeId === of.id ? [i + 1] : []));
    for (const p of piecesOf(f, 'organisme', of.id, 'certificat_qualiopi')) {
      add(names.folder(FOLDERS.certifications, of.name, `qualiopi:${of.id}`), 'certificat-qualiopi', p, `Organisme ${of.name} : certification Qualiopi (actions de formation)${rowsText(ofRows)}`);
    }
    for (const p of piecesOf(f, 'organisme', of.id, 'referencement_anct')) {
      add(names.folder(FOLDERS.organismes, of.name, `referencement:${of.id}`), 'referencement-anct', p, `Organisme ${of.name} : référencement auprès de l’ANCT (après le choix de l’organisme)`);
    }
  }
}

/** 03 — training purchases, one folder per order (kept); their lines of the état récapitulatif. */
function placePurchasePieces({ f, names, add }: PiecePlacer): ExpenseLine[] {
  const lines: ExpenseLine[] = [];
  for (const m of f.marches) {
    const o = m.order;
    if (!o) continue;
    const folder = names.folder(FOLDERS.achats, `commande-${o.number}`, `order:${o.id}`);
    const what = `Commande ${o.number} (${o.organismeName})`;
    const proofs: string[] = [];
    for (const q of m.quotes) {
      for (const p of piecesOf(f, 'quote', q.id, 'devis')) proofs.push(add(folder, `devis-${q.organismeName}-${q.quoteDate}${q.chosen ? '-retenu' : ''}`, p, `${what} : devis de ${q.organismeName} du ${frDate(q.quoteDate)}${q.chosen ? ' (offre retenue)' : ''}`));
    }
    const orderRoles = [
      ['note_de_choix', 'note-de-choix-signee', 'note de choix signée'],
      ['bon_de_commande', 'bon-de-commande-signe', 'bon de commande signé'],
      ['autre', 'autre-document', 'autre document'],
    ] as const;
    for (const [role, stem, label] of orderRoles) {
      for (const p of piecesOf(f, 'order', o.id, role)) proofs.push(add(folder, stem, p, `${what} : ${label}`));
    }
    for (const inv of o.invoices) {
      for (const p of piecesOf(f, 'invoice', inv.id, 'facture')) proofs.push(add(folder, `facture-${inv.number}`, p, `${what} : facture ${inv.number} du ${frDate(inv.invoiceDate)}`));
      for (const pay of inv.payments) {
        for (const p of piecesOf(f, 'payment', pay.id, 'preuve_paiement')) proofs.push(add(folder, `preuve-de-paiement-${pay.mandateRef}`, p, `${what} : paiement de la facture ${inv.number} (mandat ${pay.mandateRef} du ${frDate(pay.paymentDate)})`));
      }
    }
    lines.push({ category: 'Achats de formation', reference: o.number, label: `${m.label} — ${o.organismeName}`, date: o.orderDate, amountCents: o.amountTtcCents, invoicedCents: o.invoicedCents, paidCents: o.paidCents, pieces: proofs });
  }
  return lines;
}

/** 04/05 — other expenses (kept); their lines of the état récapitulatif. */
function placeExpensePieces({ f, add }: PiecePlacer): ExpenseLine[] {
  return f.expenses.map((e) => {
    const folder = e.kind === 'frais_gestion' ? FOLDERS.fraisGestion : e.kind === 'formateurs_internes' ? FOLDERS.formateursInternes : FOLDERS.ingenierie;
    const reference = `Dépense n° ${e.id}`;
    const proofs = piecesOf(f, 'expense', e.id, 'justificatif').map((p) =>
      add(folder, `${e.expenseDate}-${e.label}`, p, `État récapitulatif des dépenses, ${reference} — ${e.kindLabel} : ${e.label} du ${frDate(e.expenseDate)}`),
    );
    return {
      category: e.kind === 'frais_gestion' ? 'Frais de gestion' : e.kind === 'formateurs_internes' ? 'Rémunération des formateurs internes (décret n° 2010-235)' : 'Ingénierie (reliquat)',
      reference,
      label: e.engineeringActionLabel ? `${e.engineeringActionLabel} — ${e.label}` : e.label,
      date: e.expenseDate,
      amountCents: e.amountCents,
      invoicedCents: null,
      paidCents: null,
      pieces: proofs,
    };
  });
}

/** 06/07 — signed attendance sheets and certificates of completion (kept), traced to the rows of the art. 5.2 table. */
function placeAttendancePieces({ f, rows, linesOf, names, add }: PiecePlacer): void {
  const sessions = new Map<number, { title: string; firstDate: string | null; rows: number[] }>();
  rows.forEach((d, i) => {
    const s = sessions.get(d.sessionId) ?? { title: d.sessionTitle, firstDate: d.firstDate, rows: [] };
    s.rows.push(i + 1);
    sessions.set(d.sessionId, s);
  });
  for (const [id, s] of [...sessions].sort(([a], [b]) => a - b)) {
    const folder = names.folder(FOLDERS.sessions, `${s.firstDate ?? 'session'}-${s.title}`, `session:${id}`);
    for (const p of piecesOf(f, 'session', id, 'feuille_presence')) {
      add(folder, 'feuille-d-emargement-signee', p, `Session « ${s.title} » : feuille d’émargement signée${rowsText(s.rows)}`);
    }
  }
  for (const d of rows) {
    const nums = linesOf.get(d.registrationId)!;
    if (nums[0] !== rows.indexOf(d) + 1) continue; // one certificate per registration, at its first line
    for (const p of piecesOf(f, 'registration', d.registrationId, 'attestation_fin_formation')) {
      add(FOLDERS.attestations, `${String(nums[0]).padStart(3, '0')}-${d.nom}-${d.prenom}-${d.kind}`, p, `Tableau art. 5.2, ligne${nums.length > 1 ? 's' : ''} ${nums.join(', ')} : ${departureLabel(d)} — attestation de fin de formation`);
    }
  }
}

/** Builds every entry of the dossier (generated documents in memory, pièces as paths in the store). */
export async function planDossier(ctx: ServiceContext, conventionId: number): Promise<DossierPlan> {
  const f = await gatherFacts(ctx, conventionId);
  const counts = await countDepartures(ctx, conventionId);
  const b = await budgetFigures(ctx, conventionId);
  const checklist = buildChecklist(f, counts);
  const date = dossierDate(f);
  const mtime = new Date(`${date}T12:00:00Z`);

  const entries: DossierEntry[] = [];
  const names = new DossierNames();
  for (const p of [...Object.values(DOSSIER_FILES), MANIFEST, ...DOSSIER_PARTS.map((x) => `${x.folder}/${MANIFEST}`)]) names.reserve(p);
  const rows = departureRows(f);
  const placer: PiecePlacer = {
    f,
    rows,
    linesOf: rows.reduce((m, d, i) => m.set(d.registrationId, [...(m.get(d.registrationId) ?? []), i + 1]), new Map<number, number[]>()),
    names,
    add(folder, stem, p, proves) {
      const ext = (path.extname(p.originalName).toLowerCase().match(/^\.[a-z0-9]{1,8}$/) ?? [''])[0];
      const name = names.file(folder, stem, ext);
      entries.push({ path: name, source: { file: blobPath(ctx.dataDir, p.sha256) }, proves });
      return name;
    },
  };
  placeConventionPieces(placer);
  placeOrganismePieces(placer);
  const lines = [...placePurchasePieces(placer), ...placeExpensePieces(placer)];
  placeAttendancePieces(placer);

  // Generated documents
  entries.push({ path: DOSSIER_FILES.art52, source: { bytes: art52Xlsx(f, mtime) }, proves: `Tableau de l’art. 5.2 de la convention : ${rows.length} départ${rows.length > 1 ? 's' : ''} en formation` });
  entries.push({ path: DOSSIER_FILES.expensesXlsx, source: { bytes: expensesXlsx(f, b, lines, mtime) }, proves: 'État récapitulatif des dépenses (tableur)' });
  entries.push({ path: DOSSIER_FILES.expensesPdf, source: { bytes: await expensesPdf(f, b, lines, mtime, date) }, proves: 'État récapitulatif des dépenses (à signer)' });
  const fig = bilanFigures(f, counts);
  entries.push({ path: DOSSIER_FILES.bilan, source: { bytes: await bilanPdf(f, b, fig, checklist, mtime, date) }, proves: 'Bilan de la convention (à signer)' });
  entries.push({ path: DOSSIER_FILES.missing, source: { bytes: Buffer.from(missingText(checklist, date), 'utf8') }, proves: 'Éléments manquants au dossier' });
  entries.push({ path: DOSSIER_FILES.readme, source: { bytes: Buffer.from(readmeText(f, date, rows.length, checklist), 'utf8') }, proves: 'Mode d’emploi du dossier' });

  const baseName = `dossier-fin-convention-${f.convention.departement}-${date}${checklist.ready ? '' : '-brouillon'}`;
  return { baseName, date, mtime, entries, checklist, departures: rows.length };
}

export function missingText(cl: Checklist, date: string): string {
  const out = [`Éléments manquants au dossier — situation au ${frDate(date)}`, ''];
  if (cl.ready) out.push('Aucun élément manquant : le dossier est complet.');
  else {
    out.push(`${cl.missingCount} élément${cl.missingCount > 1 ? 's' : ''} manquant${cl.missingCount > 1 ? 's' : ''}.`);
    for (const g of Object.keys(checklistGroupLabels) as (keyof typeof checklistGroupLabels)[]) {
      const items = cl.items.filter((i) => i.group === g);
      if (items.length === 0) continue;
      out.push('', `== ${checklistGroupLabels[g]} (${items.length}) ==`);
      for (const i of items) out.push(`- ${i.label} : ${i.missing}`);
    }
  }
  // Points to check, which do not make the dossier incomplete (checklist.ts: attentionItems).
  if (cl.attention.length) {
    out.push('', `== À vérifier (${cl.attention.length}) : ces points ne bloquent pas le dossier ==`);
    for (const i of cl.attention) out.push(`- ${i.label} : ${i.missing}`);
  }
  return '\ufeff' + out.join('\r\n') + '\r\n';
}

function readmeText(f: DossierFacts, date: string, departures: number, cl: Checklist): string {
  const c = f.convention;
  const inPart = (p: string) => p.slice(p.indexOf('/') + 1);
  const keptFolders = [FOLDERS.convention, FOLDERS.organismes, FOLDERS.achats, FOLDERS.fraisGestion, FOLDERS.ingenierie].map((d) => `${inPart(d)}/`).join(', ');
  const lines = [
    `Dossier de fin de convention — ${c.label}`,
    `${c.beneficiaireNom}${c.anctReference ? ` — référence ANCT ${c.anctReference}` : ''}`,
    `Situation arrêtée au ${frDate(date)}.${cl.ready ? '' : ` BROUILLON : ${cl.missingCount} élément(s) manquant(s), voir ${DOSSIER_FILES.missing}.`}`,
    '',
    'Le dossier a deux parties, chacune avec son manifeste.',
    '',
    `1. ${PARTS.anct}/ — ${PART_LABELS.anct.toUpperCase()} (avec le bilan, aussi à la préfecture) :`,
    `- ${inPart(DOSSIER_FILES.art52)} : un départ en formation par ligne (${departures}), avec les informations demandées par l’article 5.2 de la convention (professionnel, employeur et son SIRET, organisme et intitulé de la formation, certification Qualiopi, modules suivis).`,
    `- ${inPart(DOSSIER_FILES.expensesXlsx)} et ${inPart(DOSSIER_FILES.expensesPdf)} : achats de formation, frais de gestion et ingénierie, face au montant reçu ; chaque ligne nomme ses pièces, conservées dans la partie 2. À signer.`,
    `- ${inPart(DOSSIER_FILES.bilan)} : départs par type de formation, par type de structure et par mois, face à l’objectif ; budget. À signer.`,
    `- ${inPart(FOLDERS.certifications)}/ : la certification Qualiopi de chaque organisme de formation, avec les lignes du tableau qu’elle couvre.`,
    `- ${MANIFEST} : les fichiers de cette partie.`,
    '',
    `2. ${PARTS.departement}/ — ${PART_LABELS.departement.toUpperCase()}, à présenter à l’ANCT sur demande :`,
    `- ${inPart(FOLDERS.attestations)}/ : l’attestation de fin de formation de chaque professionnel formé, numérotée comme sa ligne du tableau art. 5.2.`,
    `- ${inPart(FOLDERS.sessions)}/ : les feuilles d’émargement signées, par session, avec les lignes du tableau qu’elles prouvent.`,
    `- ${keptFolders} : convention, référencement ANCT des organismes, devis, notes de choix, bons de commande, factures, preuves de paiement et justificatifs des autres dépenses, chacun nommé d’après ce qu’il prouve.`,
    `- ${MANIFEST} : les fichiers de cette partie.`,
    '',
    'À la racine :',
    `- ${DOSSIER_FILES.missing} : ce qui manque encore au dossier.`,
    `- ${MANIFEST} : tous les fichiers du dossier.`,
    '',
    'Chaque manifeste donne, pour chaque fichier, son chemin, son empreinte SHA-256, sa taille et ce qu’il prouve.',
    'Vérifier l’intégrité : l’empreinte SHA-256 de chaque fichier (Windows : certutil -hashfile FICHIER SHA256) doit être celle du manifeste.',
    '',
    'Produit par FNE Formations.',
  ];
  return '\ufeff' + lines.join('\r\n') + '\r\n';
}

export interface GenerateOptions {
  outDir: string;
  signal?: AbortSignal;
  onProgress?: (p: { done: number; total: number; bytes: number; current: string }) => void;
}

export interface GeneratedPart {
  key: PartKey;
  label: string;
  folderPath: string;
  /** Files of the part, its manifest included. */
  files: number;
}

export interface GeneratedDossier extends DossierResult {
  baseName: string;
  date: string;
  checklist: Checklist;
  departures: number;
  parts: GeneratedPart[];
}

export async function generateDossier(ctx: ServiceContext, conventionId: number, opts: GenerateOptions): Promise<GeneratedDossier> {
  const plan = await planDossier(ctx, conventionId);
  if (opts.signal?.aborted) throw new DOMException('Génération annulée', 'AbortError');
  const r = await writeDossier({ outDir: opts.outDir, baseName: plan.baseName, entries: plan.entries, parts: DOSSIER_PARTS, mtime: plan.mtime, signal: opts.signal, onProgress: opts.onProgress });
  const parts = (Object.keys(PARTS) as PartKey[]).map((key) => ({
    key,
    label: PART_LABELS[key],
    folderPath: path.join(r.folderPath, PARTS[key]),
    files: r.manifest.filter((l) => l.path.startsWith(`${PARTS[key]}/`)).length,
  }));
  return { ...r, baseName: plan.baseName, date: plan.date, checklist: plan.checklist, departures: plan.departures, parts };
}
