// Typed application errors: a stable code for programs, a French message for the officer.
import type { ErrorCode, IpcError } from '../../shared/ipc/envelope';

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields?: Record<string, string>;
  readonly details?: unknown;

  constructor(code: ErrorCode, message: string, extra: { fields?: Record<string, string>; details?: unknown } = {}) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.fields = extra.fields;
    this.details = extra.details;
  }

  toIpc(): IpcError {
    const e: IpcError = { code: this.code, message: this.message };
    if (this.fields && Object.keys(this.fields).length > 0) e.fields = this.fields;
    if (this.details !== undefined) e.details = this.details;
    return e;
  }
}

/** Refuse with per-field French messages when any field has a problem. */
export function throwIfFieldErrors(fields: Record<string, string>, summary = 'Certaines informations sont à corriger.'): void {
  const n = Object.keys(fields).length;
  if (n === 0) return;
  const first = Object.values(fields)[0];
  throw new AppError('validation', n === 1 ? first : `${summary} (${n} points)`, { fields });
}

export function notFound(what: string): AppError {
  return new AppError('not_found', `${what} introuvable.`);
}
