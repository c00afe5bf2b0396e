// Feuille d'émargement (A4 landscape, prints in black and white): a header on every page
// (convention, OF, training title and kind, place, dates), one line per participant with a
// signature box per half-day, the trainer's signature box per half-day, page numbers; more
// than four half-days continue on further pages. A blank variant (lines without names) serves
// walk-ins. Convocations: one A4 page per registered participant.
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import type { SessionDetail } from '../../../shared/ipc/channels/sessions';
import { frDate } from '../common/dates';
import type { ServiceContext } from '../context';
import { AppError } from '../errors';
import { fileStem } from './exports';
import { modalityLabels } from './service';

const LANDSCAPE: [number, number] = [841.89, 595.28];
const PORTRAIT: [number, number] = [595.28, 841.89];
const M = 34;
const HALF_DAYS_PER_PAGE = 4;
const ROW_H = 27;
const BLACK = rgb(0, 0, 0);
const GREY = rgb(0.35, 0.35, 0.35);
const LIGHT = rgb(0.9, 0.9, 0.9);
/** Label printed in each participant's signature box (and counted by the tests). */
export const SIGNATURE_LABEL = 'Signature';
export const TRAINER_SIGNATURE_LABEL = 'Signature du formateur';

interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
}

/** Text the standard font can draw (WinAnsi): other characters lose their accent or become '?'. */
function encodable(font: PDFFont, text: string): string {
  let out = '';
  for (const ch of text.replace(/[\u202f\u00a0\t\r\n]/g, ' ')) {
    try {
      font.encodeText(ch);
      out += ch;
    } catch {
      const base = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
      let ok = false;
      try {
        if (base && base !== ch) {
          font.encodeText(base);
          ok = true;
        }
      } catch {
        ok = false;
      }
      out += ok ? base : '?';
    }
  }
  return out;
}

function fit(font: PDFFont, text: string, size: number, width: number): string {
  let t = encodable(font, text);
  if (font.widthOfTextAtSize(t, size) <= width) return t;
  while (t.length > 1 && font.widthOfTextAtSize(t + '…', size) > width) t = t.slice(0, -1);
  return t.trimEnd() + '…';
}

function draw(page: PDFPage, font: PDFFont, text: string, x: number, y: number, size: number, width: number, color = BLACK): void {
  page.drawText(fit(font, text, size, width), { x, y, size, font, color });
}

/** Wrapped lines of a text within a width. */
function wrap(font: PDFFont, text: string, size: number, width: number): string[] {
  const words = encodable(font, text).split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let cur = '';
  for (const w of words) {
    const next = cur ? `${cur} ${w}` : w;
    if (font.widthOfTextAtSize(next, size) <= width || !cur) cur = next;
    else {
      lines.push(cur);
      cur = w;
    }
  }
  if (cur) lines.push(cur);
  return lines;
}

function provider(s: SessionDetail): string {
  return s.internal ? 'Formateurs internes du Conseil départemental' : (s.organismeName ?? 'Organisme de formation à préciser');
}

function datesLine(s: SessionDetail): string {
  return s.halfDays.map((h) => `${h.label} (${h.start.replace(':', 'h')}–${h.end.replace(':', 'h')})`).join(' ; ');
}

async function newDoc(title: string, date: Date): Promise<{ doc: PDFDocument; f: Fonts }> {
  const doc = await PDFDocument.create();
  doc.setTitle(title);
  doc.setCreator('FNE Formations');
  doc.setProducer('FNE Formations');
  doc.setLanguage('fr-FR');
  doc.setCreationDate(date);
  doc.setModificationDate(date);
  return { doc, f: { regular: await doc.embedFont(StandardFonts.Helvetica), bold: await doc.embedFont(StandardFonts.HelveticaBold) } };
}

function pageNumbers(doc: PDFDocument, f: Fonts, footer: string): void {
  const pages = doc.getPages();
  pages.forEach((p, i) => {
    const { width } = p.getSize();
    draw(p, f.regular, footer, M, 16, 7.5, width - 2 * M - 90, GREY);
    const n = encodable(f.regular, `Page ${i + 1} / ${pages.length}`);
    p.drawText(n, { x: width - M - f.regular.widthOfTextAtSize(n, 8), y: 16, size: 8, font: f.regular, color: BLACK });
  });
}

export interface EmargementOptions {
  /** Blank variant: no names, only `blankLines` empty lines. */
  blank: boolean;
  /** Empty lines added after the participants (walk-ins). */
  blankLines: number;
}

