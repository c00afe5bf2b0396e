// The cancel of an import in progress (the job's signal), checked between batches of rows.
import { AppError } from '../../errors';

export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AppError('cancelled', 'Import annulé : rien n’a été enregistré.');
}
