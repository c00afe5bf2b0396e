// Files a host may hand to the officer as a download (the web host's GET /telechargement/<id>):
// a service offers a file it produced itself and gets an opaque id; the web host turns the id
// back into that file. No path ever comes from a request.
import crypto from 'node:crypto';
import path from 'node:path';
import type { ServiceContext } from '../context';

interface Offered {
  file: string;
  name: string;
  at: number;
}

const TTL_MS = 24 * 60 * 60 * 1000;
const MAX_OFFERS = 100;
const offers = new WeakMap<ServiceContext, Map<string, Offered>>();

export const DOWNLOAD_ID = /^d[0-9a-f]{32}$/;

export function offerDownload(ctx: ServiceContext, file: string, name = path.basename(file), now = Date.now()): string {
  let r = offers.get(ctx);
  if (!r) {
    r = new Map();
    offers.set(ctx, r);
  }
  for (const [id, o] of r) if (now - o.at > TTL_MS) r.delete(id);
  while (r.size >= MAX_OFFERS) r.delete(r.keys().next().value as string);
  const id = 'd' + crypto.randomBytes(16).toString('hex');
  r.set(id, { file: path.resolve(file), name, at: now });
  return id;
}

export function offeredDownload(ctx: ServiceContext, id: string, now = Date.now()): { file: string; name: string } | null {
  if (!DOWNLOAD_ID.test(id)) return null;
  const o = offers.get(ctx)?.get(id);
  if (!o || now - o.at > TTL_MS) return null;
  return { file: o.file, name: o.name };
}