export async function emargementPdf(ctx: ServiceContext, s: SessionDetail, opts: EmargementOptions): Promise<{ fileName: string; bytes: Uint8Array }> {
  if (s.halfDays.length === 0) throw new AppError('validation', 'La session n’a pas encore de demi-journée : la feuille d’émargement ne peut pas être préparée.');
  const { doc, f } = await newDoc(`Feuille d'émargement — ${s.title}`, ctx.now());
  const people = opts.blank ? [] : s.participants.filter((p) => p.status === 'inscrit');
  const lines: ({ nom: string; prenom: string; structure: string } | null)[] = [
    ...people.map((p) => ({ nom: p.nom.toUpperCase(), prenom: p.prenom, structure: p.structureName ?? '' })),
    ...Array.from({ length: opts.blank ? Math.max(1, opts.blankLines) : opts.blankLines }, () => null),
  ];
  const [W, H] = LANDSCAPE;
  const colN = 24;
  const colNom = 118;
  const colPrenom = 100;
  const colStructure = 168;
  const fixed = colN + colNom + colPrenom + colStructure;

  for (let start = 0; start < s.halfDays.length; start += HALF_DAYS_PER_PAGE) {
    const days = s.halfDays.slice(start, start + HALF_DAYS_PER_PAGE);
    const colDay = (W - 2 * M - fixed) / days.length;
    let i = 0;
    let trainerDone = false;
    // Participants, then the trainer's row, page after page.
    while (!trainerDone) {
      const page = doc.addPage(LANDSCAPE);
      let y = H - M;
      // Header
      draw(page, f.bold, 'Feuille d’émargement', M, y - 14, 16, 300);
      draw(page, f.regular, opts.blank ? 'Lignes vierges (participants non prévus sur la liste)' : `${people.length} participant${people.length > 1 ? 's' : ''} inscrit${people.length > 1 ? 's' : ''}`, W - M - 300, y - 12, 9, 300, GREY);
      y -= 30;
      const info: [string, string][] = [
        ['Formation', `${s.title} — ${s.kindLabel}`],
        ['Organisme', provider(s)],
        ['Convention', s.conventionLabel],
        [s.modality === 'distance' ? 'À distance' : 'Lieu', `${s.place ?? ''}${s.modality === 'distance' ? '' : ` (${modalityLabels[s.modality].toLowerCase()})`}`],
        ['Dates', datesLine(s)],
      ];
      if (s.trainers.length) info.push(['Formateur(s)', s.trainers.join(', ')]);
      for (const [k, v] of info) {
        draw(page, f.bold, `${k} :`, M, y, 9, 80);
        draw(page, f.regular, v, M + 82, y, 9, W - 2 * M - 82);
        y -= 12;
      }
      y -= 6;
      // Column headers
      const headH = 26;
      page.drawRectangle({ x: M, y: y - headH, width: W - 2 * M, height: headH, color: LIGHT, borderColor: BLACK, borderWidth: 0.8 });
      let x = M;
      const heads: [string, number][] = [['N°', colN], ['Nom', colNom], ['Prénom', colPrenom], ['Structure', colStructure]];
      for (const [t, w] of heads) {
        draw(page, f.bold, t, x + 4, y - 16, 9, w - 8);
        x += w;
      }
      for (const d of days) {
        page.drawLine({ start: { x, y }, end: { x, y: y - headH }, thickness: 0.8, color: BLACK });
        draw(page, f.bold, d.label, x + 4, y - 11, 8.5, colDay - 8);
        draw(page, f.regular, `${d.start.replace(':', 'h')} – ${d.end.replace(':', 'h')}`, x + 4, y - 22, 8, colDay - 8);
        x += colDay;
      }
      y -= headH;
      const bottom = M + 14;
      const trainerH = 44;
      // Rows
      while (i < lines.length && y - ROW_H >= bottom) {
        const l = lines[i];
        page.drawRectangle({ x: M, y: y - ROW_H, width: W - 2 * M, height: ROW_H, borderColor: BLACK, borderWidth: 0.6 });
        let cx = M;
        draw(page, f.regular, String(i + 1), cx + 4, y - 17, 9, colN - 6);
        cx += colN;
        if (l) {
          draw(page, f.bold, l.nom, cx + 4, y - 17, 9, colNom - 8);
          draw(page, f.regular, l.prenom, cx + colNom + 4, y - 17, 9, colPrenom - 8);
          const st = wrap(f.regular, l.structure, 7.5, colStructure - 8).slice(0, 2);
          st.forEach((t, k) => draw(page, f.regular, t, cx + colNom + colPrenom + 4, y - (st.length === 1 ? 17 : 11 + k * 9), 7.5, colStructure - 8));
        }
        for (const w of [colNom, colPrenom, colStructure]) {
          page.drawLine({ start: { x: cx, y }, end: { x: cx, y: y - ROW_H }, thickness: 0.6, color: BLACK });
          cx += w;
        }
        for (let k = 0; k < days.length; k++) {
          page.drawLine({ start: { x: cx, y }, end: { x: cx, y: y - ROW_H }, thickness: 0.6, color: BLACK });
          page.drawText(SIGNATURE_LABEL, { x: cx + 3, y: y - 7.5, size: 5.5, font: f.regular, color: GREY });
          cx += colDay;
        }
        y -= ROW_H;
        i++;
      }
      if (i >= lines.length && y - 6 - trainerH >= bottom) {
        // Trainer's signature per half-day.
        y -= 6;
        page.drawRectangle({ x: M, y: y - trainerH, width: W - 2 * M, height: trainerH, borderColor: BLACK, borderWidth: 0.8 });
        draw(page, f.bold, 'Formateur', M + 4, y - 16, 9, fixed - 8);
        draw(page, f.regular, s.trainers.length ? s.trainers.join(', ') : 'Nom : ______________________', M + 4, y - 30, 8.5, fixed - 8);
        let cx = M + fixed;
        for (let k = 0; k < days.length; k++) {
          page.drawLine({ start: { x: cx, y }, end: { x: cx, y: y - trainerH }, thickness: 0.8, color: BLACK });
          page.drawText(TRAINER_SIGNATURE_LABEL, { x: cx + 3, y: y - 8, size: 6, font: f.regular, color: GREY });
          cx += colDay;
        }
        trainerDone = true;
      }
    }
  }
  pageNumbers(doc, f, `Feuille d’émargement — ${s.title} — signée par chaque participant à chaque demi-journée ; à conserver comme pièce justificative (convention FNE, art. 5.2).`);
  const bytes = await doc.save();
  const first = s.firstDate ?? 'session';
  return { fileName: `emargement-${first}-${fileStem(s.title)}${opts.blank ? '-vierge' : ''}.pdf`, bytes };
}

