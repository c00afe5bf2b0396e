// Step 1 — Convention: create, edit and list the conventions signed with ANCT.
import type { Selectable, Transaction, Updateable } from 'kysely';
import type { DB } from '../../db/schema';
import type { Convention, ConventionInput } from '../../../shared/ipc/channels/convention';
import type { ConventionsTable } from '../../db/tables/convention';
import { recordAudit } from '../audit';
import { compactDigits, normaliseDepartement } from '../common/identifiers';
import { formatEuros } from '../common/money';
import { type ServiceContext, writeTransaction } from '../context';
import { AppError, notFound, throwIfFieldErrors } from '../errors';
import { CONVENTION_DEFAULTS } from './defaults';
import { conventionFieldErrors, type ConventionValues } from './rules';

type Row = Selectable<ConventionsTable>;

async function toConvention(ctx: ServiceContext, row: Row): Promise<Convention> {
  const actions = await ctx.store.db
    .selectFrom('convention_engineering_actions')
    .select(['id', 'label', 'planned_cents'])
    .where('convention_id', '=', row.id)
    .orderBy('position')
    .execute();
  return {
    id: row.id,
    label: row.label,
    departement: row.departement,
    beneficiaireNom: row.beneficiaire_nom,
    beneficiaireSiret: row.beneficiaire_siret,
    designationDate: row.designation_date,
    signatureDate: row.signature_date,
    anctReference: row.anct_reference,
    amountCents: row.amount_cents,
    fundsReceivedDate: row.funds_received_date,
    fundsReceivedCents: row.funds_received_cents,
    endDate: row.end_date,
    departureTarget: row.departure_target,
    fraisGestionPlannedCents: row.frais_gestion_planned_cents,
    engineeringActions: actions.map((a) => ({ id: a.id, label: a.label, plannedCents: a.planned_cents })),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function blankToNull(s: string | null | undefined): string | null {
  if (s === undefined || s === null) return null;
  const t = s.trim();
  return t === '' ? null : t;
}

function valuesFrom(input: ConventionInput, base?: Convention): ConventionValues & { label: string; anctReference: string | null } {
  const pick = <K extends keyof ConventionInput>(k: K, fallback: unknown) => (k in input ? input[k] : fallback);
  const depRaw = String(pick('departement', base?.departement ?? '') ?? '');
  const departement = normaliseDepartement(depRaw) ?? depRaw.trim().toUpperCase();
  const siret = blankToNull(pick('beneficiaireSiret', base?.beneficiaireSiret) as string | null | undefined);
  const v = {
    departement,
    beneficiaireNom: String(pick('beneficiaireNom', base?.beneficiaireNom ?? '')).trim(),
    beneficiaireSiret: siret === null ? null : compactDigits(siret),
    designationDate: blankToNull(pick('designationDate', base?.designationDate) as string | null | undefined),
    signatureDate: blankToNull(pick('signatureDate', base?.signatureDate) as string | null | undefined),
    anctReference: blankToNull(pick('anctReference', base?.anctReference) as string | null | undefined),
    amountCents: (pick('amountCents', base?.amountCents) as number | undefined) ?? CONVENTION_DEFAULTS.amountCents,
    fundsReceivedDate: blankToNull(pick('fundsReceivedDate', base?.fundsReceivedDate) as string | null | undefined),
    fundsReceivedCents: (pick('fundsReceivedCents', base?.fundsReceivedCents) as number | null | undefined) ?? null,
    endDate: (pick('endDate', base?.endDate) as string | undefined) ?? CONVENTION_DEFAULTS.endDate,
    departureTarget: (pick('departureTarget', base?.departureTarget) as number | undefined) ?? CONVENTION_DEFAULTS.departureTarget,
    fraisGestionPlannedCents: (pick('fraisGestionPlannedCents', base?.fraisGestionPlannedCents) as number | undefined) ?? 0,
    engineeringActions: ((pick('engineeringActions', base?.engineeringActions) as { id?: number; label: string; plannedCents: number }[] | undefined) ?? []).map(
      (a) => ({ id: a.id, label: a.label.trim(), plannedCents: a.plannedCents }),
    ),
    label: '',
  };
  const label = blankToNull(pick('label', base?.label) as string | null | undefined);
  const year = (v.signatureDate ?? v.endDate).slice(0, 4);
  v.label = label ?? `Convention FNE ${year} — ${v.departement}`;
  return v;
}

type Values = ReturnType<typeof valuesFrom>;

/** The convention's columns from its checked values: the one mapping used by create and update. */
function columnsOf(v: Values) {
  return {
    label: v.label,
    departement: v.departement,
    beneficiaire_nom: v.beneficiaireNom,
    beneficiaire_siret: v.beneficiaireSiret,
    designation_date: v.designationDate,
    signature_date: v.signatureDate,
    anct_reference: v.anctReference,
    amount_cents: v.amountCents,
    funds_received_date: v.fundsReceivedDate,
    funds_received_cents: v.fundsReceivedCents,
    end_date: v.endDate,
    departure_target: v.departureTarget,
    frais_gestion_planned_cents: v.fraisGestionPlannedCents,
  } satisfies Omit<Updateable<ConventionsTable>, 'id' | 'created_at' | 'updated_at'>;
}

export async function listConventions(ctx: ServiceContext): Promise<Convention[]> {
  const rows = await ctx.store.db.selectFrom('conventions').selectAll().orderBy('id', 'desc').execute();
  return Promise.all(rows.map((r) => toConvention(ctx, r)));
}

export async function getConvention(ctx: ServiceContext, id: number): Promise<Convention> {
  const row = await ctx.store.db.selectFrom('conventions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`La convention n° ${id}`);
  return toConvention(ctx, row);
}

/** The convention a screen or command works on when none is named: the given one, else the latest. */
export async function resolveConventionId(ctx: ServiceContext, id?: number): Promise<number | null> {
  if (id !== undefined) {
    await getConvention(ctx, id);
    return id;
  }
  const row = await ctx.store.db.selectFrom('conventions').select('id').orderBy('id', 'desc').executeTakeFirst();
  return row?.id ?? null;
}

export async function createConvention(ctx: ServiceContext, input: ConventionInput): Promise<Convention> {
  const v = valuesFrom(input);
  throwIfFieldErrors(conventionFieldErrors(v), 'La convention ne peut pas être enregistrée.');
  const now = ctx.now().toISOString();
  const id = await writeTransaction(ctx, async (trx) => {
    const { id } = await trx
      .insertInto('conventions')
      .values({ ...columnsOf(v), created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await insertActions(trx, id, v.engineeringActions);
    await recordAudit(trx, ctx, { action: 'create', entity: 'convention', entityId: id, after: v });
    return id;
  });
  return getConvention(ctx, id);
}

export async function updateConvention(ctx: ServiceContext, id: number, patch: Partial<ConventionInput>): Promise<Convention> {
  const before = await getConvention(ctx, id);
  const v = valuesFrom(patch as ConventionInput, before);
  const errors = conventionFieldErrors(v);
  if ('engineeringActions' in patch) Object.assign(errors, await removedActionsWithExpenses(ctx, id, before, v.engineeringActions));
  throwIfFieldErrors(errors, 'La convention ne peut pas être enregistrée.');
  await writeTransaction(ctx, async (trx) => {
    const res = await trx
      .updateTable('conventions')
      .set({ ...columnsOf(v), updated_at: ctx.now().toISOString() })
      .where('id', '=', id)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw new AppError('conflict', "La convention n'a pas pu être modifiée.");
    if ('engineeringActions' in patch) await replaceActions(trx, id, v.engineeringActions);
    await recordAudit(trx, ctx, { action: 'update', entity: 'convention', entityId: id, before, after: v });
  });
  return getConvention(ctx, id);
}

/**
 * An engineering action that already funds an expense (reliquat) stays in the convention: removing
 * it would leave a spent euro attached to nothing. The officer deletes or corrects the expense first.
 */
async function removedActionsWithExpenses(
  ctx: ServiceContext,
  conventionId: number,
  before: Convention,
  actions: { id?: number; label: string }[],
): Promise<Record<string, string>> {
  const kept = new Set(actions.flatMap((a) => (a.id === undefined ? [] : [a.id])));
  const removed = before.engineeringActions.filter((a) => !kept.has(a.id));
  if (removed.length === 0) return {};
  const spent = await ctx.store.db
    .selectFrom('expenses')
    .select(['engineering_action_id', 'label', 'amount_cents'])
    .where('convention_id', '=', conventionId)
    .where('kind', '=', 'ingenierie')
    .where('engineering_action_id', 'in', removed.map((a) => a.id))
    .execute();
  if (spent.length === 0) return {};
  const reasons = removed
    .map((a) => {
      const mine = spent.filter((e) => e.engineering_action_id === a.id);
      if (mine.length === 0) return null;
      const total = mine.reduce((sum, e) => sum + e.amount_cents, 0);
      const n = mine.length;
      return `l’action « ${a.label} » : elle finance déjà ${n} dépense${n > 1 ? 's' : ''} (${formatEuros(total)} : ${mine.map((e) => `« ${e.label} »`).join(', ')})`;
    })
    .filter((x): x is string => x !== null);
  return {
    engineeringActions: `Impossible de retirer ${reasons.join(' ; ')}. Supprimez ou corrigez d’abord ces dépenses (Marché de formation › Budget).`,
  };
}

/** Updates the listed actions in place (their ids are referenced by expenses), adds new ones, removes the others. */
async function replaceActions(trx: Transaction<DB>, conventionId: number, actions: { id?: number; label: string; plannedCents: number }[]): Promise<void> {
  const existing = new Set(
    (await trx.selectFrom('convention_engineering_actions').select('id').where('convention_id', '=', conventionId).execute()).map((r) => r.id),
  );
  const kept = new Set<number>();
  for (const [i, a] of actions.entries()) {
    if (a.id === undefined) {
      await trx.insertInto('convention_engineering_actions').values({ convention_id: conventionId, label: a.label, planned_cents: a.plannedCents, position: i }).execute();
      continue;
    }
    if (!existing.has(a.id)) {
      throw new AppError('validation', `L'action d'ingénierie n° ${a.id} n'appartient pas à cette convention.`, { fields: { [`engineeringActions.${i}.id`]: 'Action inconnue.' } });
    }
    kept.add(a.id);
    await trx.updateTable('convention_engineering_actions').set({ label: a.label, planned_cents: a.plannedCents, position: i }).where('id', '=', a.id).execute();
  }
  const removed = [...existing].filter((x) => !kept.has(x));
  if (removed.length > 0) await trx.deleteFrom('convention_engineering_actions').where('id', 'in', removed).execute();
}

async function insertActions(
  trx: Transaction<DB>,
  conventionId: number,
  actions: { label: string; plannedCents: number }[],
): Promise<void> {
  if (actions.length === 0) return;
  await trx
    .insertInto('convention_engineering_actions')
    .values(actions.map((a, i) => ({ convention_id: conventionId, label: a.label, planned_cents: a.plannedCents, position: i })))
    .execute();
}
