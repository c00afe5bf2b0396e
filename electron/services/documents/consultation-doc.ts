// The demande de devis / cahier des charges as a document: one content model (sections of
// paragraphs, lists and one table) written twice — PDF with pdf-lib (to send), Word with the
// `docx` package (for an officer who wants to rework the layout). Built from the stored
// consultation only.
import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import type { Consultation } from '../../../shared/ipc/channels/documents';
import { frDate } from '../common/dates';
import type { ServiceContext } from '../context';
import { assertConsultationSaved, getConsultation } from './consultation';

type Block = { kind: 'p'; text: string; small?: boolean } | { kind: 'list'; items: string[] } | { kind: 'table'; head: string[]; rows: string[][]; widths: number[] } | { kind: 'h2'; text: string };

export interface ConsultationContent {
  title: string;
  issuer: string;
  subtitle: string;
  meta: string[];
  blocks: Block[];
}

export function consultationContent(c: Consultation, today: string): ConsultationContent {
  const n = c.need;
  const perGroup = Math.ceil(n.seats / c.groups);
  const blocks: Block[] = [
    { kind: 'h2', text: '1. Contexte' },
    { kind: 'p', text: c.contextText },
    { kind: 'h2', text: '2. Objet et volume de la prestation' },
    {
      kind: 'table',
      head: ['Formation', 'Places', 'Groupes', 'Période', 'Modalité'],
      rows: [[n.kindLabel, String(n.seats), `${c.groups} (≈ ${perGroup} pers.)`, n.period, c.modalityLabel]],
      widths: [150, 50, 80, 130, 85],
    },
    { kind: 'h2', text: '3. Public' },
    { kind: 'p', text: c.publicText },
    { kind: 'h2', text: '4. Lieux et calendrier' },
    { kind: 'p', text: c.placesText },
    { kind: 'h2', text: '5. Contenu attendu' },
    { kind: 'p', text: c.contentText },
    { kind: 'h2', text: '6. Exigences' },
    { kind: 'list', items: c.requirements },
    { kind: 'h2', text: '7. Documents à fournir' },
    { kind: 'p', text: 'Avec l’offre :' },
    { kind: 'list', items: c.documentsWithOffer },
    { kind: 'p', text: 'Après chaque session :' },
    { kind: 'list', items: c.documentsAfterSessions },
    { kind: 'h2', text: '8. Critères de choix' },
    { kind: 'p', text: c.criteriaText },
  ];
  if (c.otherText) blocks.push({ kind: 'h2', text: '9. Autres précisions' }, { kind: 'p', text: c.otherText });
  blocks.push(
    { kind: 'h2', text: c.otherText ? '10. Réponse' : '9. Réponse' },
    {
      kind: 'p',
      text: `Offre à adresser avant le ${frDate(c.deadline)}${c.contact ? ` à : ${c.contact}` : ''}. Une offre reçue après cette date pourra ne pas être examinée.`,
    },
  );
  return {
    title: 'DEMANDE DE DEVIS — CAHIER DES CHARGES',
    issuer: n.beneficiaireNom,
    subtitle: `${n.kindLabel} — programme France Numérique Ensemble — ${n.conventionLabel}`,
    meta: [
      ...(c.reference ? [`Référence : ${c.reference}`] : []),
      `Date : ${frDate(today)}`,
      `Réponse attendue avant le ${frDate(c.deadline)}`,
      ...(c.contact ? [`Contact : ${c.contact}`] : []),
    ],
    blocks,
  };
}

// ---------------------------------------------------------------------------------------------
// PDF

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 50;

