// The one PDF writer of the app (pdf-lib). Every generated PDF goes through it — bon de commande,
// note de choix, demande de devis, état des dépenses, bilan, feuille d'émargement, convocations:
// write a new document with it rather than another writer.
//
// Two ways to fill a page, on the same object:
// - flowing from the top: text that wraps, headings kept with what follows, table rows with
//   column widths (a row taller than a page goes on over the next pages), rules, a signature
//   box, bar charts; a new page starts when one is full;
// - placed: `at(text, x, y)` draws one line cut to a width with « … » (grids such as the
//   feuille d'émargement draw their own rectangles on `w.page`).
// Page size and margin are per document (A4 portrait, 48 pt by default); with a footer, every
// page ends with it and « Page X / Y ».
//
// Reproducible: the document's dates, producer and creator are fixed by the caller (never
// "now"), object streams are off, the embedded font subsets are named without chance, so the
// same data give the same bytes — the dossier's ZIP and manifest depend on it.
//
// Fonts: Liberation Sans, embedded as subsets (assets.ts), so every Latin-script name prints as
// typed (Łukasz, Yılmaz, Nguyễn). `safe()` still turns line breaks and odd spaces into plain
// ones and anything the font lacks (another script) into « ? », so drawing never throws.
// No-break spaces (amounts « 20 000,00 € », « 1er janvier ») glue their words when lines wrap;
// they are drawn as ordinary spaces so the text copies and searches as usual.
// Layout is linear in the text's length: widths come from per-character advances, cached.
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb, type PDFFont, type PDFPage, type RGB } from 'pdf-lib';
import { formatEuros } from '../money';
import { pdfAssets } from './assets';
import { markPdfA2b, type PdfAMeta } from './pdfa';

export const A4: [number, number] = [595.28, 841.89];
export const A4_LANDSCAPE: [number, number] = [A4[1], A4[0]];
/** Default margin (points). */
export const MARGIN = 48;
const LINE = 1.4;
const ROW_LINE = 1.3;

export const COLORS = {
  bar: rgb(0.16, 0.36, 0.62),
  bar2: rgb(0.55, 0.7, 0.88),
  heading: rgb(0.1, 0.2, 0.45),
  target: rgb(0.78, 0.2, 0.12),
  ok: rgb(0.12, 0.5, 0.25),
  grey: rgb(0.45, 0.45, 0.45),
  border: rgb(0.6, 0.6, 0.6),
  light: rgb(0.92, 0.93, 0.95),
  text: rgb(0.08, 0.08, 0.1),
};

/** Amounts on paper: formatEuros, whose no-break spaces keep « 20 000,00 € » on one line. */
export function euros(cents: number): string {
  return formatEuros(cents);
}

/** A no-break space: glues two words when lines wrap, drawn as an ordinary space. */
export const NBSP = '\u00a0';

/** Characters with a plainer equivalent on paper (one line: breaks become spaces). */
const EQUIVALENTS: [RegExp, string][] = [
  [/\r\n|[\r\n\t\v\f\u2028\u2029]/g, ' '],
  // No-break spaces (of amounts, « n° 3 », « 1er janvier ») stay glue; other odd spaces are spaces.
  [/[\u00a0\u2007\u202f\u2060]/g, NBSP],
  [/[\u2000-\u2006\u2008-\u200a\u205f\u3000]/g, ' '],
  [/[\u200b-\u200d\ufeff]/g, ''],
  [/[\u2010\u2011\u2012\u2212]/g, '-'],
];

/**
 * `s` made drawable by `canDraw` (one character at a time), composed (NFC, so a name typed with
 * combining accents prints as one letter): line breaks and unusual spaces become spaces, a few
 * symbols their plain equivalent, a letter with an accent the font lacks its bare letter,
 * anything else « ? ». No-break spaces are kept (as U+00A0) for `wrap` to glue words with.
 */
export function drawableText(s: string, canDraw: (ch: string) => boolean): string {
  let t = s.normalize('NFC');
  for (const [re, by] of EQUIVALENTS) t = t.replace(re, by);
  let out = '';
  for (const ch of t) {
    if (ch === NBSP || canDraw(ch)) {
      out += ch;
      continue;
    }
    const base = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
    out += base !== '' && base !== ch && [...base].every(canDraw) ? base : '?';
  }
  return out;
}

