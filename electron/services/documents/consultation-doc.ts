// The demande de devis / cahier des charges as a document: one content model (sections of
// paragraphs, lists and one table) written twice — PDF with the shared writer (to send), Word with the
// `docx` package (for an officer who wants to rework the layout). Built from the stored
// consultation only.
import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import type { Consultation } from '../../../shared/ipc/channels/documents';
import { frDate } from '../common/dates';
import { COLORS, PdfWriter } from '../common/pdf/writer';
import type { ServiceContext } from '../context';
import { assertConsultationSaved, getConsultation } from './consultation';

type Block = { kind: 'p'; text: string; small?: boolean } | { kind: 'list'; items: string[] } | { kind: 'table'; head: string[]; rows: string[][]; widths: number[] } | { kind: 'h2'; text: string };

export interface ConsultationContent {
  /** The document's date (ISO), also the PDF's creation date: the same content gives the same bytes. */
  date: string;
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
    date: today,
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

export async function consultationPdfBytes(content: ConsultationContent): Promise<Uint8Array> {
  const w = await PdfWriter.create({ title: `Demande de devis — ${content.subtitle}`, date: new Date(`${content.date}T00:00:00Z`) });
  w.text(content.issuer, { bold: true, size: 11, gap: 10 });
  w.text(content.title, { bold: true, size: 16 });
  w.text(content.subtitle, { size: 10, gap: 4 });
  for (const m of content.meta) w.text(m, { size: 9 });
  w.y -= 6;
  for (const b of content.blocks) {
    if (b.kind === 'h2') w.heading(b.text, { size: 11, gap: 2, color: COLORS.heading });
    else if (b.kind === 'p') w.text(b.text, { size: b.small ? 9 : 10, gap: 3 });
    else if (b.kind === 'list') for (const item of b.items) w.text(`•  ${item}`, { size: 10, x: w.margin + 8, gap: 2 });
    else w.table(b.head, b.rows, b.widths, { size: 9, gap: 6 });
  }
  return w.save();
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