export async function convocationsPdf(ctx: ServiceContext, s: SessionDetail): Promise<{ fileName: string; bytes: Uint8Array }> {
  const people = s.participants.filter((p) => p.status === 'inscrit');
  if (people.length === 0) throw new AppError('validation', 'Aucune personne n’est inscrite à cette session : pas de convocation à préparer.');
  const { doc, f } = await newDoc(`Convocations — ${s.title}`, ctx.now());
  const [W, H] = PORTRAIT;
  const width = W - 2 * 56;
  for (const p of people) {
    const page = doc.addPage(PORTRAIT);
    let y = H - 70;
    const line = (text: string, size = 10.5, font = f.regular, gap = 15) => {
      for (const l of wrap(font, text, size, width)) {
        page.drawText(l, { x: 56, y, size, font, color: BLACK });
        y -= gap;
      }
    };
    line(s.conventionLabel, 9, f.regular, 12);
    y -= 20;
    line('Convocation à une formation', 18, f.bold, 24);
    line(`${s.kindLabel} — France Numérique Ensemble`, 11, f.regular, 16);
    y -= 16;
    line(`${p.prenom} ${p.nom}`, 12, f.bold, 16);
    if (p.structureName) line(p.structureName);
    if (p.email) line(p.email);
    y -= 16;
    line(`Vous êtes inscrit(e) à la formation « ${s.title} », animée par ${provider(s)}.`);
    y -= 6;
    line(s.modality === 'distance' ? 'Formation à distance — lien de connexion :' : 'Lieu :', 10.5, f.bold);
    line(s.place ?? '');
    y -= 6;
    line('Dates et horaires :', 10.5, f.bold);
    for (const h of s.halfDays) line(`• ${h.label}, de ${h.start.replace(':', 'h')} à ${h.end.replace(':', 'h')}`);
    y -= 10;
    line('Votre présence est demandée à chaque demi-journée : vous signerez la feuille d’émargement au début de chacune. En cas d’empêchement, prévenez le Conseil départemental au plus tôt afin que votre place profite à une autre personne.');
    if (s.kind !== 'AN') {
      y -= 6;
      line('Formation Aidants Connect : après la formation, un test Pix (environ 30 minutes) vous sera proposé ; l’ANCT ouvre ensuite votre habilitation.');
    }
    y -= 20;
    line(`Fait le ${frDate(ctx.now().toISOString().slice(0, 10))}.`);
  }
  pageNumbers(doc, f, `Convocations — ${s.title}`);
  return { fileName: `convocations-${s.firstDate ?? 'session'}-${fileStem(s.title)}.pdf`, bytes: await doc.save() };
}
