import { z } from 'zod';
import { idSchema, shortText } from '../common';

/** What a pièce is attached to. Each later step adds its owner types here. */
export const ownerTypes = [
  'convention',
  'import',
  'structure',
  'person',
  'organisme',
  'quote',
  'order',
  'invoice',
  'payment',
  'expense',
  'session',
  'registration',
] as const;
export const ownerTypeSchema = z.enum(ownerTypes);

export const pieceSchema = z.object({
  id: idSchema,
  sha256: z.string(),
  originalName: z.string(),
  mimeType: z.string(),
  size: z.number().int(),
  addedAt: z.string(),
  ownerType: ownerTypeSchema,
  ownerId: idSchema,
  role: z.string(),
  roleLabel: z.string(),
  note: z.string().nullable(),
});
export type Piece = z.infer<typeof pieceSchema>;

/** Files are sent as base64: both hosts (Electron and web) read them with File.arrayBuffer(). */
export const MAX_PIECE_BYTES = 50 * 1024 * 1024;

export const piecesChannels = {
  'pieces.attach': {
    input: z
      .object({
        ownerType: ownerTypeSchema,
        ownerId: idSchema,
        role: z.string().max(60),
        fileName: z.string().min(1).max(255),
        mimeType: z.string().max(150).optional(),
        contentBase64: z.string().max(Math.ceil((MAX_PIECE_BYTES * 4) / 3) + 8),
        note: shortText.optional(),
      })
      .strict(),
    output: pieceSchema,
  },
  'pieces.list': {
    input: z.object({ ownerType: ownerTypeSchema, ownerId: idSchema }).strict(),
    output: z.array(pieceSchema),
  },
  'pieces.roles': {
    input: z.object({ ownerType: ownerTypeSchema }).strict(),
    output: z.array(z.object({ role: z.string(), label: z.string(), required: z.boolean() })),
  },
  'pieces.detach': {
    input: z.object({ id: idSchema }).strict(),
    output: z.object({ id: idSchema }),
  },
} as const;
