// The end-of-convention dossier: a folder and a ZIP named with the département and the date of
// the situation, holding the art. 5.2 table, the état récapitulatif des dépenses (xlsx + PDF),
// the bilan (PDF), every pièce justificative in numbered folders (each file named after what it
// proves), the list of what is still missing, LISEZMOI.txt and manifeste.csv.
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
import { safeFileStem, writeDossier, type DossierEntry, type DossierResult } from './archive';
import { buildChecklist, checklistGroupLabels, departureLabel, type Checklist } from './checklist';
import { art52Xlsx, bilanFigures, bilanPdf, departureRows, expensesPdf, expensesXlsx, type ExpenseLine } from './documents';
import { gatherFacts, piecesOf, type DossierFacts, type PieceFact } from './facts';

export const DOSSIER_FILES = {
  art52: 'tableau-art-5-2.xlsx',
  expensesXlsx: 'etat-recapitulatif-des-depenses.xlsx',
  expensesPdf: 'etat-recapitulatif-des-depenses.pdf',
  bilan: 'bilan.pdf',
  readme: 'LISEZMOI.txt',
  missing: 'elements-manquants.txt',
} as const;

export const FOLDERS = {
  convention: '01-convention',
  organismes: '02-organismes-de-formation',
  achats: '03-achats-de-formation',
  fraisGestion: '04-frais-de-gestion',
  ingenierie: '05-ingenierie',
  sessions: '06-feuilles-d-emargement',
  attestations: '07-attestations-de-fin-de-formation',
} as const;

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

