import path from 'node:path';
import type { Piece, ownerTypes } from '../../../shared/ipc/channels/pieces';
import { recordAudit } from '../audit';
import { type ServiceContext, writeTransaction } from '../context';
import { AppError, notFound } from '../errors';
import { ownerExists } from './owners';
import { pieceRoles, roleLabel } from './roles';
import { writeBlob } from './store';

type OwnerType = (typeof ownerTypes)[number];

const MIME_BY_EXT: Record<string, string> = {
  '.pdf': 'application/pdf',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.xls': 'application/vnd.ms-excel',
  '.ods': 'application/vnd.oasis.opendocument.spreadsheet',
  '.csv': 'text/csv',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.odt': 'application/vnd.oasis.opendocument.text',
  '.txt': 'text/plain',
  '.zip': 'application/zip',
};

/** Keeps only the file's own name: a name from outside never chooses where we write. */
export function safeOriginalName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const cleaned = base.replace(/[\u0000-\u001f<>:"|?*]/g, '_').trim();
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? 'fichier' : cleaned.slice(0, 200);
}

function toPiece(r: {
  id: number;
  sha256: string;
  original_name: string;
  mime_type: string;
  size: number;
  added_at: string;
  owner_type: string;
  owner_id: number;
  role: string;
  note: string | null;
}): Piece {
  const ownerType = r.owner_type as OwnerType;
  return {
    id: r.id,
    sha256: r.sha256,
    originalName: r.original_name,
    mimeType: r.mime_type,
    size: r.size,
    addedAt: r.added_at,
    ownerType,
    ownerId: r.owner_id,
    role: r.role,
    roleLabel: roleLabel(ownerType, r.role) ?? r.role,
    note: r.note,
  };
}

export interface AttachInput {
  ownerType: OwnerType;
  ownerId: number;
  role: string;
  fileName: string;
  mimeType?: string;
  bytes: Uint8Array;
  note?: string;
}

/** Stores the file once (by content) and links it to the record; attaching it again returns the same pièce. */
export async function attachPiece(ctx: ServiceContext, input: AttachInput): Promise<Piece> {
  if (!roleLabel(input.ownerType, input.role)) {
    throw new AppError('validation', `Type de pièce inconnu pour cet enregistrement : « ${input.role} ».`, {
      fields: { role: 'Choisissez ce que prouve ce document.' },
    });
  }
  if (!(await ownerExists(ctx, input.ownerType, input.ownerId))) {
    throw new AppError('not_found', "L'enregistrement auquel joindre ce fichier n'existe pas.");
  }
  if (input.bytes.byteLength === 0) throw new AppError('file_unreadable', 'Le fichier est vide : rien à joindre.');
  const originalName = safeOriginalName(input.fileName);
  const mimeType =
    MIME_BY_EXT[path.extname(originalName).toLowerCase()] ?? (input.mimeType || 'application/octet-stream');
  // File first (durable), row second: see store.ts.
  const blob = writeBlob(ctx.dataDir, input.bytes);
  const now = ctx.now().toISOString();
  const id = await writeTransaction(ctx, async (trx) => {
    await trx
      .insertInto('blobs')
      .values({ sha256: blob.sha256, size: blob.size, stored_at: now })
      .onConflict((oc) => oc.column('sha256').doNothing())
      .execute();
    const existing = await trx
      .selectFrom('pieces')
      .select('id')
      .where('owner_type', '=', input.ownerType)
      .where('owner_id', '=', input.ownerId)
      .where('role', '=', input.role)
      .where('sha256', '=', blob.sha256)
      .executeTakeFirst();
    if (existing) return existing.id;
    const { id } = await trx
      .insertInto('pieces')
      .values({
        sha256: blob.sha256,
        original_name: originalName,
        mime_type: mimeType,
        size: blob.size,
        added_at: now,
        owner_type: input.ownerType,
        owner_id: input.ownerId,
        role: input.role,
        note: input.note?.trim() || null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx, {
      action: 'attach',
      entity: 'piece',
      entityId: id,
      after: { ownerType: input.ownerType, ownerId: input.ownerId, role: input.role, sha256: blob.sha256, originalName },
    });
    return id;
  });
  return getPiece(ctx, id);
}

export async function getPiece(ctx: ServiceContext, id: number): Promise<Piece> {
  const r = await ctx.store.db.selectFrom('pieces').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw notFound('La pièce jointe');
  return toPiece(r);
}

export async function listPieces(ctx: ServiceContext, ownerType: OwnerType, ownerId: number): Promise<Piece[]> {
  const rows = await ctx.store.db
    .selectFrom('pieces')
    .selectAll()
    .where('owner_type', '=', ownerType)
    .where('owner_id', '=', ownerId)
    .orderBy('id')
    .execute();
  return rows.map(toPiece);
}

/** Unlinks a pièce from its record. The stored file itself is kept (it may prove something else). */
export async function detachPiece(ctx: ServiceContext, id: number): Promise<{ id: number }> {
  const before = await getPiece(ctx, id);
  await writeTransaction(ctx, async (trx) => {
    await trx.deleteFrom('pieces').where('id', '=', id).execute();
    await recordAudit(trx, ctx, { action: 'detach', entity: 'piece', entityId: id, before });
  });
  return { id };
}

export function rolesFor(ownerType: OwnerType) {
  return pieceRoles[ownerType];
}
