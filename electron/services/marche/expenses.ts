// Other spending of a convention: frais de gestion (planned on the convention), engineering
// actions paid from the reliquat — refused while the convention's departure target is not reached —
// and the pay of the CD's internal trainers (décret n° 2010-235), a budget line of its own.
import { type ServiceContext, writeTransaction } from '../context';
import { recordAudit } from '../audit';
import { isValidIsoDate } from '../common/dates';
import { getConvention } from '../convention/service';
import { expenseWindowWarning } from '../convention/window';
import { AppError, throwIfFieldErrors } from '../errors';
import { countDepartures, type DepartureCounts } from '../sessions/departures';
import { budgetFigures } from './budget';
import { checkFraisGestion, checkOverspending, reliquatRule, type Finding } from './rules';
import { backupBeforeDeletion, unlinkPieces } from './corrections';
import { enforce } from './service';

export type ExpenseKind = 'frais_gestion' | 'ingenierie' | 'formateurs_internes';

export interface ExpenseInput {
  conventionId: number;
  kind: ExpenseKind;
  engineeringActionId?: number | null;
  label: string;
  expenseDate: string;
  amountCents: number;
  acceptWarnings?: boolean;
}

export const expenseKindLabels: Record<ExpenseKind, string> = {
  frais_gestion: 'Frais de gestion',
  ingenierie: 'Ingénierie (reliquat)',
  formateurs_internes: 'Rémunération des formateurs internes (décret n° 2010-235)',
};
const kindLabels = expenseKindLabels;

/** Departures come from the Sessions capability; tests may pass another source. */
export type DeparturesSource = (ctx: ServiceContext, conventionId: number) => Promise<DepartureCounts>;

/** The expense being corrected: its current amount is not counted twice. */
export interface ReplacedExpense {
  kind: ExpenseKind;
  amountCents: number;
}

export async function evaluateExpense(ctx: ServiceContext, input: ExpenseInput, departures: DeparturesSource = countDepartures, replacing: ReplacedExpense | null = null) {
  const c = await getConvention(ctx, input.conventionId);
  const fields: Record<string, string> = {};
  const label = input.label.trim();
  if (label === '') fields.label = 'Décrivez la dépense.';
  if (!isValidIsoDate(input.expenseDate)) fields.expenseDate = 'Date invalide.';
  if (input.amountCents <= 0) fields.amountCents = 'Le montant doit être positif.';
  const findings: Finding[] = [];
  const b = await budgetFigures(ctx, c.id);
  if (input.kind === 'ingenierie') {
    if (input.engineeringActionId == null) {
      if (c.engineeringActions.length > 0) fields.engineeringActionId = 'Choisissez l’action d’ingénierie de la convention que finance cette dépense.';
      else fields.engineeringActionId = 'La convention ne prévoit aucune action d’ingénierie : le reliquat ne peut financer que celles qu’elle liste.';
    } else if (!c.engineeringActions.some((a) => a.id === input.engineeringActionId)) {
      fields.engineeringActionId = 'Cette action d’ingénierie n’est pas prévue par la convention.';
    }
    const dep = await departures(ctx, c.id);
    const rule = reliquatRule(dep.done, c.departureTarget);
    findings.push({ code: rule.allowed ? 'reliquat_ouvert' : 'reliquat_ferme', level: rule.allowed ? 'info' : 'refus', message: rule.message });
  } else if (input.kind === 'formateurs_internes') {
    if (input.engineeringActionId != null) fields.engineeringActionId = 'La rémunération des formateurs internes ne se rattache pas à une action d’ingénierie.';
  } else {
    if (input.engineeringActionId != null) fields.engineeringActionId = 'Les frais de gestion ne se rattachent pas à une action d’ingénierie.';
    const spent = b.fraisGestionSpentCents - (replacing?.kind === 'frais_gestion' ? replacing.amountCents : 0);
    findings.push(...checkFraisGestion(c.fraisGestionPlannedCents, spent, input.amountCents));
  }
  findings.push(...checkOverspending({ receivedCents: b.fundsReceived ? b.receivedCents : null, alreadyCommittedCents: b.totalCommittedCents - (replacing?.amountCents ?? 0), newCents: input.amountCents }));
  const canSave = Object.keys(fields).length === 0 && !findings.some((f) => f.level === 'refus');
  const actionLabel = input.kind === 'ingenierie' ? (c.engineeringActions.find((a) => a.id === input.engineeringActionId)?.label ?? null) : null;
  return { fields, findings, canSave, needsAcknowledgement: findings.some((f) => f.level === 'alerte'), label, actionLabel };
}

