// The decisions of the Electron shell, with injected fakes (no Electron here).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { channelNames } from '../../shared/ipc/contract';
import type { Envelope } from '../../shared/ipc/envelope';
import { IPC_PREFIX, registerIpc, type IpcMainLike } from '../../electron/main/ipc';
import { decideNavigation, isAllowedExternal, isAppUrl, isTrustedSender } from '../../electron/main/security';
import { creuseConvention, dbSnapshot, openTestApp, type TestApp } from '../helpers/app';

const APP = 'file:///C:/Program%20Files/FNE/resources/app.asar/out/renderer/index.html';
const DEV = 'http://localhost:5173/';

describe('navigation and windows', () => {
  it('keeps the window on the app itself', () => {
    expect(isAppUrl(APP + '#/convention', APP)).toBe(true);
    expect(isAppUrl('file:///C:/Windows/System32/evil.html', APP)).toBe(false);
    expect(isAppUrl('http://localhost:5173/#/x', DEV)).toBe(true);
    expect(isAppUrl('http://localhost:5174/', DEV)).toBe(false);
    expect(isAppUrl('pas une url', APP)).toBe(false);
  });
  it('sends allowlisted https links to the system browser and refuses the rest', () => {
    expect(decideNavigation('https://aidantsconnect.beta.gouv.fr/habilitation', APP, 'new-window')).toBe('open-external');
    expect(decideNavigation('https://evil.example/', APP, 'new-window')).toBe('deny');
    expect(decideNavigation('http://aidantsconnect.beta.gouv.fr/', APP, 'navigate')).toBe('deny');
    expect(decideNavigation(APP + '#/marche', APP, 'navigate')).toBe('allow');
    expect(decideNavigation(APP, APP, 'new-window')).toBe('deny');
    expect(isAllowedExternal('https://user:pw@www.data.gouv.fr/')).toBe(false);
    expect(isAllowedExternal('javascript:alert(1)')).toBe(false);
  });
  it('answers IPC only for the top frame of the app', () => {
    expect(isTrustedSender({ url: APP, parent: null }, APP)).toBe(true);
    expect(isTrustedSender({ url: APP, parent: {} }, APP)).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.example/', parent: null }, APP)).toBe(false);
    expect(isTrustedSender(null, APP)).toBe(false);
  });
});

describe('IPC wiring', () => {
  let app: TestApp;
  beforeEach(() => {
    app = openTestApp();
  });
  afterEach(() => app.close());

  function fakeIpcMain() {
    const listeners = new Map<string, Parameters<IpcMainLike['handle']>[1]>();
    const ipc: IpcMainLike = { handle: (c, l) => void listeners.set(c, l) };
    return { ipc, listeners };
  }

  it('registers every channel of the contract, prefixed, and dispatches to the services', async () => {
    const { ipc, listeners } = fakeIpcMain();
    const registered = registerIpc(ipc, app.ctx, () => APP);
    expect(registered.sort()).toEqual(channelNames.map((c) => IPC_PREFIX + c).sort());
    const env = (await listeners.get('fne:convention.create')!({ senderFrame: { url: APP, parent: null } }, creuseConvention)) as Envelope<{ id: number }>;
    expect(env.ok).toBe(true);
  });

  it('refuses a call from another frame without touching the database', async () => {
    const { ipc, listeners } = fakeIpcMain();
    registerIpc(ipc, app.ctx, () => APP);
    const before = dbSnapshot(app.ctx);
    const env = await listeners.get('fne:convention.create')!({ senderFrame: { url: 'https://evil.example/', parent: null } }, creuseConvention);
    expect(env).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(dbSnapshot(app.ctx).equals(before)).toBe(true);
  });
});
