// A small page writer for the dossier's PDFs (état des dépenses, bilan): text that wraps, table
// rows, and bar charts drawn with rectangles. Reproducible: the document's dates, producer and
// creator are fixed by the caller (never "now"), so the same data give the same bytes.
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage, type RGB } from 'pdf-lib';
import { formatEuros } from '../common/money';

export const A4: [number, number] = [595.28, 841.89];
export const MARGIN = 48;

/** Amounts on paper: plain spaces (the narrow no-break space is not in WinAnsi). */
export function euros(cents: number): string {
  return formatEuros(cents).replace(/[\u202f\u00a0]/g, ' ');
}

export const COLORS = {
  bar: rgb(0.16, 0.36, 0.62),
  bar2: rgb(0.55, 0.7, 0.88),
  target: rgb(0.78, 0.2, 0.12),
  ok: rgb(0.12, 0.5, 0.25),
  grey: rgb(0.45, 0.45, 0.45),
  light: rgb(0.92, 0.93, 0.95),
  text: rgb(0.08, 0.08, 0.1),
};

export class PdfWriter {
  page!: PDFPage;
  y = 0;
  pageCount = 0;
  private readonly encodable = new Map<string, boolean>();
  private constructor(
    readonly doc: PDFDocument,
    readonly font: PDFFont,
    readonly bold: PDFFont,
    private readonly footer: string,
  ) {}

  static async create(meta: { title: string; subject: string; date: Date; footer: string }): Promise<PdfWriter> {
    const doc = await PDFDocument.create({ updateMetadata: false });
    doc.setTitle(meta.title);
    doc.setSubject(meta.subject);
    doc.setCreator('FNE Formations');
    doc.setProducer('FNE Formations');
    doc.setCreationDate(meta.date);
    doc.setModificationDate(meta.date);
    doc.setLanguage('fr-FR');
    const w = new PdfWriter(doc, await doc.embedFont(StandardFonts.Helvetica), await doc.embedFont(StandardFonts.HelveticaBold), meta.footer);
    w.newPage();
    return w;
  }

  newPage(): void {
    this.page = this.doc.addPage(A4);
    this.pageCount++;
    this.y = A4[1] - MARGIN;
  }

  /** Page footers "p / n", drawn once every page exists. */
  async save(): Promise<Uint8Array> {
    const pages = this.doc.getPages();
    pages.forEach((p, i) => {
      const s = this.safe(`${this.footer} — page ${i + 1} / ${pages.length}`);
      p.drawText(s, { x: MARGIN, y: 24, size: 8, font: this.font, color: COLORS.grey });
    });
    return this.doc.save({ useObjectStreams: false });
  }

  ensure(height: number): void {
    if (this.y - height < MARGIN) this.newPage();
  }

