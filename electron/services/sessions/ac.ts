// Aidants Connect follow-up of each professional: requested → eligibility validated by ANCT →
// registered → sandbox opened → attended → Pix test done → attendance reported to ANCT →
// habilitated; refused or cancelled at any point (with the reason). Each step keeps its date.
// Registration and attendance move it forward by themselves; the officer updates the rest in
// bulk, or by re-importing ANCT's follow-up table (Eligibilite_validee, A_participe_a_la_session).
import type { Transaction } from 'kysely';
import type { AcFollowup, AcImportPlan } from '../../../shared/ipc/channels/sessions';
import type { DB } from '../../db/schema';
import type { AcStatus } from '../../db/tables/sessions';
import { recordAudit } from '../audit';
import { isValidIsoDate } from '../common/dates';
import { dictionary, detectHeaderRow, headersOf, normaliseHeader, pickSheet } from '../common/tabular/header';
import { readUntrusted } from '../common/untrusted/run';
import { cellText, toBool } from '../common/tabular/values';
import { type ServiceContext, writeTransaction } from '../context';
import { AppError, throwIfFieldErrors } from '../errors';
import { backupBefore } from '../sauvegarde/backup';
import { nameKey, normaliseEmail } from '../recensement/normalise';
import { acDateColumns, acRank, acStatusLabels, acSteps } from './rules';
import type { Cols } from '../../db/rows';

type Db = Transaction<DB>;

/**
 * Moves a person's follow-up forward to `status` (creating it when absent). Never moves it
 * backwards and never revives a refused or cancelled follow-up: that is the officer's decision.
 */