/** What is drawn: no-break spaces as ordinary spaces (same width, copies as a space). */
function plain(line: string): string {
  return line.replaceAll(NBSP, ' ');
}

export interface PdfMeta {
  title: string;
  subject?: string;
  /** CreationDate and ModDate: a date of the data (dossier date, ctx.now()), so output is reproducible. */
  date: Date;
  /** When set, every page ends with this line (cut with « … » if too long) and « Page X / Y » on the right. */
  footer?: string;
  /** Page size in points; A4 portrait by default. */
  pageSize?: [number, number];
  /** Margin on every side, in points; MARGIN by default. */
  margin?: number;
}

export interface TextOptions {
  size?: number;
  bold?: boolean;
  x?: number;
  width?: number;
  /** Extra space after the paragraph. */
  gap?: number;
  color?: RGB;
  /** Distance between two baselines; size × 1.4 by default. */
  leading?: number;
}

export interface RowOptions {
  size?: number;
  bold?: boolean;
  /** Per column; 'right' for amounts. */
  align?: ('left' | 'right')[];
  fill?: RGB;
}

export interface AtOptions {
  size?: number;
  bold?: boolean;
  /** The text is cut with « … » to fit; no limit by default. */
  width?: number;
  color?: RGB;
}

export class PdfWriter {
  page!: PDFPage;
  /** Top of the free space on the current page (PDF coordinates, from the bottom). */
  y = 0;
  readonly pageWidth: number;
  readonly pageHeight: number;
  /** Per font: each character's advance at size 1 (layout is linear: no re-measuring of whole lines). */
  private readonly advances = new Map<PDFFont, Map<string, number>>();
  private readonly drawable = new Map<string, boolean>();
  private constructor(
    readonly doc: PDFDocument,
    readonly font: PDFFont,
    readonly bold: PDFFont,
    private readonly footer: string | undefined,
    private readonly pageSize: [number, number],
    readonly margin: number,
    /** Whether the embedded fonts have a glyph for a code point (both fonts cover the same set). */
    private readonly hasGlyph: (codePoint: number) => boolean,
    /** Written as PDF/A-2b at save (pdfa.ts). */
    private readonly archival: { meta: PdfAMeta; srgb: Uint8Array },
  ) {
    [this.pageWidth, this.pageHeight] = pageSize;
  }

  static async create(meta: PdfMeta): Promise<PdfWriter> {
    const doc = await PDFDocument.create({ updateMetadata: false });
    doc.setTitle(meta.title);
    if (meta.subject !== undefined) doc.setSubject(meta.subject);
    doc.setCreator('FNE Formations');
    doc.setProducer('FNE Formations');
    doc.setCreationDate(meta.date);
    doc.setModificationDate(meta.date);
    doc.setLanguage('fr-FR');
    doc.registerFontkit(fontkit);
    const bytes = pdfAssets();
    // Subsets named with a fixed tag (« ABCDEF+ » marks a subset), not a random one: the same
    // data give the same bytes.
    const regular = await doc.embedFont(bytes.regular, { subset: true, customName: 'FNEAAA+LiberationSans' });
    const bold = await doc.embedFont(bytes.bold, { subset: true, customName: 'FNEAAB+LiberationSans-Bold' });
    const glyphs = fontkit.create(bytes.regular);
    const archival = { meta: { title: meta.title, subject: meta.subject, date: meta.date, creator: 'FNE Formations', producer: 'FNE Formations', lang: 'fr-FR' }, srgb: bytes.srgb };
    const w = new PdfWriter(doc, regular, bold, meta.footer, meta.pageSize ?? A4, meta.margin ?? MARGIN, (cp) => glyphs.hasGlyphForCodePoint(cp), archival);
    w.newPage();
    return w;
  }

  /** Width between the margins. */
  get contentWidth(): number {
    return this.pageWidth - 2 * this.margin;
  }

  newPage(): void {
    this.page = this.doc.addPage(this.pageSize);
    this.y = this.pageHeight - this.margin;
  }

  /** Starts a new page unless `height` still fits above the bottom margin. */
  ensure(height: number): void {
    if (this.y - height < this.margin) this.newPage();
  }

