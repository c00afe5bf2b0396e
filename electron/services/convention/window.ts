// The convention's window: what counts toward the convention happens between its signature and
// its end date (art. 3 of ANCT's convention; « Les porteurs de la dotation ont jusqu'au 31
// décembre 2025 pour que les 60 départs en formation au minimum soient effectifs » — the date is
// stored per convention, never a constant here).
//   - A training counts toward the target only when it took place inside the window (every
//     half-day between the signature and the end date). A session outside it is KEPT (a session
//     already held must stay recordable, its attendance and certificates too), shown with a
//     warning, and left out of the count (departures.ts: not counted, code `hors_fenetre`).
//   - An order, invoice, management fee or engineering expense dated outside the window is kept
//     with a warning and a checklist point: ANCT may refuse to count it.
//   - A signature date not entered yet bounds nothing (the checklist asks for it).
import { frDate } from '../common/dates';

export interface ConventionWindow {
  signatureDate: string | null;
  endDate: string;
}

export type WindowPosition = 'avant_signature' | 'dans_la_fenetre' | 'apres_fin';

/** Where a date (ISO) falls with respect to the convention's window. */
export function windowPosition(date: string, w: ConventionWindow): WindowPosition {
  const d = date.slice(0, 10);
  if (w.signatureDate !== null && d < w.signatureDate) return 'avant_signature';
  if (d > w.endDate) return 'apres_fin';
  return 'dans_la_fenetre';
}

/** A session is inside the window when its first and last half-days are (a session without dates is not judged yet). */
export function sessionInWindow(firstDate: string | null, lastDate: string | null, w: ConventionWindow): boolean {
  if (firstDate === null || lastDate === null) return true;
  return windowPosition(firstDate, w) === 'dans_la_fenetre' && windowPosition(lastDate, w) === 'dans_la_fenetre';
}

/** The French reason a session is outside the window, or null when it is inside. */
export function sessionWindowWarning(firstDate: string | null, lastDate: string | null, w: ConventionWindow): string | null {
  if (sessionInWindow(firstDate, lastDate, w)) return null;
  const when = firstDate === lastDate ? `le ${frDate(firstDate!)}` : `du ${frDate(firstDate!)} au ${frDate(lastDate!)}`;
  const bound =
    windowPosition(firstDate!, w) === 'avant_signature'
      ? `avant la signature de la convention (${frDate(w.signatureDate!)})`
      : `après la fin de la convention (${frDate(w.endDate)})`;
  return `Session ${when}, ${bound} : ses participants ne comptent pas dans l’objectif de départs. Corrigez les dates si elles sont fausses, ou la date de ${bound.startsWith('avant') ? 'signature' : 'fin'} de la convention si elle a été prolongée par avenant.`;
}

/** The French warning for a dated expense (order, invoice, payment, fee) outside the window, or null. */
export function expenseWindowWarning(what: string, date: string, w: ConventionWindow): string | null {
  const pos = windowPosition(date, w);
  if (pos === 'dans_la_fenetre') return null;
  return pos === 'avant_signature'
    ? `${what} daté(e) du ${frDate(date)}, avant la signature de la convention (${frDate(w.signatureDate!)}) : l’ANCT peut refuser de la compter. Vérifiez la date.`
    : `${what} daté(e) du ${frDate(date)}, après la fin de la convention (${frDate(w.endDate)}) : l’ANCT peut refuser de la compter. Vérifiez la date, ou la date de fin de la convention si elle a été prolongée.`;
}

/** Days from `today` to the end date (0 on the day itself, negative once it has passed). */
export function daysUntil(endDate: string, today: string): number {
  const ms = Date.parse(`${endDate}T00:00:00Z`) - Date.parse(`${today.slice(0, 10)}T00:00:00Z`);
  return Math.round(ms / 86_400_000);
}
