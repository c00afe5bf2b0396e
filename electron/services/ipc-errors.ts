// Any error → the envelope's error: typed AppErrors keep their code and French message;
// anything else is logged and reported as an internal error in French.
import type { IpcError } from '../../shared/ipc/envelope';
import { AppError } from './errors';

export function toIpcError(err: unknown, log?: (e: unknown) => void): IpcError {
  if (err instanceof AppError) return err.toIpc();
  log?.(err);
  const sqliteCode = (err as { code?: string })?.code;
  if (typeof sqliteCode === 'string' && sqliteCode.startsWith('SQLITE_CONSTRAINT')) {
    return { code: 'conflict', message: "L'enregistrement contredit une donnée existante : rien n'a été modifié." };
  }
  return {
    code: 'internal',
    message: "Une erreur inattendue s'est produite ; rien n'a été modifié. Le détail est dans le journal.",
    details: err instanceof Error ? err.message : String(err),
  };
}