  /** The footer and « Page X / Y » once every page exists, then the bytes. */
  async save(): Promise<Uint8Array> {
    if (this.footer !== undefined) {
      const pages = this.doc.getPages();
      const y = Math.min(24, this.margin - 14);
      pages.forEach((p, i) => {
        const n = this.safe(`Page ${i + 1} / ${pages.length}`);
        p.drawText(this.fit(this.footer!, 8, this.contentWidth - 90), { x: this.margin, y, size: 8, font: this.font, color: COLORS.grey });
        p.drawText(n, { x: this.pageWidth - this.margin - this.font.widthOfTextAtSize(n, 8), y, size: 8, font: this.font, color: COLORS.text });
      });
    }
    markPdfA2b(this.doc, this.archival.meta, this.archival.srgb);
    return this.doc.save({ useObjectStreams: false });
  }

  /** `s` drawable with the embedded font (see drawableText); no-break spaces kept as glue. */
  private glued(s: string): string {
    return drawableText(s, (ch) => {
      let ok = this.drawable.get(ch);
      if (ok === undefined) {
        const cp = ch.codePointAt(0)!;
        ok = cp >= 0x20 && this.hasGlyph(cp);
        this.drawable.set(ch, ok);
      }
      return ok;
    });
  }

  /** `s` on one line, drawable with the embedded font. */
  safe(s: string): string {
    return plain(this.glued(s));
  }

  /** Advance of one character at `size` (cached per font, measured once). */
  private advance(ch: string, size: number, font: PDFFont): number {
    let m = this.advances.get(font);
    if (!m) this.advances.set(font, (m = new Map()));
    let a = m.get(ch);
    if (a === undefined) {
      a = font.widthOfTextAtSize(ch === NBSP ? ' ' : ch, 1);
      m.set(ch, a);
    }
    return a * size;
  }

  /** Width of `s` at `size`: the sum of its characters' advances (linear). */
  measure(s: string, size: number, font = this.font): number {
    let w = 0;
    for (const ch of s) w += this.advance(ch, size, font);
    return w;
  }

  /** `s` on one line of at most `width` points, cut with « … » when longer. */
  fit(s: string, size: number, width: number, font = this.font): string {
    const t = this.safe(s);
    if (this.measure(t, size, font) <= width) return t;
    const room = width - this.advance('…', size, font);
    let out = '';
    let w = 0;
    for (const ch of t) {
      const a = this.advance(ch, size, font);
      if (w + a > room && out !== '') break;
      out += ch;
      w += a;
    }
    return `${out.trimEnd()}…`;
  }

  /**
   * Lines of at most `width` points: paragraphs kept, words never split unless one alone is too
   * wide, no-break spaces never broken. Linear in the length of `text`.
   */
  wrap(text: string, size: number, width: number, font = this.font): string[] {
    const space = this.advance(' ', size, font);
    const lines: string[] = [];
    for (const raw of text.split(/\r\n|[\r\n\u2028\u2029]/)) {
      let cur = '';
      let curW = 0;
      for (const w0 of this.glued(raw).split(/ +/)) {
        let word = w0;
        let wordW = this.measure(word, size, font);
        const nextW = cur === '' ? wordW : curW + space + wordW;
        if (nextW <= width) {
          cur = cur === '' ? word : `${cur} ${word}`;
          curW = nextW;
          continue;
        }
        if (cur !== '') lines.push(plain(cur));
        // A word wider than the column (a long e-mail address, a reference): cut it.
        if (wordW > width) {
          let piece = '';
          let pieceW = 0;
          for (const ch of word) {
            const a = this.advance(ch, size, font);
            if (pieceW + a > width && piece !== '') {
              lines.push(plain(piece));
              piece = '';
              pieceW = 0;
            }
            piece += ch;
            pieceW += a;
          }
          word = piece;
          wordW = pieceW;
        }
        cur = word;
        curW = wordW;
      }
      lines.push(plain(cur));
    }
    return lines;
  }

