// Issue 14, « one write path », through the web host (HTTP, the browser's way in): same
// scenario as test/db/write-path.test.ts.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startWebHost, type WebHost } from '../../electron/web/server';
import { creuseConvention, openTestApp, tempDir, type TestApp } from '../helpers/app';
import { cancelledJobWithConcurrentWrites, readDuringJob, type Call } from '../helpers/write-path';

let app: TestApp | undefined;
let host: WebHost | undefined;
afterEach(async () => {
  await host?.close();
  await app?.close();
  host = app = undefined;
});

async function open(): Promise<Call> {
  app = openTestApp({ now: '2025-11-20T10:00:00Z' });
  const rendererDir = tempDir('fne-renderer-');
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>FNE</title>');
  const h = (host = await startWebHost({ ctx: app.ctx, rendererDir }));
  return async (channel, input) => {
    const res = await fetch(`http://127.0.0.1:${h.port}/api/${channel}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-fne-token': h.token },
      body: JSON.stringify(input),
    });
    return res.json();
  };
}

describe('one write path (web host)', () => {
  it('a write answered « done » during a 20 000-row import job survives the cancel of the job', async () => {
    const r = await cancelledJobWithConcurrentWrites(await open(), creuseConvention);
    expect(r.chunkEnv).toMatchObject({ ok: true, value: { done: true, result: { rows: 1 } } });
    expect(r.convEnv).toMatchObject({ ok: true });
    expect(r.end.state).toBe('annule');
    expect(r.people).toBe(0);
    expect(r.publicListRows).toBe(1);
    expect(r.conventions).toBe(1);
  }, 120_000);

  it('a read sent while the job writes is answered before the job ends', async () => {
    const r = await readDuringJob(await open());
    expect(r.status.rows).toBe(0);
    expect(r.people.total).toBe(0);
    expect(r.stateWhenAnswered).toBe('en_cours');
    expect(r.end.state).toBe('termine');
  }, 120_000);
});
