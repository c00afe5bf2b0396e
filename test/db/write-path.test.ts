// Issue 14, « one write path », through dispatch (the registry the three hosts share) and the
// Electron IPC host (the web host: test/web/write-path.test.ts): a write
// answered « done » by another channel while an import job writes survives the job's cancel, and
// a read is answered while the job writes.
import { afterEach, describe, expect, it } from 'vitest';
import { registerIpc, type IpcMainLike } from '../../electron/main/ipc';
import { dispatch } from '../../electron/services/handlers';
import { creuseConvention, openTestApp, type TestApp } from '../helpers/app';
import { cancelledJobWithConcurrentWrites, readDuringJob, type Call } from '../helpers/write-path';

const apps: TestApp[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});
function app(): { a: TestApp; call: Call } {
  const a = openTestApp({ now: '2025-11-20T10:00:00Z' });
  apps.push(a);
  return { a, call: (channel, input) => dispatch(a.ctx, channel, input) };
}

describe('one write path (dispatch)', () => {
  it('a write answered « done » during a 20 000-row import job survives the cancel of the job', async () => {
    const { call } = app();
    const r = await cancelledJobWithConcurrentWrites(call, creuseConvention);
    expect(r.chunkEnv).toMatchObject({ ok: true, value: { done: true, result: { rows: 1 } } });
    expect(r.convEnv).toMatchObject({ ok: true });
    expect(r.end.state).toBe('annule');
    expect(r.people).toBe(0);
    expect(r.publicListRows).toBe(1);
    expect(r.conventions).toBe(1);
  }, 120_000);

  it('a read sent while the job writes is answered before the job ends', async () => {
    const { call } = app();
    const r = await readDuringJob(call);
    expect(r.status.rows).toBe(0);
    expect(r.people.total).toBe(0); // the job's rows are not visible before its commit
    expect(r.stateWhenAnswered).toBe('en_cours');
    expect(r.end.state).toBe('termine');
  }, 120_000);

  it('the same through the Electron IPC host (ipcMain handlers, no queue of its own)', async () => {
    const a = openTestApp({ now: '2025-11-20T10:00:00Z' });
    apps.push(a);
    const APP = 'file:///C:/Program%20Files/FNE/resources/app.asar/out/renderer/index.html';
    const listeners = new Map<string, Parameters<IpcMainLike['handle']>[1]>();
    registerIpc({ handle: (c, l) => void listeners.set(c, l) }, a.ctx, () => APP);
    const call: Call = (channel, input) => listeners.get(`fne:${channel}`)!({ senderFrame: { url: APP, parent: null } }, input);
    const r = await cancelledJobWithConcurrentWrites(call, creuseConvention);
    expect(r.chunkEnv).toMatchObject({ ok: true, value: { done: true } });
    expect(r.end.state).toBe('annule');
    expect(r.people).toBe(0);
    expect(r.publicListRows).toBe(1);
    expect(r.conventions).toBe(1);
  }, 120_000);
});
