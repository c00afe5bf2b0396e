// The lists the officer sends: to the OF, the participants of a session (only the columns the OF
// needs — data minimisation); to ANCT before an Aidants Connect training, the structures and
// professionals to train with the FNE follow-up table's own column names, so ANCT can paste it.
// xlsx (SheetJS) or CSV (UTF-8 with BOM, ';'); every text cell goes through the shared guard.
import * as XLSX from 'xlsx';
import type { TrainingKind } from '../../db/tables/marche';
import { frDate } from '../common/dates';
import { neutraliseCell, toSafeCsv } from '../common/spreadsheet-safety';
import type { ServiceContext } from '../context';
import { AppError, notFound } from '../errors';
import { hasAttended, includesAidantsConnect } from './rules';

/** Exactly what the OF receives per participant (nothing more). */
export const OF_COLUMNS = ['Nom', 'Prénom', 'Fonction', 'E-mail', 'Téléphone', 'Structure', 'SIRET', 'Adresse', 'Code postal', 'Ville'] as const;

/** The columns of ANCT's FNE follow-up table, in its order. */
export const ANCT_COLUMNS = [
  'Date_de_la_demande',
  'Nom_de_la_structure',
  'Type_de_structure',
  'Adresse',
  'Code_postal',
  'Ville',
  'Departement',
  'E_mail_de_contact',
  'Numero_Siret',
  'Numero_d_habilitation_Aidants_Connect',
  'Nom_du_professionnel',
  'Prenom_du_professionnel',
  'Adresse_e_mail',
  'Profession',
  'Eligibilite_validee',
  'Choix_de_la_formation',
  'Validation_du_financement',
  'A_participe_a_la_session',
] as const;

/** How the FNE table names the trainings (Choix_de_la_formation). */
const FNE_TRAINING: Record<TrainingKind, string> = { AN: 'Aidants Numériques', AC: 'Aidants Connect', AN_AC: 'Les deux' };

export function fileStem(s: string): string {
  return (
    s
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .toLowerCase()
      .slice(0, 60) || 'session'
  );
}

interface ExportRow {
  registration_id: number;
  session_id: number;
  kind: TrainingKind;
  nom: string;
  prenom: string;
  profession: string | null;
  email: string | null;
  phone: string | null;
  request_date: string | null;
  structure_name: string | null;
  structure_type: string | null;
  siret: string | null;
  siren: string | null;
  address: string | null;
  postcode: string | null;
  city: string | null;
  departement: string | null;
  structure_email: string | null;
  habilitation_ac: string | null;
  ac_status: string | null;
  partial_reason: string | null;
  half_days: number;
  present: number;
  recorded: number;
}

function rowsOf(ctx: ServiceContext, where: string, params: unknown[]): ExportRow[] {
  return ctx.store.sqlite
    .prepare(
      `SELECT r.id AS registration_id, r.session_id, s.kind, p.nom, p.prenom, p.profession, p.email, p.phone, p.request_date,
         st.name AS structure_name, st.type AS structure_type, st.siret, st.siren, st.address, st.postcode, st.city, st.departement,
         st.email AS structure_email, st.habilitation_ac, f.status AS ac_status, r.partial_reason,
         (SELECT count(*) FROM session_half_days h WHERE h.session_id = s.id) AS half_days,
         (SELECT count(*) FROM attendance a WHERE a.registration_id = r.id AND a.status = 'present') AS present,
         (SELECT count(*) FROM attendance a WHERE a.registration_id = r.id) AS recorded
       FROM registrations r JOIN sessions s ON s.id = r.session_id JOIN people p ON p.id = r.person_id
       LEFT JOIN structures st ON st.id = p.structure_id LEFT JOIN ac_followups f ON f.person_id = p.id
       WHERE r.status = 'inscrit' AND s.status = 'prevue' AND ${where}
       ORDER BY p.name_key, r.id`,
    )
    .all(...params) as ExportRow[];
}

const VALIDATED = new Set(['eligibilite_validee', 'inscrit', 'bac_a_sable', 'forme', 'pix', 'presence_transmise', 'habilite']);

/**
 * The answers in the spelling of ANCT's own FNE table (its Grist export writes « Oui » / « Non »
 * for Eligibilite_validee and « OUI » / « NON » for Validation_du_financement and
 * A_participe_a_la_session), so that a pasted column keeps ANCT's choices. Unknown stays empty.
 */
export const FNE_ANSWERS = {
  eligibilite: { yes: 'Oui', no: 'Non' },
  financement: { yes: 'OUI', no: 'NON' },
  participe: { yes: 'OUI', no: 'NON' },
} as const;

