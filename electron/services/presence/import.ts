// Import of the training organisation's attendance file (xlsx, xls, ods, CSV) into a session.
// Same reading engine as the Recensement import (common/tabular: the file read once by its
// bytes, the data sheet and header row found by a field dictionary, the recensement's e-mail and
// name synonyms and normalisations), then:
//   - each row is matched to a registered participant: by e-mail, else by nom + prénom
//     (accents, case and order of « Nom Prénom » ignored);
//   - each half-day of the session is a column, recognised by its header (« 10/04/2025 matin »,
//     « Jour 1 après-midi », « Demi-journée 2 », an Excel date…) or chosen by the officer;
//   - a cell says present (P, X, 1, oui, présent…), absent (A, 0, non, absent…) or excusé
//     (E, excusé, absence justifiée…); an empty cell changes nothing.
// Preview writes nothing; commit writes every change in one transaction, after a backup, with
// the audit, as one operation of the history (undoable).
import type { PresenceColumnTarget, PresenceImportInput, PresenceImportPlan } from '../../../shared/ipc/channels/presence';
import type { AttendanceStatus } from '../../db/tables/sessions';
import { recordAudit } from '../audit';
import { columnSamples, detectHeaderRow, dictionary, headersOf, normaliseHeader, pickSheet } from '../common/tabular/header';
import { readUntrusted } from '../common/untrusted/run';
import type { Cell } from '../common/tabular/read';
import { cellText, fold, isoFromSerial, toIsoDate } from '../common/tabular/values';
import { type ServiceContext, writeTransaction } from '../context';
import { AppError } from '../errors';
import { synonyms } from '../recensement/fields';
import { nameKey, normaliseEmail } from '../recensement/normalise';
import { backupBefore } from '../sauvegarde/backup';
import { afterAttendance } from '../sessions/registrations';
import { getSession } from '../sessions/service';
import { batchAuditSince, lastAuditId } from './service';
import type { Cols } from '../../db/rows';

type IdField = 'email' | 'nom' | 'prenom' | 'nom_prenom';
const idLabels: Record<IdField, string> = { email: 'Adresse électronique', nom: 'Nom', prenom: 'Prénom', nom_prenom: 'Nom et prénom (une seule colonne)' };

/** Identity columns: the recensement's synonyms, plus what attendance sheets call them. */
const PRESENCE_DICT = dictionary<IdField>({
  email: synonyms.email,
  nom: [...synonyms.nom, 'nom du stagiaire', 'nom stagiaire', "nom de l'apprenant", 'nom apprenant'],
  prenom: [...synonyms.prenom, 'prénom du stagiaire', 'prénom stagiaire', "prénom de l'apprenant", 'prénom apprenant'],
  nom_prenom: ['nom prénom', 'nom et prénom', 'nom & prénom', 'prénom nom', 'prénom et nom', 'stagiaire', 'stagiaires', 'participant', 'participants', 'apprenant', 'apprenants', 'nom complet', 'identité', 'agent', 'aidant'],
});

// ---------------------------------------------------------------------------------------------
// Cells: present / absent / excusé

const PRESENT = new Set(['p', 'pr', 'present', 'presente', 'presents', 'x', '1', 'oui', 'o', 'yes', 'y', 'ok', 'v', 'vrai', 'true', 'signe', 'signee', 'emarge', 'emargee', '\u2713', '\u2714', '\u2611']);
const ABSENT = new Set(['a', 'abs', 'absent', 'absente', 'absents', '0', 'non', 'n', 'no', 'faux', 'false', 'absence', 'absent non excuse', 'absence non justifiee', 'non excuse', 'ane']);
const EXCUSED = new Set([
  'e', 'exc', 'excuse', 'excusee', 'excuses', 'excuse e', 'ae', 'aj', 'abs exc', 'abs excuse', 'absent excuse', 'absente excusee', 'absent e excuse e', 'absence excusee',
  'absence justifiee', 'absent justifie', 'absente justifiee', 'justifie', 'justifiee', 'excuse(e)', 'excuse (e)',
]);