/** Builds every entry of the dossier (generated documents in memory, pièces as paths in the store). */
export async function planDossier(ctx: ServiceContext, conventionId: number): Promise<DossierPlan> {
  const f = await gatherFacts(ctx, conventionId);
  const counts = await countDepartures(ctx, conventionId);
  const b = await budgetFigures(ctx, conventionId);
  const checklist = buildChecklist(f, counts);
  const date = dossierDate(f);
  const mtime = new Date(`${date}T12:00:00Z`);
  const c = f.convention;

  const entries: DossierEntry[] = [];
  const used = new Set<string>();
  /** A pièce from the store, under a name saying what it proves (numbered if several). */
  const addPiece = (folder: string, stem: string, p: PieceFact, proves: string): string => {
    const ext = (path.extname(p.originalName).toLowerCase().match(/^\.[a-z0-9]{1,8}$/) ?? [''])[0];
    let name = `${folder}/${safeFileStem(stem)}${ext}`;
    for (let n = 2; used.has(name); n++) name = `${folder}/${safeFileStem(stem)}-${n}${ext}`;
    used.add(name);
    entries.push({ path: name, source: { file: blobPath(ctx.dataDir, p.sha256) }, proves });
    return name;
  };

  // 01 — convention
  const convRoles: [string, string, string][] = [
    ['convention_signee', 'convention-signee', 'convention signée'],
    ['avis_sirene', 'avis-de-situation-sirene', 'avis de situation SIRENE'],
    ['rib', 'rib', 'RIB'],
    ['arrete_designation', 'designation-par-la-prefecture', 'désignation par la préfecture'],
    ['avis_versement', 'avis-de-versement-des-fonds', 'avis de versement des fonds'],
    ['autre', 'autre-document', 'autre document'],
  ];
  for (const [role, stem, what] of convRoles) {
    for (const p of piecesOf(f, 'convention', c.id, role)) addPiece(FOLDERS.convention, stem, p, `Convention « ${c.label} » : ${what}`);
  }

  // The rows of the art. 5.2 table (one per departure), to trace each pièce to the rows it proves.
  const rows = departureRows(f);
  // A registration is one line, or two for a combined training completed on both parts.
  const linesOf = new Map<number, number[]>();
  rows.forEach((d, i) => linesOf.set(d.registrationId, [...(linesOf.get(d.registrationId) ?? []), i + 1]));
  const rowsText = (nums: number[]) => (nums.length === 0 ? '' : ` — tableau art. 5.2, ligne${nums.length > 1 ? 's' : ''} ${nums.join(', ')}`);

  // 02 — training organisations (Qualiopi certificates, ANCT referencing)
  const ofFolder = (id: number) => `${FOLDERS.organismes}/${safeFileStem(f.organismes.get(id)?.name ?? `organisme-${id}`)}`;
  for (const of of f.organismes.values()) {
    const ofRows = rows.flatMap((d, i) => (d.organismeId === of.id ? [i + 1] : []));
    for (const p of piecesOf(f, 'organisme', of.id, 'certificat_qualiopi')) addPiece(ofFolder(of.id), 'certificat-qualiopi', p, `Organisme ${of.name} : certification Qualiopi (actions de formation)${rowsText(ofRows)}`);
    for (const p of piecesOf(f, 'organisme', of.id, 'referencement_anct')) addPiece(ofFolder(of.id), 'referencement-anct', p, `Organisme ${of.name} : référencement ANCT (Aidants Connect)`);
  }

  // 03 — training purchases, one folder per order
  const lines: ExpenseLine[] = [];
  for (const m of f.marches) {
    const o = m.order;
    if (!o) continue;
    const folder = `${FOLDERS.achats}/${safeFileStem(`commande-${o.number}`)}`;
    const what = `Commande ${o.number} (${o.organismeName})`;
    const proofs: string[] = [];
    for (const q of m.quotes) {
      for (const p of piecesOf(f, 'quote', q.id, 'devis')) proofs.push(addPiece(folder, `devis-${q.organismeName}-${q.quoteDate}${q.chosen ? '-retenu' : ''}`, p, `${what} : devis de ${q.organismeName} du ${frDate(q.quoteDate)}${q.chosen ? ' (offre retenue)' : ''}`));
    }
    const orderRoles = [
      ['note_de_choix', 'note-de-choix-signee', 'note de choix signée'],
      ['bon_de_commande', 'bon-de-commande-signe', 'bon de commande signé'],
      ['autre', 'autre-document', 'autre document'],
    ] as const;
    for (const [role, stem, label] of orderRoles) {
      for (const p of piecesOf(f, 'order', o.id, role)) proofs.push(addPiece(folder, stem, p, `${what} : ${label}`));
    }
    for (const inv of o.invoices) {
      for (const p of piecesOf(f, 'invoice', inv.id, 'facture')) proofs.push(addPiece(folder, `facture-${inv.number}`, p, `${what} : facture ${inv.number} du ${frDate(inv.invoiceDate)}`));
      for (const pay of inv.payments) {
        for (const p of piecesOf(f, 'payment', pay.id, 'preuve_paiement')) proofs.push(addPiece(folder, `preuve-de-paiement-${pay.mandateRef}`, p, `${what} : paiement de la facture ${inv.number} (mandat ${pay.mandateRef} du ${frDate(pay.paymentDate)})`));
      }
    }
    lines.push({ category: 'Achats de formation', reference: o.number, label: `${m.label} — ${o.organismeName}`, date: o.orderDate, amountCents: o.amountTtcCents, invoicedCents: o.invoicedCents, paidCents: o.paidCents, pieces: proofs });
  }

  // 04/05 — other expenses
  for (const e of f.expenses) {
    const folder = e.kind === 'frais_gestion' ? FOLDERS.fraisGestion : FOLDERS.ingenierie;
    const reference = `Dépense n° ${e.id}`;
    const proofs = piecesOf(f, 'expense', e.id, 'justificatif').map((p) =>
      addPiece(folder, `${e.expenseDate}-${e.label}`, p, `État récapitulatif des dépenses, ${reference} — ${e.kindLabel} : ${e.label} du ${frDate(e.expenseDate)}`),
    );
    lines.push({
      category: e.kind === 'frais_gestion' ? 'Frais de gestion' : 'Ingénierie (reliquat)',
      reference,
      label: e.engineeringActionLabel ? `${e.engineeringActionLabel} — ${e.label}` : e.label,
      date: e.expenseDate,
      amountCents: e.amountCents,
      invoicedCents: null,
      paidCents: null,
      pieces: proofs,
    });
  }

  // 06/07 — attendance sheets and certificates, traced to the rows of the art. 5.2 table
  const sessions = new Map<number, { title: string; firstDate: string | null; rows: number[] }>();
  rows.forEach((d, i) => {
    const s = sessions.get(d.sessionId) ?? { title: d.sessionTitle, firstDate: d.firstDate, rows: [] };
    s.rows.push(i + 1);
    sessions.set(d.sessionId, s);
  });
  for (const [id, s] of [...sessions].sort(([a], [b]) => a - b)) {
    const folder = `${FOLDERS.sessions}/${safeFileStem(`${s.firstDate ?? 'session'}-${s.title}`)}`;
    for (const p of piecesOf(f, 'session', id, 'feuille_presence')) {
      addPiece(folder, 'feuille-d-emargement-signee', p, `Session « ${s.title} » : feuille d’émargement signée${rowsText(s.rows)}`);
    }
  }
  for (const d of rows) {
    const nums = linesOf.get(d.registrationId)!;
    if (nums[0] !== rows.indexOf(d) + 1) continue; // one certificate per registration, at its first line
    for (const p of piecesOf(f, 'registration', d.registrationId, 'attestation_fin_formation')) {
      addPiece(FOLDERS.attestations, `${String(nums[0]).padStart(3, '0')}-${d.nom}-${d.prenom}-${d.kind}`, p, `Tableau art. 5.2, ligne${nums.length > 1 ? 's' : ''} ${nums.join(', ')} : ${departureLabel(d)} — attestation de fin de formation`);
    }
  }

  // Generated documents
  entries.push({ path: DOSSIER_FILES.art52, source: { bytes: art52Xlsx(f, mtime) }, proves: `Tableau de l’art. 5.2 de la convention : ${rows.length} départ${rows.length > 1 ? 's' : ''} en formation` });
  entries.push({ path: DOSSIER_FILES.expensesXlsx, source: { bytes: expensesXlsx(f, b, lines, mtime) }, proves: 'État récapitulatif des dépenses (tableur)' });
  entries.push({ path: DOSSIER_FILES.expensesPdf, source: { bytes: await expensesPdf(f, b, lines, mtime, date) }, proves: 'État récapitulatif des dépenses (à signer)' });
  const fig = bilanFigures(f, counts);
  entries.push({ path: DOSSIER_FILES.bilan, source: { bytes: await bilanPdf(f, b, fig, checklist, mtime, date) }, proves: 'Bilan de la convention (à signer)' });
  entries.push({ path: DOSSIER_FILES.missing, source: { bytes: Buffer.from(missingText(checklist, date), 'utf8') }, proves: 'Éléments manquants au dossier' });
  entries.push({ path: DOSSIER_FILES.readme, source: { bytes: Buffer.from(readmeText(f, date, rows.length, checklist), 'utf8') }, proves: 'Mode d’emploi du dossier' });

  const baseName = `dossier-fin-convention-${c.departement}-${date}${checklist.ready ? '' : '-brouillon'}`;
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
  const lines = [
    `Dossier de fin de convention — ${c.label}`,
    `${c.beneficiaireNom}${c.anctReference ? ` — référence ANCT ${c.anctReference}` : ''}`,
    `Situation arrêtée au ${frDate(date)}.${cl.ready ? '' : ` BROUILLON : ${cl.missingCount} élément(s) manquant(s), voir ${DOSSIER_FILES.missing}.`}`,
    '',
    'Contenu :',
    `- ${DOSSIER_FILES.art52} : un départ en formation par ligne (${departures}), avec les informations demandées par l’article 5.2 de la convention.`,
    `- ${DOSSIER_FILES.expensesXlsx} et ${DOSSIER_FILES.expensesPdf} : achats de formation, frais de gestion et ingénierie, avec leurs pièces, face au montant reçu.`,
    `- ${DOSSIER_FILES.bilan} : départs par type de formation, par type de structure et par mois, face à l’objectif ; budget. À signer.`,
    `- ${FOLDERS.convention}/ … ${FOLDERS.attestations}/ : les pièces justificatives, chacune nommée d’après ce qu’elle prouve.`,
    `- ${DOSSIER_FILES.missing} : ce qui manque encore au dossier.`,
    '- manifeste.csv : pour chaque fichier, son chemin, son empreinte SHA-256, sa taille et ce qu’il prouve.',
    '',
    'Vérifier l’intégrité : l’empreinte SHA-256 de chaque fichier (Windows : certutil -hashfile FICHIER SHA256) doit être celle du manifeste.',
    'Les pièces sont transmises à l’ANCT et à la préfecture ; les feuilles d’émargement et attestations sont conservées par le Conseil départemental.',
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

export interface GeneratedDossier extends DossierResult {
  baseName: string;
  date: string;
  checklist: Checklist;
  departures: number;
}

export async function generateDossier(ctx: ServiceContext, conventionId: number, opts: GenerateOptions): Promise<GeneratedDossier> {
  const plan = await planDossier(ctx, conventionId);
  if (opts.signal?.aborted) throw new DOMException('Génération annulée', 'AbortError');
  const r = await writeDossier({ outDir: opts.outDir, baseName: plan.baseName, entries: plan.entries, mtime: plan.mtime, signal: opts.signal, onProgress: opts.onProgress });
  return { ...r, baseName: plan.baseName, date: plan.date, checklist: plan.checklist, departures: plan.departures };
}