export function ofRow(r: ExportRow): (string | null)[] {
  return [r.nom, r.prenom, r.profession, r.email, r.phone, r.structure_name, r.siret ?? r.siren, r.address, r.postcode, r.city];
}

export function anctRow(r: ExportRow): (string | null)[] {
  const attended = hasAttended({ halfDays: r.half_days, present: r.present, partialReason: r.partial_reason });
  return [
    r.request_date ? frDate(r.request_date) : null,
    r.structure_name,
    r.structure_type,
    r.address,
    r.postcode,
    r.city,
    r.departement,
    r.structure_email,
    r.siret ?? r.siren,
    r.habilitation_ac,
    r.nom,
    r.prenom,
    r.email,
    r.profession,
    r.ac_status && VALIDATED.has(r.ac_status) ? FNE_ANSWERS.eligibilite.yes : r.ac_status === 'refuse' ? FNE_ANSWERS.eligibilite.no : null,
    FNE_TRAINING[r.kind],
    // Registered in a session the CD pays for: the funding is validated.
    FNE_ANSWERS.financement.yes,
    // « NON » only once every half-day is recorded and the person has not attended.
    attended ? FNE_ANSWERS.participe.yes : r.half_days > 0 && r.recorded >= r.half_days ? FNE_ANSWERS.participe.no : null,
  ];
}

/** xlsx bytes of one sheet, every text cell neutralised; codes (SIRET, postcode) stay text. */
export function xlsxBytes(sheetName: string, header: readonly string[], rows: (string | number | null)[][], widths: number[]): Uint8Array {
  const ws = XLSX.utils.aoa_to_sheet([header.map((h) => neutraliseCell(h)), ...rows.map((r) => r.map((v) => neutraliseCell(v)))]);
  ws['!cols'] = widths.map((wch) => ({ wch }));
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, ws, sheetName);
  wb.Props = { Title: sheetName, Author: 'FNE Formations' };
  return XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer;
}

export async function exportList(
  ctx: ServiceContext,
  input: { audience: 'of' | 'anct'; format: 'xlsx' | 'csv'; sessionId?: number; conventionId?: number },
): Promise<{ fileName: string; bytes: Uint8Array; rows: number }> {
  let rows: ExportRow[];
  let stem: string;
  if (input.sessionId !== undefined) {
    const s = ctx.store.sqlite
      .prepare('SELECT s.id, s.title, s.kind, (SELECT min(date) FROM session_half_days h WHERE h.session_id = s.id) AS first_date FROM sessions s WHERE s.id = ?')
      .get(input.sessionId) as { id: number; title: string; kind: TrainingKind; first_date: string | null } | undefined;
    if (!s) throw notFound(`La session n° ${input.sessionId}`);
    if (input.audience === 'anct' && !includesAidantsConnect(s.kind)) {
      throw new AppError('validation', 'La liste pour l’ANCT concerne les formations Aidants Connect (AC ou AN avec brique AC) : cette session est une formation Aidant Numérique.');
    }
    rows = rowsOf(ctx, 's.id = ?', [s.id]);
    stem = `${input.audience === 'of' ? 'participants' : 'anct-suivi-fne'}-${s.first_date ?? 'session'}-${fileStem(s.title)}`;
  } else if (input.conventionId !== undefined && input.audience === 'anct') {
    rows = rowsOf(ctx, `s.convention_id = ? AND s.kind IN ('AC', 'AN_AC')`, [input.conventionId]);
    stem = `anct-suivi-fne-convention-${input.conventionId}`;
  } else {
    throw new AppError('validation', input.audience === 'of' ? 'Choisissez la session dont la liste est à envoyer à l’organisme.' : 'Choisissez une session ou une convention.');
  }
  const header = input.audience === 'of' ? OF_COLUMNS : ANCT_COLUMNS;
  const data = rows.map(input.audience === 'of' ? ofRow : anctRow);
  if (input.format === 'csv') {
    return { fileName: `${stem}.csv`, bytes: new TextEncoder().encode(toSafeCsv([...header], data)), rows: data.length };
  }
  const widths = input.audience === 'of' ? [18, 18, 28, 34, 16, 36, 16, 30, 11, 20] : ANCT_COLUMNS.map((c) => Math.max(14, c.length + 2));
  return { fileName: `${stem}.xlsx`, bytes: xlsxBytes(input.audience === 'of' ? 'Participants' : 'Suivi FNE', header, data, widths), rows: data.length };
}