export async function advanceAcFollowup(trx: Db, ctx: ServiceContext, personId: number, status: (typeof acSteps)[number], date: string, registrationId?: number, batchId?: string): Promise<boolean> {
  const now = ctx.now().toISOString();
  const cur = await trx.selectFrom('ac_followups').selectAll().where('person_id', '=', personId).executeTakeFirst();
  const col = acDateColumns[status];
  if (!cur) {
    const { id } = await trx
      .insertInto('ac_followups')
      .values({ person_id: personId, registration_id: registrationId ?? null, status, [col]: date, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx, { action: 'ac_status', entity: 'ac_followup', entityId: id, before: null, after: { status, date }, batchId });
    return true;
  }
  const patch: Record<string, unknown> = {};
  if (registrationId !== undefined && cur.registration_id !== registrationId) patch.registration_id = registrationId;
  const forward = cur.status !== 'refuse' && cur.status !== 'annule' && acRank(status) > acRank(cur.status);
  if (forward) {
    patch.status = status;
    patch[col] = date;
  }
  if (Object.keys(patch).length === 0) return false;
  await trx.updateTable('ac_followups').set({ ...patch, updated_at: now }).where('id', '=', cur.id).execute();
  if (forward) await recordAudit(trx, ctx, { action: 'ac_status', entity: 'ac_followup', entityId: cur.id, before: { status: cur.status }, after: { status, date }, batchId });
  return forward;
}

/**
 * ANCT's decisions read with a list (its FNE follow-up table, at the recensement import), as `ac
 * import` reads them: Eligibilite_validee oui → « éligibilité validée », A_participe_a_la_session
 * oui → « présence transmise à l'ANCT » (forward only, never revived); Validation_du_financement
 * oui/non is kept on the follow-up with its date. A « non » moves nothing: the officer decides.
 */
export async function applyAnctDecisions(
  trx: Db,
  ctx: ServiceContext,
  personId: number,
  a: { eligibilite: number | null; financement: number | null; participation: number | null },
  date: string,
  /** The import's batch: its undo (the backup taken before it) covers these changes too. */
  batchId?: string,
): Promise<void> {
  if (a.participation === 1) await advanceAcFollowup(trx, ctx, personId, 'presence_transmise', date, undefined, batchId);
  else if (a.eligibilite === 1) await advanceAcFollowup(trx, ctx, personId, 'eligibilite_validee', date, undefined, batchId);
  if (a.financement === null) return;
  const cur = await trx.selectFrom('ac_followups').select(['id', 'funding_validated']).where('person_id', '=', personId).executeTakeFirst();
  if (cur?.funding_validated === a.financement) return;
  const now = ctx.now().toISOString();
  if (!cur) {
    const { id } = await trx
      .insertInto('ac_followups')
      .values({ person_id: personId, status: 'demande', requested_on: date, funding_validated: a.financement, funding_validated_on: date, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx, { action: 'ac_status', entity: 'ac_followup', entityId: id, before: null, after: { status: 'demande', fundingValidated: a.financement }, batchId });
    return;
  }
  await trx.updateTable('ac_followups').set({ funding_validated: a.financement, funding_validated_on: date, updated_at: now }).where('id', '=', cur.id).execute();
  await recordAudit(trx, ctx, { action: 'ac_status', entity: 'ac_followup', entityId: cur.id, before: { fundingValidated: cur.funding_validated }, after: { fundingValidated: a.financement }, batchId });
}

interface Row {
  id: number;
  person_id: number;
  nom: string;
  prenom: string;
  email: string | null;
  structure_name: string | null;
  structure_siret: string | null;
  status: AcStatus;
  stop_reason: string | null;
  registration_id: number | null;
  session_id: number | null;
  session_title: string | null;
  updated_at: string;
  [col: string]: unknown;
}

const SELECT = `SELECT f.*, p.nom, p.prenom, p.email, st.name AS structure_name, st.siret AS structure_siret, r.session_id, s.title AS session_title
  FROM ac_followups f JOIN people p ON p.id = f.person_id LEFT JOIN structures st ON st.id = p.structure_id
  LEFT JOIN registrations r ON r.id = f.registration_id LEFT JOIN sessions s ON s.id = r.session_id`;

function toFollowup(r: Row): AcFollowup {
  const dates = {} as Record<AcStatus, string | null>;
  for (const [s, col] of Object.entries(acDateColumns) as [AcStatus, string][]) dates[s] = (r[col] as string | null) ?? null;
  return {
    id: r.id,
    personId: r.person_id,
    nom: r.nom,
    prenom: r.prenom,
    email: r.email,
    structureName: r.structure_name,
    structureSiret: r.structure_siret,
    status: r.status,
    statusLabel: acStatusLabels[r.status],
    dates,
    stopReason: r.stop_reason,
    registrationId: r.registration_id,
    sessionId: r.session_id,
    sessionTitle: r.session_title,
    connectionMethod: (r.connection_method as AcFollowup['connectionMethod'] | undefined) ?? null,
    fundingValidated: r.funding_validated === null || r.funding_validated === undefined ? null : r.funding_validated === 1,
    fundingValidatedOn: (r.funding_validated_on as string | null | undefined) ?? null,
    updatedAt: r.updated_at,
  };
}

export async function listAcFollowups(ctx: ServiceContext, q: { conventionId?: number; status?: AcStatus; search?: string }) {
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.conventionId !== undefined) {
    // Follow-ups of people registered in this convention's sessions, and those not registered yet.
    where.push('(f.registration_id IS NULL OR s.convention_id = ?)');
    params.push(q.conventionId);
  }
  if (q.search && q.search.trim()) {
    where.push(`(replace(p.name_key, '|', ' ') LIKE ? OR p.email LIKE ?)`);
    params.push('%' + nameKey(q.search).replace(/\|/g, '') + '%', '%' + q.search.trim().toLowerCase() + '%');
  }
  const w = where.length ? ' WHERE ' + where.join(' AND ') : '';
  const all = (ctx.store.sqlite.prepare(`${SELECT}${w} ORDER BY p.name_key, f.id`).all(...params) as Row[]).map(toFollowup);
  const counts = Object.fromEntries(Object.keys(acStatusLabels).map((s) => [s, 0])) as Record<AcStatus, number>;
  for (const r of all) counts[r.status]++;
  // The statuses in their order (steps, then refused / cancelled), with their labels, for the board.
  const statuses = (Object.keys(acStatusLabels) as AcStatus[]).map((code) => ({ code, label: acStatusLabels[code], step: acRank(code) >= 0 }));
  return { rows: q.status ? all.filter((r) => r.status === q.status) : all, counts, statuses };
}

/** Bulk update by the officer: sets the status with its date (any direction: it is a correction). */
export async function updateAcFollowups(ctx: ServiceContext, input: { personIds: number[]; status: AcStatus; date?: string; reason?: string | null }) {
  const date = input.date ?? ctx.now().toISOString().slice(0, 10);
  const reason = (input.reason ?? '').trim() || null;
  const f: Record<string, string> = {};
  if (!isValidIsoDate(date)) f.date = 'Date invalide.';
  if ((input.status === 'refuse' || input.status === 'annule') && !reason) f.reason = 'Indiquez le motif du refus ou de l’annulation.';
  throwIfFieldErrors(f);
  const ids = [...new Set(input.personIds)];
  const found = ctx.store.sqlite.prepare(`SELECT count(*) AS n FROM people WHERE id IN (${ids.map(() => '?').join(',')})`).get(...ids) as { n: number };
  if (found.n !== ids.length) throw new AppError('not_found', 'Un des professionnels choisis est introuvable : rien n’a été modifié.');
  if (ids.length > 1) await backupBefore(ctx, 'modification-groupee');
  const now = ctx.now().toISOString();
  const col = acDateColumns[input.status];
  await writeTransaction(ctx, async (trx) => {
    for (const personId of ids) {
      const cur = await trx.selectFrom('ac_followups').selectAll().where('person_id', '=', personId).executeTakeFirst();
      const patch: Record<string, unknown> = { status: input.status, [col]: date, updated_at: now };
      patch.stop_reason = input.status === 'refuse' || input.status === 'annule' ? reason : null;
      if (input.status !== 'refuse' && input.status !== 'annule') {
        // A correction backwards clears the dates of the later steps.
        for (const s of acSteps) if (acRank(s) > acRank(input.status)) patch[acDateColumns[s]] = null;
        patch.refused_on = null;
        patch.cancelled_on = null;
      }
      if (!cur) {
        const { id } = await trx
          .insertInto('ac_followups')
          .values({ person_id: personId, created_at: now, ...(patch as { status: AcStatus; updated_at: string }) })
          .returning('id')
          .executeTakeFirstOrThrow();
        await recordAudit(trx, ctx, { action: 'ac_status', entity: 'ac_followup', entityId: id, before: null, after: { status: input.status, date, reason } });
      } else {
        await trx.updateTable('ac_followups').set(patch).where('id', '=', cur.id).execute();
        await recordAudit(trx, ctx, { action: 'ac_status', entity: 'ac_followup', entityId: cur.id, before: { status: cur.status }, after: { status: input.status, date, reason } });
      }
    }
  });
  const list = await listAcFollowups(ctx, {});
  const set = new Set(ids);
  return { updated: ids.length, rows: list.rows.filter((r) => set.has(r.personId)) };
}

// ---------------------------------------------------------------------------------------------
// Re-import of ANCT's follow-up table

type AcField = 'email' | 'nom' | 'prenom' | 'eligibilite' | 'participe';
const AC_DICT = dictionary<AcField>({
  email: ['Adresse_e_mail', 'adresse électronique', 'e-mail', 'email', 'courriel'],
  nom: ['Nom_du_professionnel', 'nom'],
  prenom: ['Prenom_du_professionnel', 'prénom', 'prenom'],
  eligibilite: ['Eligibilite_validee', 'Éligibilité validée'],
  participe: ['A_participe_a_la_session', 'A participé à la session'],
});

/**
 * Reads ANCT's follow-up table and moves each matched person forward: Eligibilite_validee = oui →
 * « éligibilité validée »; A_participe_a_la_session = oui → « présence transmise à l'ANCT »
 * (ANCT's column is the attendance the CD reported). People are matched by e-mail, else by name.
 * apply = false only says what would change.
 */
export async function importAcTable(ctx: ServiceContext, input: { fileName: string; contentBase64: string; date?: string; apply: boolean }): Promise<AcImportPlan> {
  const bytes = Buffer.from(input.contentBase64, 'base64');
  const file = await readUntrusted(bytes, input.fileName);
  const sheet = pickSheet(file, AC_DICT);
  const head = detectHeaderRow(sheet, AC_DICT);
  const width = Math.max(0, ...sheet.rows.slice(head.index, head.index + 50).map((r) => r?.length ?? 0));
  const headers = headersOf(sheet.rows[head.index], width);
  const col: Partial<Record<AcField, number>> = {};
  headers.forEach((h, i) => {
    const f = AC_DICT.lookup(normaliseHeader(h));
    if (f && col[f] === undefined) col[f] = i;
  });
  if (col.eligibilite === undefined && col.participe === undefined) {
    throw new AppError(
      'validation',
      `Le fichier « ${input.fileName} » n’a ni colonne « Eligibilite_validee » ni colonne « A_participe_a_la_session » : ce n’est pas le tableau de suivi FNE de l’ANCT. Rien n’a été importé.`,
    );
  }
  if (col.email === undefined && (col.nom === undefined || col.prenom === undefined)) {
    throw new AppError('validation', 'Le fichier n’a pas de colonne « Adresse_e_mail » ni les colonnes de nom et prénom : impossible de retrouver les professionnels. Rien n’a été importé.');
  }
  const date = input.date ?? ctx.now().toISOString().slice(0, 10);
  const byEmail = new Map<string, number>();
  const byName = new Map<string, number[]>();
  for (const p of ctx.store.sqlite.prepare('SELECT id, email, name_key FROM people').all() as Cols<'people', 'id' | 'email' | 'name_key'>[]) {
    if (p.email) byEmail.set(p.email, p.id);
    byName.set(p.name_key, [...(byName.get(p.name_key) ?? []), p.id]);
  }
  const current = new Map<number, AcStatus>(
    (ctx.store.sqlite.prepare('SELECT person_id, status FROM ac_followups').all() as Cols<'ac_followups', 'person_id' | 'status'>[]).map((r) => [r.person_id, r.status]),
  );
  const people = new Map<number, string>(
    (ctx.store.sqlite.prepare('SELECT id, prenom, nom FROM people').all() as Cols<'people', 'id' | 'prenom' | 'nom'>[]).map((p) => [p.id, `${p.prenom} ${p.nom}`]),
  );
  const plan: AcImportPlan = { fileName: input.fileName, sheet: sheet.name, headerRow: head.index + 1, rows: 0, recognisedColumns: Object.keys(col).map((k) => headers[col[k as AcField]!]), changes: [], unchanged: 0, unmatched: [], applied: false };
  const target = new Map<number, { row: number; to: (typeof acSteps)[number] }>();
  for (let r = head.index + 1; r < sheet.rows.length; r++) {
    const row = sheet.rows[r] ?? [];
    const get = (f: AcField) => (col[f] === undefined ? '' : cellText(row[col[f]!]));
    const email = normaliseEmail(get('email') || null).email;
    const nom = get('nom');
    const prenom = get('prenom');
    if (!email && !nom && !prenom) continue;
    plan.rows++;
    let personId = email ? byEmail.get(email) : undefined;
    if (personId === undefined && nom && prenom) {
      const ids = byName.get(nameKey(nom, prenom));
      if (ids && ids.length === 1) personId = ids[0];
    }
    const label = [prenom, nom].filter(Boolean).join(' ') || email || `ligne ${r + 1}`;
    if (personId === undefined) {
      plan.unmatched.push({ row: r + 1, label: email && !label.includes(email) ? `${label} (${email})` : label });
      continue;
    }
    let to: (typeof acSteps)[number] | null = null;
    if (col.participe !== undefined && toBool(row[col.participe]) === true) to = 'presence_transmise';
    else if (col.eligibilite !== undefined && toBool(row[col.eligibilite]) === true) to = 'eligibilite_validee';
    const from = current.get(personId) ?? null;
    const prev = target.get(personId);
    if (to && prev && acRank(prev.to) >= acRank(to)) to = null;
    if (!to || (from !== null && (from === 'refuse' || from === 'annule' || acRank(from) >= acRank(to)))) {
      if (!prev) plan.unchanged++;
      continue;
    }
    target.set(personId, { row: r + 1, to });
  }
  for (const [personId, t] of target) {
    plan.changes.push({ row: t.row, personId, label: people.get(personId) ?? `n° ${personId}`, from: current.get(personId) ?? null, to: t.to, toLabel: acStatusLabels[t.to] });
  }
  plan.changes.sort((a, b) => a.row - b.row);
  if (!input.apply || plan.changes.length === 0) return plan;
  await backupBefore(ctx, 'import');
  await writeTransaction(ctx, async (trx) => {
    for (const c of plan.changes) await advanceAcFollowup(trx, ctx, c.personId, c.to as (typeof acSteps)[number], date);
    await recordAudit(trx, ctx, { action: 'ac_import', entity: 'ac_followup', after: { fileName: input.fileName, changes: plan.changes.length } });
  });
  return { ...plan, applied: true };
}