  /**
   * `text` in at most `maxLines` lines of `width` points, at `size` or smaller (down to
   * `minSize`): a name on a signature sheet is printed whole, never cut, unless even the
   * smallest size cannot hold it (then the last line ends with « … »).
   */
  fitLines(text: string, size: number, width: number, maxLines: number, opts: { minSize?: number; font?: PDFFont } = {}): { lines: string[]; size: number } {
    const font = opts.font ?? this.font;
    const minSize = opts.minSize ?? Math.min(size, 6);
    const words = this.safe(text).split(/\s+/).filter((w) => w !== '');
    for (let sz = size; sz >= minSize - 1e-9; sz -= 0.5) {
      // Smaller rather than a word cut in two (« Ségolène-Marie-Françoise » stays one word).
      if (words.some((w) => this.measure(w, sz, font) > width)) continue;
      const lines = this.wrap(text, sz, width, font).filter((l) => l !== '');
      if (lines.length <= maxLines) return { lines, size: sz };
    }
    const lines = this.wrap(text, minSize, width, font).filter((l) => l !== '');
    const last = lines.slice(maxLines - 1).join(' ');
    return { lines: [...lines.slice(0, maxLines - 1), this.fit(last, minSize, width, font)], size: minSize };
  }

  /** One line at a fixed place (baseline `y`), cut to `width`; the flow position does not move. */
  at(s: string, x: number, y: number, opts: AtOptions = {}): void {
    const size = opts.size ?? 10;
    const font = opts.bold ? this.bold : this.font;
    const t = opts.width === undefined ? this.safe(s) : this.fit(s, size, opts.width, font);
    this.page.drawText(t, { x, y, size, font, color: opts.color ?? COLORS.text });
  }

  /** A paragraph flowing from the current position, wrapped to the width; pages break as needed. */
  text(s: string, opts: TextOptions = {}): void {
    const size = opts.size ?? 10;
    const font = opts.bold ? this.bold : this.font;
    const x = opts.x ?? this.margin;
    const leading = opts.leading ?? size * LINE;
    for (const line of this.wrap(s, size, opts.width ?? this.pageWidth - x - this.margin, font)) {
      this.ensure(leading);
      this.page.drawText(line, { x, y: this.y - size, size, font, color: opts.color ?? COLORS.text });
      this.y -= leading;
    }
    this.y -= opts.gap ?? 0;
  }

  /**
   * A section title, kept with what follows (never alone at the bottom of a page): at least
   * 60 points, or `keepWith` points of what comes after it (e.g. `hbarsHeight(n)` for a chart).
   */
  heading(s: string, opts: { size?: number; color?: RGB; gap?: number; keepWith?: number } = {}): void {
    this.ensure(Math.max(60, 30 + (opts.keepWith ?? 0)));
    this.y -= 6;
    this.text(s, { size: opts.size ?? 13, bold: true, gap: opts.gap ?? 4, color: opts.color });
  }

  /**
   * One table row: cells wrap inside their column; the row moves to a new page if it does not
   * fit, and a row taller than a whole page goes on over the next pages (its cells cut at the
   * same line).
   */
  row(cells: string[], widths: number[], opts: RowOptions = {}): void {
    const size = opts.size ?? 8.5;
    const font = opts.bold ? this.bold : this.font;
    const lineH = size * ROW_LINE;
    let wrapped = cells.map((c, i) => this.wrap(c, size, (widths[i] ?? 0) - 6, font));
    const lines = () => Math.max(0, ...wrapped.map((w) => w.length));
    const heightOf = (n: number) => n * lineH + 5;
    const pageRoom = this.pageHeight - 2 * this.margin;
    if (heightOf(lines()) <= pageRoom) this.ensure(heightOf(lines()));
    else if (this.y - this.margin < heightOf(3)) this.newPage();
    for (;;) {
      const fit = Math.max(1, Math.floor((this.y - this.margin - 5) / lineH));
      const n = Math.min(lines(), fit);
      this.rowSlice(wrapped.map((w) => w.slice(0, n)), widths, size, font, opts, heightOf(n));
      wrapped = wrapped.map((w) => w.slice(n));
      if (lines() === 0) return;
      this.newPage();
    }
  }

  private rowSlice(wrapped: string[][], widths: number[], size: number, font: PDFFont, opts: RowOptions, height: number): void {
    let x = this.margin;
    wrapped.forEach((cellLines, i) => {
      const width = widths[i] ?? 0;
      this.page.drawRectangle({ x, y: this.y - height, width, height, borderColor: COLORS.border, borderWidth: 0.5, color: opts.fill });
      cellLines.forEach((line, j) => {
        const tx = opts.align?.[i] === 'right' ? x + width - 3 - this.measure(line, size, font) : x + 3;
        this.page.drawText(line, { x: tx, y: this.y - 3 - size - j * size * ROW_LINE, size, font, color: COLORS.text });
      });
      x += width;
    });
    this.y -= height;
  }

