// Every reply on every channel is an envelope: the renderer never sees a thrown error,
// only { ok: false, error } with a stable code and a French message (pattern from Signal Desktop).
import { z } from 'zod';

export const errorCodes = [
  'invalid_input', // the input does not match the channel's schema
  'unknown_channel',
  'input_too_large',
  'validation', // a business rule refused the change (details.fields says which)
  'not_found',
  'conflict',
  'file_unreadable',
  'forbidden',
  'cancelled',
  'internal',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export const ipcErrorSchema = z.object({
  code: z.enum(errorCodes),
  message: z.string(),
  /** Per-field French messages, keyed by the input's field path ("signatureDate", "actions.0.label"). */
  fields: z.record(z.string(), z.string()).optional(),
  details: z.unknown().optional(),
});
export type IpcError = z.infer<typeof ipcErrorSchema>;

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: IpcError };
