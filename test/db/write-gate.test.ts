// The write gate of the store (electron/db/write-gate.ts, services/context.ts): the connection
// refuses writes outside it, writers wait for each other (a job's transaction included), readers
// never wait for a writer, a restore waits for the writer in progress.
import { afterEach, describe, expect, it } from 'vitest';
import { WriteOutsideGateError } from '../../electron/db/connection';
import { withWriteLock, writeJob, writeSync, writeTransaction, readGate, exclusiveWrite } from '../../electron/services/context';
import { openTestApp, type TestApp } from '../helpers/app';

const apps: TestApp[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});
function app(): TestApp {
  const a = openTestApp({ now: '2025-11-20T10:00:00Z' });
  apps.push(a);
  return a;
}
const setting = (key: string) => ({ key, value_json: '1' });
const count = (a: TestApp) => (a.ctx.store.sqlite.prepare('SELECT count(*) AS n FROM app_settings WHERE key LIKE ?').get('t.%') as { n: number }).n;
const tick = () => new Promise((r) => setTimeout(r, 5));

describe('the write gate', () => {
  it('refuses a write outside it: raw statement, exec, kysely; reads pass', async () => {
    const { ctx } = app();
    expect(() => ctx.store.sqlite.prepare("INSERT INTO app_settings (key, value_json) VALUES ('t.a', '1')").run()).toThrow(WriteOutsideGateError);
    expect(() => ctx.store.sqlite.exec("DELETE FROM app_settings WHERE key = 't.a'")).toThrow(WriteOutsideGateError);
    await expect(ctx.store.db.insertInto('app_settings').values(setting('t.b')).execute()).rejects.toThrow(WriteOutsideGateError);
    // A statement prepared inside a hold cannot be kept and run after it.
    const kept = await withWriteLock(ctx, () => ctx.store.sqlite.prepare('INSERT INTO app_settings (key, value_json) VALUES (?, ?)'));
    expect(() => kept.run('t.c', '1')).toThrow(WriteOutsideGateError);
    expect(count({ ctx } as TestApp)).toBe(0);
    await writeTransaction(ctx, (trx) => trx.insertInto('app_settings').values(setting('t.d')).execute());
    await writeSync(ctx, (sqlite) => sqlite.prepare("INSERT INTO app_settings (key, value_json) VALUES ('t.e', '1')").run());
    expect(count({ ctx } as TestApp)).toBe(2);
  });

  it('a job holding the gate between its batches: another write waits for its end and is not rolled back with it', async () => {
    const a = app();
    const { ctx } = a;
    let batches = 0;
    let cancelled = false;
    const release = () => (cancelled = true);
    const job = writeJob(ctx, async (_trx, sqlite) => {
      for (;;) {
        sqlite.prepare('INSERT INTO app_settings (key, value_json) VALUES (?, ?)').run(`t.job${batches++}`, '1');
        await tick(); // between two batches: the transaction is open, the gate held
        if (cancelled) throw new Error('annulé');
      }
    }).catch((e: Error) => e.message);
    while (batches < 2) await tick();
    const order: string[] = [];
    const other = writeTransaction(ctx, async (trx) => {
      order.push('other');
      await trx.insertInto('app_settings').values(setting('t.other')).execute();
    });
    // A read meanwhile: answered at once, sees the last commit (not the job's rows).
    expect(await readGate(ctx, () => count(a))).toBe(0);
    await tick();
    expect(order).toEqual([]); // still waiting for the job
    order.push('cancel');
    release();
    expect(await job).toBe('annulé');
    await other;
    expect(order).toEqual(['cancel', 'other']);
    expect(ctx.store.sqlite.prepare("SELECT key FROM app_settings WHERE key LIKE 't.%'").all()).toEqual([{ key: 't.other' }]);
  });

  it('writers are served one after the other, in order, and a write inside a write does not wait for itself', async () => {
    const { ctx } = app();
    const log: string[] = [];
    const w = (name: string) =>
      withWriteLock(ctx, async () => {
        log.push(`${name}:start`);
        await tick();
        await writeTransaction(ctx, (trx) => trx.insertInto('app_settings').values(setting(`t.${name}`)).execute());
        log.push(`${name}:end`);
      });
    await Promise.all([w('a'), w('b'), w('c')]);
    expect(log).toEqual(['a:start', 'a:end', 'b:start', 'b:end', 'c:start', 'c:end']);
  });

  it('an exclusive hold (a restore) waits for the writer and the readers in progress; readers wait for it', async () => {
    const { ctx } = app();
    const log: string[] = [];
    let endRead!: () => void;
    const reading = readGate(ctx, () => new Promise<void>((r) => (endRead = () => (log.push('read1:end'), r()))));
    const writing = withWriteLock(ctx, async () => {
      await tick();
      log.push('write:end');
    });
    const swap = exclusiveWrite(ctx, () => log.push('swap'));
    await tick();
    await tick();
    const later = readGate(ctx, () => log.push('read2'));
    await tick();
    expect(log).toEqual(['write:end']);
    endRead();
    await Promise.all([reading, writing, swap, later]);
    expect(log).toEqual(['write:end', 'read1:end', 'swap', 'read2']);
  });
});
