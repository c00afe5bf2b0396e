// Small schemas reused by several channels. Shape only: business rules (Luhn, dates order…)
// live in electron/services and answer with French messages.
import { z } from 'zod';

export const idSchema = z.number().int().positive();
/** ISO calendar date, YYYY-MM-DD. */
export const isoDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Date invalide (attendue : JJ/MM/AAAA)');
/** Money is always integer cents. */
export const centsSchema = z.number().int().min(0).max(1_000_000_000_00);
export const shortText = z.string().max(500);
export const longText = z.string().max(20_000);
export const emptyInput = z.object({}).strict();
export const conventionRef = z.object({ conventionId: idSchema }).strict();
/**
 * A file or folder the officer picked in a native dialog of the desktop app, as an opaque
 * handle (the path stays in the main process): never a path, so no channel can name a file.
 */
export const pickedHandleSchema = z.string().regex(/^h[0-9a-f]{32}$/, 'Choix de fichier ou de dossier invalide : choisissez-le de nouveau.');
