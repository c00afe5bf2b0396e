// Pre-filled documents the officer prints and signs: the bon de commande and the one-page
// « note de choix » (the quotes compared and the written reason for the choice). pdf-lib with
// Helvetica (WinAnsi covers French accents and €).
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { frDate } from '../common/dates';
import { formatEuros } from '../common/money';
import type { ServiceContext } from '../context';
import { getConvention } from '../convention/service';
import { AppError } from '../errors';
import { getOrganisme } from './organismes';
import { checkThreshold } from './rules';
import { getMarche } from './service';

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 50;

/** Amounts on paper: plain spaces (the narrow no-break space is not in WinAnsi). */
function euros(cents: number): string {
  return formatEuros(cents).replace(/[\u202f\u00a0]/g, ' ');
}

class Writer {
  page: PDFPage;
  y: number;
  private readonly encodable = new Map<string, boolean>();
  constructor(
    private readonly doc: PDFDocument,
    readonly font: PDFFont,
    readonly bold: PDFFont,
  ) {
    this.page = doc.addPage(A4);
    this.y = A4[1] - MARGIN;
  }
  /** Replaces characters Helvetica/WinAnsi cannot draw. */
  safe(s: string): string {
    let out = '';
    for (const ch of s.replace(/[\u202f\u2009\u00a0]/g, ' ')) {
      let ok = this.encodable.get(ch);
      if (ok === undefined) {
        try {
          this.font.encodeText(ch);
          ok = true;
        } catch {
          ok = false;
        }
        this.encodable.set(ch, ok);
      }
      out += ok ? ch : '?';
    }
    return out;
  }
  wrap(text: string, size: number, width: number, font = this.font): string[] {
    const lines: string[] = [];
    for (const para of this.safe(text).split(/\r?\n/)) {
      let cur = '';
      for (const word of para.split(/\s+/)) {
        const next = cur === '' ? word : `${cur} ${word}`;
        if (font.widthOfTextAtSize(next, size) <= width || cur === '') cur = next;
        else {
          lines.push(cur);
          cur = word;
        }
      }
      lines.push(cur);
    }
    return lines;
  }
  text(s: string, opts: { size?: number; bold?: boolean; x?: number; width?: number; gap?: number } = {}): void {
    const size = opts.size ?? 10;
    const font = opts.bold ? this.bold : this.font;
    const x = opts.x ?? MARGIN;
    for (const line of this.wrap(s, size, opts.width ?? A4[0] - x - MARGIN, font)) {
      if (this.y < MARGIN + size) {
        this.page = this.doc.addPage(A4);
        this.y = A4[1] - MARGIN;
      }
      this.page.drawText(line, { x, y: this.y - size, size, font });
      this.y -= size * 1.35;
    }
    this.y -= opts.gap ?? 0;
  }
  row(cells: string[], widths: number[], opts: { size?: number; bold?: boolean } = {}): void {
    const size = opts.size ?? 9;
    const font = opts.bold ? this.bold : this.font;
    let x = MARGIN;
    const wrapped = cells.map((c, i) => this.wrap(c, size, widths[i] - 4, font));
    const height = Math.max(...wrapped.map((w) => w.length)) * size * 1.3 + 4;
    cells.forEach((_, i) => {
      this.page.drawRectangle({ x, y: this.y - height, width: widths[i], height, borderColor: rgb(0.5, 0.5, 0.5), borderWidth: 0.5 });
      wrapped[i].forEach((line, j) => this.page.drawText(line, { x: x + 2, y: this.y - 2 - size - j * size * 1.3, size, font }));
      x += widths[i];
    });
    this.y -= height;
  }
  rule(): void {
    this.page.drawLine({ start: { x: MARGIN, y: this.y - 4 }, end: { x: A4[0] - MARGIN, y: this.y - 4 }, thickness: 0.5, color: rgb(0.6, 0.6, 0.6) });
    this.y -= 12;
  }
}

async function newDoc(title: string) {
  const doc = await PDFDocument.create();
  doc.setTitle(title);
  doc.setCreator('FNE Formations');
  doc.setProducer('FNE Formations');
  const w = new Writer(doc, await doc.embedFont(StandardFonts.Helvetica), await doc.embedFont(StandardFonts.HelveticaBold));
  return { doc, w };
}

