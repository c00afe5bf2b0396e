// Feuille d'émargement (A4 landscape, prints in black and white): a header on every page
// (convention, OF, training title and kind, place, dates), one line per participant with a
// signature box per half-day, the trainer's signature box per half-day, page numbers; more
// than four half-days continue on further pages. A blank variant (lines without names) serves
// walk-ins. Convocations: one A4 page per registered participant. Both through the shared
// writer (common/pdf/writer.ts).
import { rgb } from 'pdf-lib';
import type { SessionDetail } from '../../../shared/ipc/channels/sessions';
import { frDate } from '../common/dates';
import { A4_LANDSCAPE, PdfWriter } from '../common/pdf/writer';
import type { ServiceContext } from '../context';
import { AppError } from '../errors';
import { fileStem } from './exports';
import { modalityLabels } from './service';

const M = 34;
const HALF_DAYS_PER_PAGE = 4;
const ROW_H = 27;
const BLACK = rgb(0, 0, 0);
const GREY = rgb(0.35, 0.35, 0.35);
const LIGHT = rgb(0.9, 0.9, 0.9);
/** Label printed in each participant's signature box (and counted by the tests). */
export const SIGNATURE_LABEL = 'Signature';
export const TRAINER_SIGNATURE_LABEL = 'Signature du formateur';

function provider(s: SessionDetail): string {
  return s.internal ? 'Formateurs internes du Conseil départemental' : (s.organismeName ?? 'Organisme de formation à préciser');
}

function datesLine(s: SessionDetail): string {
  return s.halfDays.map((h) => `${h.label} (${h.start.replace(':', 'h')}–${h.end.replace(':', 'h')})`).join(' ; ');
}

export interface EmargementOptions {
  /** Blank variant: no names, only `blankLines` empty lines. */
  blank: boolean;
  /** Empty lines added after the participants (walk-ins). */
  blankLines: number;
}

export async function emargementPdf(ctx: ServiceContext, s: SessionDetail, opts: EmargementOptions): Promise<{ fileName: string; bytes: Uint8Array }> {
  if (s.halfDays.length === 0) throw new AppError('validation', 'La session n’a pas encore de demi-journée : la feuille d’émargement ne peut pas être préparée.');
  const w = await PdfWriter.create({
    title: `Feuille d'émargement — ${s.title}`,
    date: ctx.now(),
    pageSize: A4_LANDSCAPE,
    margin: M,
    footer: `Feuille d’émargement — ${s.title} — signée par chaque participant à chaque demi-journée ; à conserver comme pièce justificative (convention FNE, art. 5.2).`,
  });
  const people = opts.blank ? [] : s.participants.filter((p) => p.status === 'inscrit');
  const lines: ({ nom: string; prenom: string; structure: string } | null)[] = [
    ...people.map((p) => ({ nom: p.nom.toUpperCase(), prenom: p.prenom, structure: p.structureName ?? '' })),
    ...Array.from({ length: opts.blank ? Math.max(1, opts.blankLines) : opts.blankLines }, () => null),
  ];
  const [W, H] = A4_LANDSCAPE;
  const colN = 24;
  const colNom = 118;
  const colPrenom = 100;
  const colStructure = 168;
  const fixed = colN + colNom + colPrenom + colStructure;

  let pages = 0;
  for (let start = 0; start < s.halfDays.length; start += HALF_DAYS_PER_PAGE) {
    const days = s.halfDays.slice(start, start + HALF_DAYS_PER_PAGE);
    const colDay = (W - 2 * M - fixed) / days.length;
    let i = 0;
    let trainerDone = false;
    // Participants, then the trainer's row, page after page.
    while (!trainerDone) {
      if (pages++ > 0) w.newPage();
      const page = w.page;
      let y = H - M;
      // Header
      w.at('Feuille d’émargement', M, y - 14, { bold: true, size: 16, width: 300, color: BLACK });
      w.at(opts.blank ? 'Lignes vierges (participants non prévus sur la liste)' : `${people.length} participant${people.length > 1 ? 's' : ''} inscrit${people.length > 1 ? 's' : ''}`, W - M - 300, y - 12, { size: 9, width: 300, color: GREY });
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
        w.at(`${k} :`, M, y, { bold: true, size: 9, width: 80, color: BLACK });
        w.at(v, M + 82, y, { size: 9, width: W - 2 * M - 82, color: BLACK });
        y -= 12;
      }
      y -= 6;
      // Column headers
      const headH = 26;
      page.drawRectangle({ x: M, y: y - headH, width: W - 2 * M, height: headH, color: LIGHT, borderColor: BLACK, borderWidth: 0.8 });
      let x = M;
      const heads: [string, number][] = [['N°', colN], ['Nom', colNom], ['Prénom', colPrenom], ['Structure', colStructure]];
      for (const [t, cw] of heads) {
        w.at(t, x + 4, y - 16, { bold: true, size: 9, width: cw - 8, color: BLACK });
        x += cw;
      }
      for (const d of days) {
        page.drawLine({ start: { x, y }, end: { x, y: y - headH }, thickness: 0.8, color: BLACK });
        const head = w.fitLines(d.label, 8.5, colDay - 8, 1, { font: w.bold });
        w.at(head.lines[0] ?? '', x + 4, y - 11, { bold: true, size: head.size, width: colDay - 8, color: BLACK });
        w.at(`${d.start.replace(':', 'h')} – ${d.end.replace(':', 'h')}`, x + 4, y - 22, { size: 8, width: colDay - 8, color: BLACK });
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
        w.at(String(i + 1), cx + 4, y - 17, { size: 9, width: colN - 6, color: BLACK });
        cx += colN;
        if (l) {
          // Names are printed whole (two lines, smaller if need be): a person signs next to their own name.
          const cell = (text: string, x0: number, cw: number, size: number, bold = false) => {
            const f = w.fitLines(text, size, cw - 8, 2, { font: bold ? w.bold : w.font });
            f.lines.forEach((t, k) => w.at(t, x0 + 4, y - (f.lines.length === 1 ? 17 : 11 + k * 9), { size: f.size, bold, width: cw - 8, color: BLACK }));
          };
          cell(l.nom, cx, colNom, 9, true);
          cell(l.prenom, cx + colNom, colPrenom, 9);
          cell(l.structure, cx + colNom + colPrenom, colStructure, 7.5);
        }
        for (const cw of [colNom, colPrenom, colStructure]) {
          page.drawLine({ start: { x: cx, y }, end: { x: cx, y: y - ROW_H }, thickness: 0.6, color: BLACK });
          cx += cw;
        }
        for (let k = 0; k < days.length; k++) {
          page.drawLine({ start: { x: cx, y }, end: { x: cx, y: y - ROW_H }, thickness: 0.6, color: BLACK });
          w.at(SIGNATURE_LABEL, cx + 3, y - 7.5, { size: 5.5, color: GREY });
          cx += colDay;
        }
        y -= ROW_H;
        i++;
      }
      if (i >= lines.length && y - 6 - trainerH >= bottom) {
        // Trainer's signature per half-day.
        y -= 6;
        page.drawRectangle({ x: M, y: y - trainerH, width: W - 2 * M, height: trainerH, borderColor: BLACK, borderWidth: 0.8 });
        w.at('Formateur', M + 4, y - 16, { bold: true, size: 9, width: fixed - 8, color: BLACK });
        w.at(s.trainers.length ? s.trainers.join(', ') : 'Nom : ______________________', M + 4, y - 30, { size: 8.5, width: fixed - 8, color: BLACK });
        let cx = M + fixed;
        for (let k = 0; k < days.length; k++) {
          page.drawLine({ start: { x: cx, y }, end: { x: cx, y: y - trainerH }, thickness: 0.8, color: BLACK });
          w.at(TRAINER_SIGNATURE_LABEL, cx + 3, y - 8, { size: 6, color: GREY });
          cx += colDay;
        }
        trainerDone = true;
      }
    }
  }
  const bytes = await w.save();
  const first = s.firstDate ?? 'session';
  return { fileName: `emargement-${first}-${fileStem(s.title)}${opts.blank ? '-vierge' : ''}.pdf`, bytes };
}

