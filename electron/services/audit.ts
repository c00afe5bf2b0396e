// The audit trail: every change writes who/when/what with before and after, inside the same
// transaction as the change itself (so undo and history can be built on it).
import type { Kysely, Transaction } from 'kysely';
import type { AuditAction, AuditEntity } from '../../shared/codes';
import type { DB } from '../db/schema';
import type { ServiceContext } from './context';

export async function recordAudit(
  trx: Kysely<DB> | Transaction<DB>,
  ctx: ServiceContext,
  entry: { action: AuditAction; entity: AuditEntity; entityId?: number | null; before?: unknown; after?: unknown; batchId?: string },
): Promise<void> {
  await trx
    .insertInto('audit_log')
    .values({
      at: ctx.now().toISOString(),
      actor: ctx.actor,
      action: entry.action,
      entity: entry.entity,
      entity_id: entry.entityId ?? null,
      before_json: entry.before === undefined ? null : JSON.stringify(entry.before),
      after_json: entry.after === undefined ? null : JSON.stringify(entry.after),
      batch_id: entry.batchId ?? null,
    })
    .execute();
}