class PdfWriter {
  page: PDFPage;
  y: number;
  private readonly ok = new Map<string, boolean>();
  constructor(
    private readonly doc: PDFDocument,
    private readonly font: PDFFont,
    private readonly bold: PDFFont,
  ) {
    this.page = doc.addPage(A4);
    this.y = A4[1] - MARGIN;
  }
  /** Characters Helvetica (WinAnsi) cannot draw become close equivalents or « ? ». */
  safe(s: string): string {
    let out = '';
    for (const ch of s.replace(/[\u202f\u2009\u00a0]/g, ' ').replace(/≈/g, '~')) {
      let good = this.ok.get(ch);
      if (good === undefined) {
        try {
          this.font.encodeText(ch);
          good = true;
        } catch {
          good = false;
        }
        this.ok.set(ch, good);
      }
      out += good ? ch : '?';
    }
    return out;
  }
  wrap(text: string, size: number, width: number, font: PDFFont): string[] {
    const lines: string[] = [];
    for (const raw of text.split(/\r?\n/)) {
      const para = this.safe(raw);
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
  ensure(height: number): void {
    if (this.y - height < MARGIN) {
      this.page = this.doc.addPage(A4);
      this.y = A4[1] - MARGIN;
    }
  }
  text(s: string, o: { size?: number; bold?: boolean; x?: number; gap?: number; color?: [number, number, number] } = {}): void {
    const size = o.size ?? 10;
    const font = o.bold ? this.bold : this.font;
    const x = o.x ?? MARGIN;
    for (const line of this.wrap(s, size, A4[0] - x - MARGIN, font)) {
      this.ensure(size * 1.35);
      this.page.drawText(line, { x, y: this.y - size, size, font, color: o.color ? rgb(...o.color) : undefined });
      this.y -= size * 1.35;
    }
    this.y -= o.gap ?? 0;
  }
  table(head: string[], rows: string[][], widths: number[]): void {
    const draw = (cells: string[], bold: boolean) => {
      const size = 9;
      const font = bold ? this.bold : this.font;
      const wrapped = cells.map((c, i) => this.wrap(c, size, widths[i] - 6, font));
      const height = Math.max(...wrapped.map((w) => w.length)) * size * 1.3 + 6;
      this.ensure(height);
      let x = MARGIN;
      cells.forEach((_, i) => {
        this.page.drawRectangle({ x, y: this.y - height, width: widths[i], height, borderColor: rgb(0.5, 0.5, 0.5), borderWidth: 0.5, color: bold ? rgb(0.92, 0.94, 0.97) : undefined });
        wrapped[i].forEach((line, j) => this.page.drawText(line, { x: x + 3, y: this.y - 3 - size - j * size * 1.3, size, font }));
        x += widths[i];
      });
      this.y -= height;
    };
    draw(head, true);
    for (const r of rows) draw(r, false);
    this.y -= 6;
  }
}

export async function consultationPdfBytes(content: ConsultationContent): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(`Demande de devis — ${content.subtitle}`);
  doc.setCreator('FNE Formations');
  doc.setProducer('FNE Formations');
  const w = new PdfWriter(doc, await doc.embedFont(StandardFonts.Helvetica), await doc.embedFont(StandardFonts.HelveticaBold));
  w.text(content.issuer, { bold: true, size: 11, gap: 10 });
  w.text(content.title, { bold: true, size: 16 });
  w.text(content.subtitle, { size: 10, gap: 4 });
  for (const m of content.meta) w.text(m, { size: 9 });
  w.y -= 6;
  for (const b of content.blocks) {
    if (b.kind === 'h2') {
      w.ensure(40);
      w.y -= 6;
      w.text(b.text, { bold: true, size: 11, gap: 2, color: [0.1, 0.2, 0.45] });
    } else if (b.kind === 'p') w.text(b.text, { size: b.small ? 9 : 10, gap: 3 });
    else if (b.kind === 'list') for (const item of b.items) w.text(`•  ${item}`, { size: 10, x: MARGIN + 8, gap: 2 });
    else w.table(b.head, b.rows, b.widths);
  }
  return doc.save();
}

// ---------------------------------------------------------------------------------------------
// Word

export async function consultationDocxBytes(content: ConsultationContent): Promise<Uint8Array> {
  const paras = (text: string, size = 21) => text.split(/\r?\n/).map((t) => new Paragraph({ children: [new TextRun({ text: t, size })], spacing: { after: 80 } }));
  const children: (Paragraph | Table)[] = [
    new Paragraph({ children: [new TextRun({ text: content.issuer, bold: true, size: 22 })], spacing: { after: 200 } }),
    new Paragraph({ heading: HeadingLevel.TITLE, alignment: AlignmentType.LEFT, children: [new TextRun({ text: content.title, bold: true, size: 32 })] }),
    new Paragraph({ children: [new TextRun({ text: content.subtitle, size: 21 })], spacing: { after: 120 } }),
    ...content.meta.map((m) => new Paragraph({ children: [new TextRun({ text: m, size: 18 })] })),
  ];
  for (const b of content.blocks) {
    if (b.kind === 'h2') children.push(new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun({ text: b.text })], spacing: { before: 240, after: 80 } }));
    else if (b.kind === 'p') children.push(...paras(b.text));
    else if (b.kind === 'list') for (const item of b.items) children.push(new Paragraph({ bullet: { level: 0 }, children: [new TextRun({ text: item, size: 21 })] }));
    else {
      const cell = (t: string, bold: boolean) => new TableCell({ children: [new Paragraph({ children: [new TextRun({ text: t, bold, size: 19 })] })] });
      children.push(
        new Table({
          width: { size: 100, type: WidthType.PERCENTAGE },
          rows: [new TableRow({ tableHeader: true, children: b.head.map((h) => cell(h, true)) }), ...b.rows.map((r) => new TableRow({ children: r.map((t) => cell(t, false)) }))],
        }),
      );
    }
  }
  const doc = new Document({
    creator: 'FNE Formations',
    title: `Demande de devis — ${content.subtitle}`,
    styles: { default: { document: { run: { font: 'Arial' } } } },
    sections: [{ children }],
  });
  return new Uint8Array(await Packer.toBuffer(doc));
}

export async function consultationDocument(ctx: ServiceContext, marcheId: number, format: 'pdf' | 'docx'): Promise<{ fileName: string; bytes: Uint8Array }> {
  const c = await getConsultation(ctx, marcheId);
  assertConsultationSaved(c);
  const content = consultationContent(c, ctx.now().toISOString().slice(0, 10));
  const base = `demande-de-devis-marche-${marcheId}`;
  return format === 'pdf' ? { fileName: `${base}.pdf`, bytes: await consultationPdfBytes(content) } : { fileName: `${base}.docx`, bytes: await consultationDocxBytes(content) };
}