/** A cell of a half-day column: a status, null when empty, or 'invalid'. */
export function parseAttendanceCell(c: Cell | undefined): AttendanceStatus | null | 'invalid' {
  if (c === null || c === undefined) return null;
  if (typeof c === 'boolean') return c ? 'present' : 'absent';
  if (typeof c === 'number') return c === 1 ? 'present' : c === 0 ? 'absent' : 'invalid';
  if (c instanceof Date) return 'invalid';
  const s = fold(c).replace(/[.!]+$/, '').trim();
  if (s === '') return null;
  const t = s.replace(/[()]/g, ' ').replace(/\s+/g, ' ').trim();
  if (EXCUSED.has(s) || EXCUSED.has(t)) return 'excuse';
  if (PRESENT.has(s) || PRESENT.has(t)) return 'present';
  if (ABSENT.has(s) || ABSENT.has(t)) return 'absent';
  return 'invalid';
}

const statusLabels: Record<AttendanceStatus, string> = { present: 'présent', absent: 'absent', excuse: 'excusé' };

// ---------------------------------------------------------------------------------------------
// Half-day columns

interface HalfDay {
  id: number;
  date: string;
  period: 'matin' | 'apres_midi';
  label: string;
}

const MATIN = /\b(matin|matinee|am|mat)\b/;
const APRES_MIDI = /\b(apres midi|apresmidi|aprem|apm|pm|am\s?pm)\b/;

/** A date written in a header (« 10/04/2025 », « 10/04 », « 2025-04-10 », an Excel serial, a Date cell). */
function headerDate(raw: Cell | undefined, text: string, year: string | null): { iso: string | null; dayMonth: string | null } {
  if (raw instanceof Date || typeof raw === 'number') {
    const iso = raw instanceof Date ? toIsoDate(raw) : raw > 20000 && raw < 80000 ? isoFromSerial(raw) : null;
    return { iso, dayMonth: null };
  }
  const full = /(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2}))/.exec(text);
  if (full) return { iso: toIsoDate(full[1]), dayMonth: null };
  const dm = /\b(\d{1,2})[/.-](\d{1,2})\b/.exec(text);
  if (dm) return { iso: year ? toIsoDate(`${dm[1]}/${dm[2]}/${year}`) : null, dayMonth: `${dm[2].padStart(2, '0')}-${dm[1].padStart(2, '0')}` };
  return { iso: null, dayMonth: null };
}

