// Which table holds each kind of record a pièce can be attached to. A capability whose tables
// do not exist yet is reported as such rather than failing in SQL.
import { sql } from 'kysely';
import type { ownerTypes } from '../../../shared/ipc/channels/pieces';
import type { ServiceContext } from '../context';

type OwnerType = (typeof ownerTypes)[number];

export const ownerTables: Record<OwnerType, string> = {
  convention: 'conventions',
  import: 'imports',
  structure: 'structures',
  person: 'people',
  organisme: 'organismes',
  quote: 'quotes',
  order: 'orders',
  invoice: 'invoices',
  payment: 'payments',
  expense: 'expenses',
  session: 'sessions',
  registration: 'registrations',
};

export async function ownerExists(ctx: ServiceContext, ownerType: OwnerType, ownerId: number): Promise<boolean> {
  const table = ownerTables[ownerType];
  const exists = ctx.store.sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table);
  if (!exists) return false;
  const row = await sql<{ one: number }>`SELECT 1 AS one FROM ${sql.table(table)} WHERE id = ${ownerId}`.execute(ctx.store.db);
  return row.rows.length > 0;
}