  /** A table: a shaded bold header row, then the rows. */
  table(head: string[], rows: string[][], widths: number[], opts: { size?: number; align?: ('left' | 'right')[]; gap?: number } = {}): void {
    this.row(head, widths, { size: opts.size, bold: true, fill: COLORS.light });
    for (const r of rows) this.row(r, widths, { size: opts.size, align: opts.align });
    this.y -= opts.gap ?? 0;
  }

  /** A thin horizontal line across the page. */
  rule(): void {
    this.page.drawLine({ start: { x: this.margin, y: this.y - 4 }, end: { x: this.pageWidth - this.margin, y: this.y - 4 }, thickness: 0.5, color: COLORS.border });
    this.y -= 12;
  }

  /** « Fait à …, le … », who signs, and an empty box for the signature and stamp. */
  signature(who: string): void {
    this.ensure(110);
    this.y -= 10;
    this.text('Fait à ………………………………, le ……/……/…………', { gap: 6 });
    this.text(who, { bold: true });
    this.text('(nom, qualité, signature et cachet)', { size: 9, gap: 8 });
    this.page.drawRectangle({ x: this.margin, y: this.y - 60, width: 220, height: 60, borderColor: COLORS.grey, borderWidth: 0.6 });
    this.y -= 70;
  }

  /** Height hbars() takes for `count` bars (to keep a title with its chart). */
  hbarsHeight(count: number, withTarget = false): number {
    return count * 21 + (withTarget ? 16 : 0) + 10;
  }

  /** Height vbars() takes (to keep a title with its chart). */
  vbarsHeight(height = 130): number {
    return height + 40;
  }

  /**
   * Horizontal bars: one per item, value written at the end of the bar; an optional target
   * drawn as a red vertical line with its label.
   */
  hbars(items: { label: string; value: number; display?: string; color?: RGB }[], opts: { max?: number; target?: { value: number; label: string } } = {}): void {
    const labelWidth = 170;
    const chartWidth = this.contentWidth - labelWidth - 70;
    const max = Math.max(1, opts.max ?? 0, opts.target?.value ?? 0, ...items.map((i) => i.value));
    const barH = 14;
    const gap = 7;
    const total = items.length * (barH + gap) + (opts.target ? 16 : 0);
    this.ensure(this.hbarsHeight(items.length, !!opts.target));
    const x0 = this.margin + labelWidth;
    const top = this.y;
    this.page.drawRectangle({ x: x0, y: top - total, width: chartWidth, height: total, color: COLORS.light });
    items.forEach((it, i) => {
      const y = top - (i + 1) * (barH + gap) + gap / 2;
      this.page.drawText(this.wrap(it.label, 8.5, labelWidth - 8)[0], { x: this.margin, y: y + 4, size: 8.5, font: this.font, color: COLORS.text });
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
    const width = this.contentWidth;
    this.ensure(this.vbarsHeight(h));
    const top = this.y;
    const base = top - h;
    const max = Math.max(1, ...items.map((i) => i.value));
    const slot = items.length === 0 ? width : width / items.length;
    const barW = Math.min(34, slot * 0.7);
    this.page.drawRectangle({ x: this.margin, y: base, width, height: h, color: COLORS.light });
    this.page.drawLine({ start: { x: this.margin, y: base }, end: { x: this.margin + width, y: base }, thickness: 0.8, color: COLORS.grey });
    items.forEach((it, i) => {
      const cx = this.margin + slot * i + slot / 2;
      const bh = (it.value / max) * (h - 18);
      if (bh > 0) this.page.drawRectangle({ x: cx - barW / 2, y: base, width: barW, height: bh, color: COLORS.bar });
      const v = String(it.value);
      this.page.drawText(v, { x: cx - this.bold.widthOfTextAtSize(v, 8.5) / 2, y: base + bh + 3, size: 8.5, font: this.bold, color: COLORS.text });
      const l = this.safe(it.label);
      this.page.drawText(l, { x: cx - this.font.widthOfTextAtSize(l, 7.5) / 2, y: base - 11, size: 7.5, font: this.font, color: COLORS.text });
    });
    this.y = base - 22;
  }
}