function signature(w: Writer, who: string): void {
  w.y -= 10;
  w.text('Fait à ………………………………, le ……/……/…………', { gap: 6 });
  w.text(who, { bold: true });
  w.text('(nom, qualité, signature et cachet)', { size: 9, gap: 50 });
}

export async function bonDeCommandePdf(ctx: ServiceContext, marcheId: number): Promise<{ fileName: string; bytes: Uint8Array }> {
  const m = await getMarche(ctx, marcheId);
  const o = m.order;
  if (!o) throw new AppError('validation', 'Enregistrez d’abord le bon de commande (numéro, date) : le document est pré-rempli à partir de lui.');
  const c = await getConvention(ctx, m.conventionId);
  const of = await getOrganisme(ctx, o.organismeId);
  const q = m.quotes.find((x) => x.id === o.quoteId)!;
  const { doc, w } = await newDoc(`Bon de commande ${o.number}`);
  w.text(c.beneficiaireNom, { bold: true, size: 11 });
  if (c.beneficiaireSiret) w.text(`SIRET ${c.beneficiaireSiret}`, { size: 9 });
  w.y -= 14;
  w.text(`BON DE COMMANDE n° ${o.number}`, { bold: true, size: 16 });
  w.text(`Date : ${frDate(o.orderDate)}`, { gap: 8 });
  w.rule();
  w.text('Fournisseur', { bold: true });
  w.text(of.name);
  w.text(`SIRET ${of.siret ?? '—'} — NDA ${of.nda ?? '—'}`);
  if (of.address || of.city) w.text([of.address, [of.postcode, of.city].filter(Boolean).join(' ')].filter(Boolean).join(', '));
  if (of.qualiopiNumber || of.qualiopiValidUntil) {
    w.text(`Certification Qualiopi (actions de formation) n° ${of.qualiopiNumber ?? '—'}, ${of.qualiopiIssuer ?? ''}, valide jusqu’au ${of.qualiopiValidUntil ? frDate(of.qualiopiValidUntil) : '—'}`, { size: 9 });
  }
  w.y -= 6;
  w.rule();
  w.text('Objet de la commande', { bold: true });
  w.text(`${m.label} — ${m.kindLabel}`);
  w.text(`${m.seats} place${m.seats > 1 ? 's' : ''}${q.trainingTitle ? ` — formation « ${q.trainingTitle} »` : ''}`);
  const start = o.contractStart ?? m.needStart;
  const end = o.contractEnd ?? m.needEnd;
  if (start || end) w.text(`Période d’exécution : du ${start ? frDate(start) : '…'} au ${end ? frDate(end) : '…'}`);
  w.text(`Selon le devis ${q.reference ? `n° ${q.reference} ` : ''}du ${frDate(q.quoteDate)}.`, { gap: 8 });
  w.row(['Montant HT', q.vatExemption ? 'TVA' : 'TVA', 'Montant TTC'], [165, 165, 165], { bold: true });
  w.row([euros(o.amountHtCents), q.vatExemption ? `Exonération : ${q.vatExemption}` : euros(q.vatCents), euros(o.amountTtcCents)], [165, 165, 165], { size: 10 });
  w.y -= 10;
  w.text('Cadre juridique', { bold: true });
  if (o.otherProcedureRef) {
    w.text(`Commande passée dans le cadre de la procédure « ${o.otherProcedureRef} » du ${o.otherProcedureDate ? frDate(o.otherProcedureDate) : '…'}.`, { size: 9 });
  } else {
    w.text(
      `Marché sans publicité ni mise en concurrence préalables (art. R2122-8 du code de la commande publique). Achats de formation ${o.orderDate.slice(0, 4)}, cette commande comprise : ${euros(o.yearTotalHtCents)} HT pour un seuil de ${euros(o.thresholdCents)} HT.`,
      { size: 9 },
    );
  }
  w.text(`Dépense imputée sur : ${c.label}${c.anctReference ? ` (réf. ANCT ${c.anctReference})` : ''} — programme France Numérique Ensemble.`, { size: 9 });
  w.text('La facture, adressée à l’acheteur, rappellera le numéro du présent bon de commande.', { size: 9, gap: 6 });
  signature(w, 'Pour l’acheteur, l’ordonnateur');
  return { fileName: `bon-de-commande-${o.number.replace(/[^A-Za-z0-9_-]+/g, '_')}.pdf`, bytes: await doc.save() };
}

