// Small schemas reused by several channels. Shape only: business rules (Luhn, dates order…)
// live in electron/services and answer with French messages.
import { z } from 'zod';
import { MAX_CENTS, readEuros } from '../money';

export const idSchema = z.number().int().positive();
/** ISO calendar date, YYYY-MM-DD. */
export const isoDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Date invalide (attendue : JJ/MM/AAAA)');
/** Money is always integer cents. */
export const centsSchema = z.number().int().min(0).max(MAX_CENTS);

/**
 * An amount field of a form: the text the officer typed in euros (« 1 234,56 € », « 1.234,56 »…),
 * read once by shared/money.ts, or integer cents from a program (CLI, tests). Either way the
 * handler receives integer cents ≥ 0; anything else is refused with a French message on the field,
 * never read as 0. `blank` says what an empty text means for this field (default: refused).
 */
function eurosInput<B extends 'refused' | 'null' | 'zero'>(blank: B) {
  return z.union([z.number(), z.string()]).transform((v, ctx): B extends 'null' ? number | null : number => {
    type Out = B extends 'null' ? number | null : number;
    let cents: number;
    if (typeof v === 'number') {
      if (!Number.isSafeInteger(v)) {
        ctx.addIssue({ code: 'custom', message: 'Montant invalide : un nombre entier de centimes est attendu.' });
        return z.NEVER;
      }
      cents = v;
    } else {
      if (v.trim() === '' && blank === 'null') return null as Out;
      if (v.trim() === '' && blank === 'zero') return 0 as Out;
      const r = readEuros(v);
      if (!r.ok) {
        ctx.addIssue({ code: 'custom', message: r.message });
        return z.NEVER;
      }
      cents = r.cents;
    }
    if (cents < 0) {
      ctx.addIssue({ code: 'custom', message: 'Le montant ne peut pas être négatif.' });
      return z.NEVER;
    }
    if (cents > MAX_CENTS) {
      ctx.addIssue({ code: 'custom', message: 'Le montant est trop élevé (au plus 1 000 000 000 €).' });
      return z.NEVER;
    }
    return cents as Out;
  });
}
/** A required amount: empty text is refused (« Indiquez un montant… »). */
export const amountSchema = eurosInput('refused');
/** An amount that may be left empty: empty text (or null) is no amount (null). */
export const optionalAmountSchema = eurosInput('null').nullish();
/** An amount whose empty text means 0 € by the form's own wording (the VAT of a quote: « laisser vide si exonéré »). */
export const amountBlankIsZeroSchema = eurosInput('zero');
export const shortText = z.string().max(500);
export const longText = z.string().max(20_000);
export const emptyInput = z.object({}).strict();
export const conventionRef = z.object({ conventionId: idSchema }).strict();
/**
 * A file or folder the officer picked in a native dialog of the desktop app, as an opaque
 * handle (the path stays in the main process): never a path, so no channel can name a file.
 */
export const pickedHandleSchema = z.string().regex(/^h[0-9a-f]{32}$/, 'Choix de fichier ou de dossier invalide : choisissez-le de nouveau.');