export async function createExpense(ctx: ServiceContext, input: ExpenseInput, departures: DeparturesSource = countDepartures) {
  const ev = await evaluateExpense(ctx, input, departures);
  const refus = ev.findings.filter((f) => f.level === 'refus');
  if (refus.length > 0 && Object.keys(ev.fields).length > 0) {
    // Say the rule first (e.g. the reliquat), then what else is to correct.
    throw new AppError('validation', refus.map((f) => f.message).join(' '), { fields: ev.fields, details: { findings: ev.findings } });
  }
  throwIfFieldErrors(ev.fields, 'La dépense ne peut pas être enregistrée.');
  enforce(ev.findings, input.acceptWarnings, 'Dépense');
  const id = await writeTransaction(ctx, async (trx) => {
    const values = {
      convention_id: input.conventionId,
      kind: input.kind,
      engineering_action_id: input.engineeringActionId ?? null,
      engineering_action_label: ev.actionLabel,
      label: ev.label,
      expense_date: input.expenseDate,
      amount_cents: input.amountCents,
      created_at: ctx.now().toISOString(),
    };
    const { id } = await trx.insertInto('expenses').values(values).returning('id').executeTakeFirstOrThrow();
    await recordAudit(trx, ctx, { action: 'create', entity: 'expense', entityId: id, after: values });
    return id;
  });
  const list = await listExpenses(ctx, input.conventionId);
  const e = list.find((x) => x.id === id);
  if (!e) throw new AppError('internal', 'Dépense introuvable après enregistrement.');
  return e;
}

export async function listExpenses(ctx: ServiceContext, conventionId: number) {
  await getConvention(ctx, conventionId);
  const rows = await ctx.store.db
    .selectFrom('expenses')
    .selectAll('expenses')
    .where('expenses.convention_id', '=', conventionId)
    .orderBy('expenses.expense_date')
    .orderBy('expenses.id')
    .execute();
  const proofs = rows.length
    ? await ctx.store.db.selectFrom('pieces').select('owner_id').where('owner_type', '=', 'expense').where('role', '=', 'justificatif').where('owner_id', 'in', rows.map((r) => r.id)).execute()
    : [];
  const c = await getConvention(ctx, conventionId);
  const w = { signatureDate: c.signatureDate, endDate: c.endDate };
  return rows.map((r) => ({
    id: r.id,
    conventionId: r.convention_id,
    kind: r.kind,
    kindLabel: kindLabels[r.kind],
    /** Dated outside the convention's window: kept, with this warning (convention/window.ts). */
    windowWarning: expenseWindowWarning(`${kindLabels[r.kind]} « ${r.label} »`, r.expense_date, w),
    engineeringActionId: r.engineering_action_id,
    engineeringActionLabel: r.engineering_action_label,
    label: r.label,
    expenseDate: r.expense_date,
    amountCents: r.amount_cents,
    hasProof: proofs.some((p) => p.owner_id === r.id),
  }));
}

async function openExpense(ctx: ServiceContext, id: number) {
  const row = await ctx.store.db.selectFrom('expenses').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('not_found', `La dépense n° ${id} introuvable.`);
  return row;
}

/** Correction of an expense: the checks of its creation run again (reliquat, frais de gestion, overspending). */
export async function updateExpense(
  ctx: ServiceContext,
  input: Omit<ExpenseInput, 'conventionId'> & { id: number },
  departures: DeparturesSource = countDepartures,
) {
  const row = await openExpense(ctx, input.id);
  const full: ExpenseInput = { ...input, conventionId: row.convention_id };
  const ev = await evaluateExpense(ctx, full, departures, { kind: row.kind, amountCents: row.amount_cents });
  const refus = ev.findings.filter((f) => f.level === 'refus');
  if (refus.length > 0 && Object.keys(ev.fields).length > 0) {
    throw new AppError('validation', refus.map((f) => f.message).join(' '), { fields: ev.fields, details: { findings: ev.findings } });
  }
  throwIfFieldErrors(ev.fields, 'La dépense ne peut pas être corrigée.');
  enforce(ev.findings, input.acceptWarnings, 'Correction de la dépense', 'refusée');
  const values = {
    kind: input.kind,
    engineering_action_id: input.engineeringActionId ?? null,
    engineering_action_label: ev.actionLabel,
    label: ev.label,
    expense_date: input.expenseDate,
    amount_cents: input.amountCents,
  };
  await writeTransaction(ctx, async (trx) => {
    await trx.updateTable('expenses').set(values).where('id', '=', row.id).execute();
    await recordAudit(trx, ctx, { action: 'update', entity: 'expense', entityId: row.id, before: row, after: { ...row, ...values } });
  });
  const e = (await listExpenses(ctx, row.convention_id)).find((x) => x.id === row.id);
  if (!e) throw new AppError('internal', 'Dépense introuvable après correction.');
  return e;
}

/** Removes a wrong expense (its justificatif stays in the store, unlinked); undoable from the history. */
export async function deleteExpense(ctx: ServiceContext, id: number): Promise<{ id: number }> {
  const row = await openExpense(ctx, id);
  await backupBeforeDeletion(ctx);
  await writeTransaction(ctx, async (trx) => {
    const pieces = await unlinkPieces(trx, 'expense', row.id);
    await trx.deleteFrom('expenses').where('id', '=', row.id).execute();
    await recordAudit(trx, ctx, { action: 'delete', entity: 'expense', entityId: row.id, before: { ...row, pieces } });
  });
  return { id: row.id };
}
