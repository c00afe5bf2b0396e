// Any error → the envelope's error: typed AppErrors keep their code and French message;
// anything else is logged and reported as an internal error in French.
import type { IpcError } from '../../shared/ipc/envelope';
import { boundMessage, MAX_MESSAGE_CHARS } from './common/untrusted/limits';
import { AppError } from './errors';

export function toIpcError(err: unknown, log?: (e: unknown) => void): IpcError {
  if (err instanceof AppError) {
    // A message built from a file's content (names of columns, of sheets…) never grows with the
    // file: the French message is cut at MAX_MESSAGE_CHARS, whatever the service put in it.
    const e = err.toIpc();
    return e.message.length > MAX_MESSAGE_CHARS ? { ...e, message: boundMessage(e.message) } : e;
  }
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