export async function convocationsPdf(ctx: ServiceContext, s: SessionDetail): Promise<{ fileName: string; bytes: Uint8Array }> {
  const people = s.participants.filter((p) => p.status === 'inscrit');
  if (people.length === 0) throw new AppError('validation', 'Aucune personne n’est inscrite à cette session : pas de convocation à préparer.');
  const w = await PdfWriter.create({ title: `Convocations — ${s.title}`, date: ctx.now(), margin: 56, footer: `Convocations — ${s.title}` });
  /** One paragraph; `leading` from one baseline to the next. Nothing for an empty text. */
  const line = (text: string, size = 10.5, bold = false, leading = 15) => {
    if (text.trim() !== '') w.text(text, { size, bold, leading, color: BLACK });
  };
  people.forEach((p, n) => {
    if (n > 0) w.newPage();
    line(s.conventionLabel, 9, false, 12);
    w.y -= 20;
    line('Convocation à une formation', 18, true, 24);
    line(`${s.kindLabel} — France Numérique Ensemble`, 11, false, 16);
    w.y -= 16;
    line(`${p.prenom} ${p.nom}`, 12, true, 16);
    if (p.structureName) line(p.structureName);
    if (p.email) line(p.email);
    w.y -= 16;
    line(`Vous êtes inscrit(e) à la formation « ${s.title} », animée par ${provider(s)}.`);
    w.y -= 6;
    line(s.modality === 'distance' ? 'Formation à distance — lien de connexion :' : 'Lieu :', 10.5, true);
    line(s.place ?? '');
    w.y -= 6;
    line('Dates et horaires :', 10.5, true);
    for (const h of s.halfDays) line(`• ${h.label}, de ${h.start.replace(':', 'h')} à ${h.end.replace(':', 'h')}`);
    w.y -= 10;
    line('Votre présence est demandée à chaque demi-journée : vous signerez la feuille d’émargement au début de chacune. En cas d’empêchement, prévenez le Conseil départemental au plus tôt afin que votre place profite à une autre personne.');
    if (s.kind !== 'AN') {
      w.y -= 6;
      line('Formation Aidants Connect : après la formation, un test Pix (environ 30 minutes) vous sera proposé ; l’ANCT ouvre ensuite votre habilitation.');
    }
    w.y -= 20;
    line(`Fait le ${frDate(ctx.now().toISOString().slice(0, 10))}.`);
  });
  return { fileName: `convocations-${s.firstDate ?? 'session'}-${fileStem(s.title)}.pdf`, bytes: await w.save() };
}
