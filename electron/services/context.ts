// What every service receives: the store, the data folder (pièces, backups), and a clock
// (injected so tests can fix "today").
import type { Store } from '../db/connection';

export interface ServiceContext {
  store: Store;
  /** Folder holding the pièces store (pieces/), backups and logs. */
  dataDir: string;
  now: () => Date;
  /** Who is acting, for the audit log ("agent" in the UI, "cli" in scripts). */
  actor: string;
}

export function isoNow(ctx: ServiceContext): string {
  return ctx.now().toISOString();
}

export function isoToday(ctx: ServiceContext): string {
  return ctx.now().toISOString().slice(0, 10);
}