export async function noteDeChoixPdf(ctx: ServiceContext, marcheId: number): Promise<{ fileName: string; bytes: Uint8Array }> {
  const m = await getMarche(ctx, marcheId);
  const chosen = m.quotes.find((q) => q.chosen);
  if (!chosen || !m.choiceReason) throw new AppError('validation', 'Choisissez d’abord une offre et rédigez la raison du choix : la note de choix les reprend.');
  const c = await getConvention(ctx, m.conventionId);
  const { doc, w } = await newDoc(`Note de choix — ${m.label}`);
  w.text(c.beneficiaireNom, { bold: true, size: 11 });
  w.y -= 10;
  w.text('NOTE DE CHOIX — Marché de formation', { bold: true, size: 15 });
  w.text(`${c.label} — programme France Numérique Ensemble`, { size: 9, gap: 6 });
  w.rule();
  w.text('Besoin', { bold: true });
  w.text(`${m.label} — ${m.kindLabel} — ${m.seats} place${m.seats > 1 ? 's' : ''}`);
  if (m.needStart || m.needEnd) w.text(`Période : du ${m.needStart ? frDate(m.needStart) : '…'} au ${m.needEnd ? frDate(m.needEnd) : '…'}`);
  w.y -= 6;
  w.text(`Devis comparés (${m.quotes.length})`, { bold: true, gap: 2 });
  const widths = [140, 60, 72, 72, 72, 79];
  w.row(['Organisme', 'Date', 'Montant HT', 'TVA', 'Montant TTC', 'Qualiopi'], widths, { bold: true });
  for (const q of m.quotes) {
    w.row(
      [`${q.chosen ? '[RETENU] ' : ''}${q.organismeName}`, frDate(q.quoteDate), euros(q.amountHtCents), q.vatExemption ? 'exonéré' : euros(q.vatCents), euros(q.amountTtcCents), q.qualiopiLabel],
      widths,
    );
  }
  w.y -= 10;
  w.text('Offre retenue', { bold: true });
  w.text(`${chosen.organismeName} — ${euros(chosen.amountHtCents)} HT, ${euros(chosen.amountTtcCents)} TTC (${euros(chosen.pricePerSeatCents)} TTC par place).`, { gap: 6 });
  w.text('Raison du choix', { bold: true });
  w.text(m.choiceReason, { gap: 6 });
  if (m.choiceComparison) {
    w.text('Comparaison des offres', { bold: true });
    w.text(m.choiceComparison, { gap: 6 });
  }
  w.text('Cadre juridique', { bold: true });
  let yearTotal: number;
  let threshold: number;
  let at: string;
  if (m.order) {
    yearTotal = m.order.yearTotalHtCents;
    threshold = m.order.thresholdCents;
    at = m.order.orderDate;
  } else {
    at = m.choiceDate ?? ctx.now().toISOString().slice(0, 10);
    const y = at.slice(0, 4);
    const { s } = await ctx.store.db
      .selectFrom('orders')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_ht_cents'), eb.lit(0)).as('s'))
      .where('order_date', '>=', `${y}-01-01`)
      .where('order_date', '<=', `${y}-12-31`)
      .executeTakeFirstOrThrow();
    const t = checkThreshold({ orderDate: at, amountHtCents: chosen.amountHtCents, otherOrdersSameYearHtCents: Number(s) });
    yearTotal = t.yearTotalHtCents;
    threshold = t.thresholdCents;
  }
  w.text(
    `Marché sans publicité ni mise en concurrence préalables (art. R2122-8 du code de la commande publique) : achats de formation ${at.slice(0, 4)}, cette commande comprise, ${euros(yearTotal)} HT pour un seuil de ${euros(threshold)} HT en vigueur au ${frDate(at)}. Sous ce seuil, l’acheteur choisit une offre pertinente, fait bon usage des deniers publics et ne contracte pas systématiquement avec le même fournisseur : la raison du choix ci-dessus en témoigne.`,
    { size: 9, gap: 4 },
  );
  w.text(`Choix arrêté le ${m.choiceDate ? frDate(m.choiceDate) : '…'}.`, { size: 9 });
  signature(w, 'Le responsable du marché');
  return { fileName: `note-de-choix-marche-${m.id}.pdf`, bytes: await doc.save() };
}