/** Proposed column → half-day of the session, from the headers. */
function proposeHalfDays(headers: string[], rawHeaders: (Cell | undefined)[], halfDays: HalfDay[], taken: Set<number>): Map<number, number> {
  const out = new Map<number, number>();
  const used = new Set<number>();
  const dates = [...new Set(halfDays.map((h) => h.date))];
  const year = halfDays.length ? halfDays[0].date.slice(0, 4) : null;
  const take = (col: number, h: HalfDay | undefined) => {
    if (!h || used.has(h.id)) return;
    used.add(h.id);
    out.set(col, h.id);
  };
  headers.forEach((header, col) => {
    if (taken.has(col)) return;
    const n = normaliseHeader(header);
    const period = APRES_MIDI.test(n) ? 'apres_midi' : MATIN.test(n) ? 'matin' : null;
    const d = headerDate(rawHeaders[col], header, year);
    let onDate: HalfDay[] = [];
    if (d.iso) onDate = halfDays.filter((h) => h.date === d.iso);
    else if (d.dayMonth) onDate = halfDays.filter((h) => h.date.slice(5) === d.dayMonth);
    else {
      const ord = /\b(?:demi journee|dj|seance|creneau|session)\s?(\d{1,2})\b/.exec(n);
      if (ord) return take(col, halfDays[Number(ord[1]) - 1]);
      const day = /\b(?:jour|j)\s?(\d{1,2})\b/.exec(n);
      if (day) onDate = halfDays.filter((h) => h.date === dates[Number(day[1]) - 1]);
      else if (halfDays.length === 1 && /\b(presence|presences|present|emargement|statut|signature)\b/.test(n)) onDate = halfDays;
    }
    if (onDate.length === 0) return;
    // A date without period: its first half-day not yet taken (matin, then après-midi).
    take(col, onDate.filter((h) => (period === null || h.period === period) && !used.has(h.id))[0]);
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Participants and matching

interface Registered {
  registrationId: number;
  personId: number;
  nom: string;
  prenom: string;
  email: string | null;
  attendance: Map<number, AttendanceStatus>;
}

function tokens(s: string): string {
  return nameKey(s).replace(/\|/g, ' ').split(/\s+/).filter(Boolean).sort().join(' ');
}

// ---------------------------------------------------------------------------------------------

export async function planAttendanceImport(ctx: ServiceContext, input: PresenceImportInput): Promise<PresenceImportPlan> {
  const session = await getSession(ctx, input.sessionId);
  if (session.status === 'annulee') throw new AppError('validation', 'Cette session est annulée : aucune présence ne peut y être importée.');
  const halfDays: HalfDay[] = session.halfDays.map((h) => ({ id: h.id, date: h.date, period: h.period, label: h.label }));
  const registered: Registered[] = session.participants
    .filter((p) => p.status === 'inscrit')
    .map((p) => ({ registrationId: p.registrationId, personId: p.personId, nom: p.nom, prenom: p.prenom, email: p.email ? p.email.toLowerCase() : null, attendance: new Map(p.attendance.map((a) => [a.halfDayId, a.status])) }));
  if (registered.length === 0) throw new AppError('validation', 'Personne n’est inscrit à cette session : il n’y a aucune présence à importer.');

  const bytes = Buffer.from(input.contentBase64, 'base64');
  const file = await readUntrusted(bytes, input.fileName, { sheet: input.sheet });
  const sheet = pickSheet(file, PRESENCE_DICT, input.sheet);
  let headerIndex: number;
  if (input.headerRow !== undefined) {
    if (input.headerRow > sheet.rows.length) throw new AppError('validation', `La ligne d’en-tête ${input.headerRow} n’existe pas dans la feuille « ${sheet.name} » (${sheet.rows.length} lignes).`, { fields: { headerRow: 'Ligne hors de la feuille.' } });
    headerIndex = input.headerRow - 1;
  } else headerIndex = detectHeaderRow(sheet, PRESENCE_DICT).index;
  let width = sheet.rows[headerIndex]?.length ?? 0;
  for (let r = headerIndex + 1; r < Math.min(sheet.rows.length, headerIndex + 500); r++) width = Math.max(width, sheet.rows[r]?.length ?? 0);
  while (width > 0 && cellText(sheet.rows[headerIndex]?.[width - 1]) === '' && !sheet.rows.slice(headerIndex + 1, headerIndex + 500).some((r) => cellText(r?.[width - 1]) !== '')) width--;
  const rawHeaders = Array.from({ length: width }, (_, c) => sheet.rows[headerIndex]?.[c]);
  // Date cells as headers read as their ISO date.
  const headers = headersOf(sheet.rows[headerIndex], width).map((h, c) => (typeof rawHeaders[c] === 'number' && (rawHeaders[c] as number) > 20000 ? (isoFromSerial(rawHeaders[c] as number) ?? h) : h));

  const halfDayIds = new Set(halfDays.map((h) => h.id));
  let mapping: (PresenceColumnTarget | null)[];
  let mappingSource: 'automatique' | 'agent';
  if (input.mapping) {
    if (input.mapping.length !== width) throw new AppError('validation', `La correspondance des colonnes ne correspond pas au fichier (${input.mapping.length} colonnes au lieu de ${width}).`);
    const seen = new Set<string>();
    for (const t of input.mapping) {
      if (t === null) continue;
      if (seen.has(t)) throw new AppError('validation', `« ${targetLabel(t, halfDays)} » est choisi pour deux colonnes : gardez-en une seule.`);
      if (t.startsWith('demi_journee:') && !halfDayIds.has(Number(t.slice(13)))) throw new AppError('validation', 'Une colonne désigne une demi-journée qui n’appartient pas à cette session.');
      seen.add(t);
    }
    mapping = input.mapping;
    mappingSource = 'agent';
  } else {
    mapping = headers.map(() => null);
    const usedId = new Set<IdField>();
    headers.forEach((h, c) => {
      const f = PRESENCE_DICT.lookup(normaliseHeader(h));
      if (f && !usedId.has(f)) {
        usedId.add(f);
        mapping[c] = f;
      }
    });
    const taken = new Set(mapping.map((m, c) => (m ? c : -1)).filter((c) => c >= 0));
    for (const [col, id] of proposeHalfDays(headers, rawHeaders, halfDays, taken)) mapping[col] = `demi_journee:${id}`;
    mappingSource = 'automatique';
  }

  const colOf = (t: string) => mapping.indexOf(t as PresenceColumnTarget);
  const cEmail = colOf('email');
  const cNom = colOf('nom');
  const cPrenom = colOf('prenom');
  const cNomPrenom = colOf('nom_prenom');
  const hdCols = mapping.map((m, c) => (m && m.startsWith('demi_journee:') ? { col: c, halfDayId: Number(m.slice(13)) } : null)).filter((x): x is { col: number; halfDayId: number } => x !== null);

  const samples = columnSamples(sheet, headerIndex, headers.length);
  const plan: PresenceImportPlan = {
    sessionId: session.id,
    fileName: input.fileName,
    sheet: sheet.name,
    sheets: file.sheets.map((s) => s.name),
    headerRow: headerIndex + 1,
    headers,
    samples,
    mapping,
    mappingSource,
    targets: [
      ...(Object.keys(idLabels) as IdField[]).map((f) => ({ value: f as PresenceColumnTarget, label: idLabels[f] })),
      ...halfDays.map((h) => ({ value: `demi_journee:${h.id}` as PresenceColumnTarget, label: `Présence du ${h.label}` })),
    ],
    halfDays: halfDays.map((h) => {
      const c = hdCols.find((x) => x.halfDayId === h.id);
      return { id: h.id, label: h.label, column: c ? c.col : null };
    }),
    rows: 0,
    matched: [],
    unmatched: [],
    missing: [],
    invalid: [],
    changes: [],
    unchanged: 0,
    applied: false,
  };

  const problems: string[] = [];
  if (cEmail < 0 && cNomPrenom < 0 && (cNom < 0 || cPrenom < 0)) problems.push('aucune colonne ne donne l’adresse électronique ni le nom et le prénom des participants');
  if (hdCols.length === 0) problems.push(`aucune colonne ne correspond à une demi-journée de la session (${halfDays.map((h) => h.label).join(', ')})`);
  if (problems.length) {
    throw new AppError(
      'validation',
      `Dans « ${sheet.name} » (en-têtes ligne ${headerIndex + 1} : ${headers.map((h) => `« ${h} »`).join(', ') || 'aucun'}), ${problems.join(' et ')}. Indiquez à quoi correspond chaque colonne. Rien n’a été importé.`,
      { details: { plan } },
    );
  }

  const byEmail = new Map<string, Registered>();
  const byName = new Map<string, Registered[]>();
  for (const p of registered) {
    if (p.email) byEmail.set(p.email, p);
    const k = tokens(`${p.nom} ${p.prenom}`);
    byName.set(k, [...(byName.get(k) ?? []), p]);
  }
  const others = new Map<string, string>();
  for (const p of ctx.store.sqlite.prepare('SELECT email, prenom, nom FROM people WHERE email IS NOT NULL').all() as (Cols<'people', 'prenom' | 'nom'> & { email: string })[]) others.set(p.email.toLowerCase(), `${p.prenom} ${p.nom}`);
  const seenAt = new Map<number, number>();

  for (let r = headerIndex + 1; r < sheet.rows.length; r++) {
    const row = sheet.rows[r] ?? [];
    const get = (c: number) => (c < 0 ? '' : cellText(row[c]));
    const email = normaliseEmail(get(cEmail) || null).email;
    const nom = get(cNom);
    const prenom = get(cPrenom);
    const full = get(cNomPrenom);
    const hasStatus = hdCols.some((h) => cellText(row[h.col]) !== '');
    if (!email && !nom && !prenom && !full) {
      if (hasStatus) plan.unmatched.push({ row: r + 1, label: `ligne ${r + 1}`, reason: 'Ligne sans nom ni adresse : impossible de savoir de qui il s’agit.' });
      continue;
    }
    plan.rows++;
    const label = full || [prenom, nom].filter(Boolean).join(' ') || email || `ligne ${r + 1}`;
    let who: Registered | undefined;
    let by: 'email' | 'nom' = 'email';
    if (email) who = byEmail.get(email);
    let reason = 'Aucune personne inscrite à cette session ne porte cette adresse ni ce nom.';
    if (!who) {
      const key = full ? tokens(full) : nom || prenom ? tokens(`${nom} ${prenom}`) : '';
      const list = key ? (byName.get(key) ?? []) : [];
      if (list.length === 1) {
        who = list[0];
        by = 'nom';
      } else if (list.length > 1) reason = `${list.length} personnes inscrites portent ce nom : ajoutez leur adresse électronique au fichier.`;
      else if (email && others.has(email)) reason = `${others.get(email)} n’est pas inscrit(e) à cette session : inscrivez la personne, ou importez ce fichier dans sa session.`;
    }
    if (!who) {
      plan.unmatched.push({ row: r + 1, label: email && !label.includes(email) ? `${label} (${email})` : label, reason });
      continue;
    }
    const prev = seenAt.get(who.registrationId);
    if (prev !== undefined) {
      plan.unmatched.push({ row: r + 1, label, reason: `${who.prenom} ${who.nom} figure déjà ligne ${prev} : cette ligne est ignorée.` });
      continue;
    }
    seenAt.set(who.registrationId, r + 1);
    plan.matched.push({ row: r + 1, registrationId: who.registrationId, nom: who.nom, prenom: who.prenom, by });
    for (const h of hdCols) {
      const v = parseAttendanceCell(row[h.col]);
      if (v === null) continue;
      if (v === 'invalid') {
        plan.invalid.push({ row: r + 1, column: headers[h.col], value: cellText(row[h.col]).slice(0, 80), message: 'Valeur non reconnue : attendu présent (P, X, 1, oui), absent (A, 0, non) ou excusé (E).' });
        continue;
      }
      const from = who.attendance.get(h.halfDayId) ?? null;
      if (from === v) {
        plan.unchanged++;
        continue;
      }
      plan.changes.push({ row: r + 1, registrationId: who.registrationId, nom: who.nom, prenom: who.prenom, halfDayId: h.halfDayId, halfDayLabel: halfDays.find((x) => x.id === h.halfDayId)!.label, from, to: v });
    }
  }
  plan.missing = registered.filter((p) => !seenAt.has(p.registrationId)).map((p) => ({ registrationId: p.registrationId, nom: p.nom, prenom: p.prenom }));
  return plan;
}

function targetLabel(t: string, halfDays: HalfDay[]): string {
  if (t.startsWith('demi_journee:')) {
    const h = halfDays.find((x) => x.id === Number(t.slice(13)));
    return h ? `Présence du ${h.label}` : t;
  }
  return idLabels[t as IdField] ?? t;
}

export async function previewAttendanceImport(ctx: ServiceContext, input: PresenceImportInput): Promise<PresenceImportPlan> {
  return planAttendanceImport(ctx, input);
}

/** Writes the plan's changes: backup first, then one transaction, audited as one operation. */
export async function commitAttendanceImport(ctx: ServiceContext, input: PresenceImportInput): Promise<PresenceImportPlan> {
  const plan = await planAttendanceImport(ctx, input);
  if (plan.changes.length === 0) {
    throw new AppError(
      'validation',
      `Le fichier « ${input.fileName} » ne change aucune présence (${plan.unchanged} déjà enregistrée${plan.unchanged > 1 ? 's' : ''}, ${plan.unmatched.length} ligne${plan.unmatched.length > 1 ? 's' : ''} non reconnue${plan.unmatched.length > 1 ? 's' : ''}). Rien n’a été importé.`,
    );
  }
  await backupBefore(ctx, 'import');
  const now = ctx.now().toISOString();
  await writeTransaction(ctx, async (trx) => {
    const marker = lastAuditId(ctx); // inside the write: no other writer's audit rows after it
    const touched = new Set<number>();
    for (const c of plan.changes) {
      await trx
        .insertInto('attendance')
        .values({ registration_id: c.registrationId, half_day_id: c.halfDayId, status: c.to, recorded_at: now, recorded_by: ctx.actor })
        .onConflict((oc) => oc.columns(['registration_id', 'half_day_id']).doUpdateSet({ status: c.to, recorded_at: now, recorded_by: ctx.actor }))
        .execute();
      touched.add(c.registrationId);
    }
    for (const id of touched) await afterAttendance(trx, ctx, id);
    await recordAudit(trx, ctx, {
      action: 'import',
      entity: 'attendance',
      entityId: plan.sessionId,
      after: {
        fileName: input.fileName,
        sheet: plan.sheet,
        changes: plan.changes.map((c) => ({ row: c.row, registrationId: c.registrationId, halfDayId: c.halfDayId, from: c.from, to: c.to })),
        unmatchedRows: plan.unmatched.map((u) => u.row),
      },
    });
    batchAuditSince(ctx, marker, `presence-import:${plan.sessionId}:${now}`);
  });
  return { ...plan, applied: true };
}

/** One line per change, for the CLI. */
export function describeChange(c: PresenceImportPlan['changes'][number]): string {
  return `ligne ${c.row} : ${c.prenom} ${c.nom}, ${c.halfDayLabel} : ${c.from ? statusLabels[c.from] : 'non saisi'} → ${statusLabels[c.to]}`;
}