  /** Replaces characters Helvetica/WinAnsi cannot draw. */
  safe(s: string): string {
    let out = '';
    for (const ch of s.replace(/[\u202f\u2009\u00a0]/g, ' ').replace(/[\u2018\u2019]/g, '’')) {
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

  text(s: string, opts: { size?: number; bold?: boolean; x?: number; width?: number; gap?: number; color?: RGB } = {}): void {
    const size = opts.size ?? 10;
    const font = opts.bold ? this.bold : this.font;
    const x = opts.x ?? MARGIN;
    for (const line of this.wrap(s, size, opts.width ?? A4[0] - x - MARGIN, font)) {
      this.ensure(size * 1.4);
      this.page.drawText(line, { x, y: this.y - size, size, font, color: opts.color ?? COLORS.text });
      this.y -= size * 1.4;
    }
    this.y -= opts.gap ?? 0;
  }

  heading(s: string): void {
    this.ensure(60);
    this.y -= 6;
    this.text(s, { size: 13, bold: true, gap: 4 });
  }

  /** A table row; numbers right-aligned when `align[i] === 'right'`. */
  row(cells: string[], widths: number[], opts: { size?: number; bold?: boolean; align?: ('left' | 'right')[]; fill?: RGB } = {}): void {
    const size = opts.size ?? 8.5;
    const font = opts.bold ? this.bold : this.font;
    const wrapped = cells.map((c, i) => this.wrap(c, size, widths[i] - 6, font));
    const height = Math.max(...wrapped.map((w) => w.length)) * size * 1.3 + 5;
    this.ensure(height);
    let x = MARGIN;
    cells.forEach((_, i) => {
      this.page.drawRectangle({ x, y: this.y - height, width: widths[i], height, borderColor: rgb(0.6, 0.6, 0.6), borderWidth: 0.5, color: opts.fill });
      wrapped[i].forEach((line, j) => {
        const tw = font.widthOfTextAtSize(line, size);
        const tx = opts.align?.[i] === 'right' ? x + widths[i] - 3 - tw : x + 3;
        this.page.drawText(line, { x: tx, y: this.y - 3 - size - j * size * 1.3, size, font, color: COLORS.text });
      });
      x += widths[i];
    });
    this.y -= height;
  }

  /**
   * Horizontal bars: one per item, value written at the end of the bar; an optional target
   * drawn as a red vertical line with its label.
   */
  hbars(items: { label: string; value: number; display?: string; color?: RGB }[], opts: { max?: number; target?: { value: number; label: string } } = {}): void {
    const labelWidth = 170;
    const chartWidth = A4[0] - 2 * MARGIN - labelWidth - 70;
    const max = Math.max(1, opts.max ?? 0, opts.target?.value ?? 0, ...items.map((i) => i.value));
    const barH = 14;
    const gap = 7;
    const total = items.length * (barH + gap) + (opts.target ? 16 : 0);
    this.ensure(total + 10);
    const x0 = MARGIN + labelWidth;
    const top = this.y;
    this.page.drawRectangle({ x: x0, y: top - total, width: chartWidth, height: total, color: COLORS.light });
    items.forEach((it, i) => {
      const y = top - (i + 1) * (barH + gap) + gap / 2;
      const lbl = this.wrap(it.label, 8.5, labelWidth - 8)[0];
      this.page.drawText(lbl, { x: MARGIN, y: y + 4, size: 8.5, font: this.font, color: COLORS.text });
      const w = (Math.max(0, it.value) / max) * chartWidth;
      if (w > 0) this.page.drawRectangle({ x: x0, y, width: w, height: barH, color: it.color ?? COLORS.bar });
      this.page.drawText(this.safe(it.display ?? String(it.value)), { x: x0 + w + 4, y: y + 4, size: 8.5, font: this.bold, color: COLORS.text });
    });
    if (opts.target) {
      const tx = x0 + (opts.target.value / max) * chartWidth;
      this.page.drawLine({ start: { x: tx, y: top }, end: { x: tx, y: top - total + 14 }, thickness: 1.5, color: COLORS.target });
      const t = this.safe(opts.target.label);
      const tw = this.font.widthOfTextAtSize(t, 8);
      this.page.drawText(t, { x: Math.min(tx - tw / 2, x0 + chartWidth - tw), y: top - total + 3, size: 8, font: this.font, color: COLORS.target });
    }
    this.y = top - total - 10;
  }

  /** Vertical bars (e.g. departures by month), value above each bar, label below. */
  vbars(items: { label: string; value: number }[], opts: { height?: number } = {}): void {
    const h = opts.height ?? 130;
    const width = A4[0] - 2 * MARGIN;
    this.ensure(h + 40);
    const top = this.y;
    const base = top - h;
    const max = Math.max(1, ...items.map((i) => i.value));
    const slot = items.length === 0 ? width : width / items.length;
    const barW = Math.min(34, slot * 0.7);
    this.page.drawRectangle({ x: MARGIN, y: base, width, height: h, color: COLORS.light });
    this.page.drawLine({ start: { x: MARGIN, y: base }, end: { x: MARGIN + width, y: base }, thickness: 0.8, color: COLORS.grey });
    items.forEach((it, i) => {
      const cx = MARGIN + slot * i + slot / 2;
      const bh = (it.value / max) * (h - 18);
      if (bh > 0) this.page.drawRectangle({ x: cx - barW / 2, y: base, width: barW, height: bh, color: COLORS.bar });
      const v = String(it.value);
      this.page.drawText(v, { x: cx - this.bold.widthOfTextAtSize(v, 8.5) / 2, y: base + bh + 3, size: 8.5, font: this.bold, color: COLORS.text });
      const l = this.safe(it.label);
      this.page.drawText(l, { x: cx - this.font.widthOfTextAtSize(l, 7.5) / 2, y: base - 11, size: 7.5, font: this.font, color: COLORS.text });
    });
    this.y = base - 22;
  }

  rule(): void {
    this.page.drawLine({ start: { x: MARGIN, y: this.y - 4 }, end: { x: A4[0] - MARGIN, y: this.y - 4 }, thickness: 0.5, color: rgb(0.6, 0.6, 0.6) });
    this.y -= 12;
  }

  signature(who: string): void {
    this.ensure(110);
    this.y -= 10;
    this.text('Fait à ………………………………, le ……/……/…………', { gap: 6 });
    this.text(who, { bold: true });
    this.text('(nom, qualité, signature et cachet)', { size: 9, gap: 8 });
    this.page.drawRectangle({ x: MARGIN, y: this.y - 60, width: 220, height: 60, borderColor: COLORS.grey, borderWidth: 0.6 });
    this.y -= 70;
  }
}
