// The retention rules, in one place. Pure functions.
// - A convention's personal data are kept until its retention date: by default its end date + 5
//   years (contract documents are kept at least 5 years, R2184-12/13 of the Code de la commande
//   publique); the officer may set another date.
// - After it, its people are anonymised: someone trained in this convention only (or in
//   conventions past their own retention date), or someone never registered in any session once
//   no other convention still runs. Someone registered in a convention still within its retention
//   period is kept whole.
// - Anonymised: names, e-mail, phone, comment and the free texts written about the person;
//   kept: counts, amounts, structure (employer), profession, dates, and the pièces of spending.

/** Years after the end date (R2184-12/13). */
export const RETENTION_YEARS = 5;

/** `iso` + `years` years (29 February → 28 February). */
export function addYears(iso: string, years: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const last = new Date(Date.UTC(y + years, m, 0)).getUTCDate();
  return `${String(y + years).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

export function defaultRetentionUntil(endDate: string): string {
  return addYears(endDate, RETENTION_YEARS);
}

export function retentionUntil(endDate: string, chosen: string | null): string {
  return chosen ?? defaultRetentionUntil(endDate);
}

/** Past its retention date: strictly after it. */
export function isPast(retention: string, today: string): boolean {
  return today > retention;
}

/**
 * Whether a person goes with convention `conventionId`: every convention they were registered in
 * is past its retention date (or anonymised), this one included; or they were never registered
 * and no convention still holds its data.
 */
export function goesWith(conventionId: number, personConventions: ReadonlySet<number>, pastOrDone: ReadonlySet<number>, anyStillKept: boolean): boolean {
  if (personConventions.size === 0) return !anyStillKept;
  if (!personConventions.has(conventionId)) return false;
  for (const c of personConventions) if (!pastOrDone.has(c)) return false;
  return true;
}

/** What replaces a free text written about a person (a reason, a comment). */
export const ANONYMISED_TEXT = 'Texte anonymisé (fin de la durée de conservation)';
export const ANONYMISED_NOM = 'ANONYME';
export const anonymisedPrenom = (personId: number) => `Personne n° ${personId}`;
