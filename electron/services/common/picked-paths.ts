// Files and folders chosen by the officer in a native dialog (desktop app only). The dialog glue
// of the main process is the only caller of registerPicked(); channels carry the opaque handle
// it returns and services turn it back into the path with resolvePicked(). No path ever comes
// from the renderer, the web host or a channel input.
import crypto from 'node:crypto';
import path from 'node:path';
import type { ServiceContext } from '../context';
import { AppError } from '../errors';

export type PickedKind = 'file' | 'folder';

interface Picked {
  kind: PickedKind;
  path: string;
  at: number;
}

/** A handle is good for an hour (a dialog answer, not a lasting setting). */
const TTL_MS = 60 * 60 * 1000;
const MAX_HANDLES = 200;
const registries = new WeakMap<ServiceContext, Map<string, Picked>>();

function registry(ctx: ServiceContext): Map<string, Picked> {
  let r = registries.get(ctx);
  if (!r) {
    r = new Map();
    registries.set(ctx, r);
  }
  return r;
}

/** Remembers a path the officer picked; returns its opaque handle (h + 32 hex digits). */
export function registerPicked(ctx: ServiceContext, kind: PickedKind, picked: string, now = Date.now()): string {
  if (!path.isAbsolute(picked)) throw new Error('registerPicked: absolute path expected');
  const r = registry(ctx);
  for (const [h, p] of r) if (now - p.at > TTL_MS) r.delete(h);
  while (r.size >= MAX_HANDLES) r.delete(r.keys().next().value as string);
  const handle = 'h' + crypto.randomBytes(16).toString('hex');
  r.set(handle, { kind, path: path.resolve(picked), at: now });
  return handle;
}

/** The path behind a handle, or a French refusal (unknown, expired, or a file given for a folder). */
export function resolvePicked(ctx: ServiceContext, handle: string, kind: PickedKind, now = Date.now()): string {
  const p = registry(ctx).get(handle);
  if (!p || now - p.at > TTL_MS || p.kind !== kind) {
    throw new AppError('validation', `Ce ${kind === 'folder' ? 'dossier' : 'fichier'} n’a pas été choisi dans cette fenêtre (ou le choix a expiré) : choisissez-le de nouveau. Rien n’a été modifié.`);
  }
  return p.path;
}
