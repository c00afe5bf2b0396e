import type { piecesChannels } from '../../../shared/ipc/channels/pieces';
import { AppError } from '../errors';
import type { HandlerMap } from '../handler-types';
import { attachPiece, detachPiece, listPieces, rolesFor } from './service';

function decodeBase64(b64: string): Uint8Array {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) {
    throw new AppError('invalid_input', "Le contenu du fichier n'a pas pu être lu (encodage invalide).");
  }
  return Buffer.from(b64, 'base64');
}

export const piecesHandlers: HandlerMap<keyof typeof piecesChannels> = {
  'pieces.attach': (ctx, i) =>
    attachPiece(ctx, {
      ownerType: i.ownerType,
      ownerId: i.ownerId,
      role: i.role,
      fileName: i.fileName,
      mimeType: i.mimeType,
      bytes: decodeBase64(i.contentBase64),
      note: i.note,
    }),
  'pieces.list': (ctx, i) => listPieces(ctx, i.ownerType, i.ownerId),
  'pieces.roles': async (ctx, i) => rolesFor(i.ownerType),
  'pieces.detach': (ctx, i) => detachPiece(ctx, i.id),
};
