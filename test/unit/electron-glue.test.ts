// The decisions of the Electron shell, with injected fakes (no Electron here).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { channelNames } from '../../shared/ipc/contract';
import type { Envelope } from '../../shared/ipc/envelope';
import { IPC_PREFIX, registerIpc, type IpcMainLike } from '../../electron/main/ipc';
import { DIALOG_CHANNEL, PICK_PURPOSES, pickFor, registerDialogIpc, type OpenDialogLike, type OpenDialogOptions } from '../../electron/main/dialogs';
import { resolvePicked } from '../../electron/services/common/picked-paths';
import { dispatch } from '../../electron/services/handlers';
import path from 'node:path';
import {
  APP_INDEX_URL,
  appProtocolFile,
  decideFrameNavigation,
  decideNavigation,
  decidePermission,
  decideRedirect,
  isAllowedExternal,
  isAppUrl,
  isTrustedSender,
} from '../../electron/main/security';
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

describe('app:// protocol, permissions, redirects and frames', () => {
  it('treats app://fne/ as the app, and no other custom-scheme page (their origin is always "null")', () => {
    expect(isAppUrl(APP_INDEX_URL + '#/convention', APP_INDEX_URL)).toBe(true);
    expect(isAppUrl('app://fne/assets/index.js', APP_INDEX_URL)).toBe(true);
    expect(isAppUrl('app://autre/index.html', APP_INDEX_URL)).toBe(false);
    expect(isAppUrl('evil://fne/index.html', APP_INDEX_URL)).toBe(false);
    expect(isAppUrl('javascript:alert(1)', APP_INDEX_URL)).toBe(false);
    expect(isAppUrl('file:///C:/Users/agent/index.html', APP_INDEX_URL)).toBe(false);
    expect(isTrustedSender({ url: 'app://fne/index.html', parent: null }, APP_INDEX_URL)).toBe(true);
    expect(isTrustedSender({ url: 'app://fne/index.html', parent: {} }, APP_INDEX_URL)).toBe(false);
  });

  it('serves only files of the renderer folder on app://', () => {
    const p = path.posix;
    const dir = '/opt/fne/out/renderer';
    expect(appProtocolFile('app://fne/index.html', dir, p)).toBe('/opt/fne/out/renderer/index.html');
    expect(appProtocolFile('app://fne/', dir, p)).toBe('/opt/fne/out/renderer/index.html');
    expect(appProtocolFile('app://fne/assets/index-abc.js', dir, p)).toBe('/opt/fne/out/renderer/assets/index-abc.js');
    // The URL parser itself folds ../ and %2e%2e/ back under the root; an encoded slash is refused.
    expect(appProtocolFile('app://fne/../main/index.js', dir, p)).toBe('/opt/fne/out/renderer/main/index.js');
    expect(appProtocolFile('app://fne/%2e%2e/%2e%2e/etc/passwd', dir, p)).toBe('/opt/fne/out/renderer/etc/passwd');
    for (const bad of [
      'app://fne/assets/..%2f..%2fsecret',
      'app://fne/..%5c..%5csecret',
      'app://fne/C:/Windows/win.ini',
      'app://fne/%E0%A4%A',
      'app://autre/index.html',
      'file:///etc/passwd',
      'pas une url',
    ]) {
      expect(appProtocolFile(bad, dir, p), bad).toBeNull();
    }
    const w = path.win32;
    expect(appProtocolFile('app://fne/assets/a.js', 'C:\\FNE\\renderer', w)).toBe('C:\\FNE\\renderer\\assets\\a.js');
    expect(appProtocolFile('app://fne/..%5cmain.js', 'C:\\FNE\\renderer', w)).toBeNull();
  });

  it('grants no web permission, neither asked nor checked', () => {
    for (const perm of ['media', 'notifications', 'clipboard-read', 'geolocation', 'openExternal', 'fileSystem', 'hid', 'serial', 'usb']) {
      expect(decidePermission(perm)).toBe(false);
    }
  });

  it('never follows a redirect out of the app, and lets no sub-frame navigate', () => {
    expect(decideRedirect('app://fne/index.html#/x', APP_INDEX_URL)).toBe('allow');
    expect(decideRedirect('https://aidantsconnect.beta.gouv.fr/', APP_INDEX_URL)).toBe('deny');
    expect(decideRedirect('https://evil.example/', APP_INDEX_URL)).toBe('deny');
    expect(decideFrameNavigation('app://fne/index.html', APP_INDEX_URL, true)).toBe('allow');
    expect(decideFrameNavigation('app://fne/index.html', APP_INDEX_URL, false)).toBe('deny');
    expect(decideFrameNavigation('https://evil.example/', APP_INDEX_URL, true)).toBe('deny');
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

describe('native dialogs: the renderer gets handles, never paths', () => {
  let app: TestApp;
  beforeEach(() => {
    app = openTestApp();
  });
  afterEach(() => app.close());

  function fakeDialog(answer: { canceled: boolean; filePaths: string[] }) {
    const asked: OpenDialogOptions[] = [];
    const dialog: OpenDialogLike = { showOpenDialog: async (o) => (asked.push(o), answer) };
    return { dialog, asked };
  }

  it('a folder picked for the backups becomes a handle that sauvegarde.dossier accepts', async () => {
    const chosen = path.join(app.dir, 'mes-sauvegardes');
    const fs = await import('node:fs');
    fs.mkdirSync(chosen, { mode: 0o700 });
    const { dialog, asked } = fakeDialog({ canceled: false, filePaths: [chosen] });
    const env = await pickFor(dialog, app.ctx, 'sauvegarde.dossier');
    expect(asked[0].properties).toContain('openDirectory');
    expect(asked[0].title).toMatch(/dossier de sauvegarde/);
    if (!env.ok || !env.value) throw new Error('picked expected');
    expect(env.value.handle).toMatch(/^h[0-9a-f]{32}$/);
    expect(env.value.handle).not.toContain(chosen);
    expect(env.value.label).toBe(chosen);
    expect(resolvePicked(app.ctx, env.value.handle, 'folder')).toBe(chosen);
    // The handle is for a folder: it is not accepted where a file is expected.
    expect(() => resolvePicked(app.ctx, env.value!.handle, 'file')).toThrow(/choisissez-le de nouveau/);
    const state = await dispatch(app.ctx, 'sauvegarde.dossier', { dossier: env.value.handle });
    expect(state).toMatchObject({ ok: true, value: { dossier: chosen } });
  });

  it('a file to restore is asked with the backup filter; cancelling gives nothing', async () => {
    const { dialog, asked } = fakeDialog({ canceled: true, filePaths: [] });
    expect(await pickFor(dialog, app.ctx, 'sauvegarde.fichier')).toEqual({ ok: true, value: null });
    expect(asked[0].properties).toContain('openFile');
    expect(asked[0].properties).not.toContain('openDirectory');
    expect(asked[0].filters?.[0].extensions).toEqual(['sqlite']);
  });

  it('refuses a purpose that is not listed, without showing a dialog', async () => {
    const { dialog, asked } = fakeDialog({ canceled: false, filePaths: ['/etc'] });
    for (const p of ['/etc/passwd', 'autre', '__proto__', 42, null]) {
      expect(await pickFor(dialog, app.ctx, p)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
    expect(asked).toEqual([]);
    expect(Object.keys(PICK_PURPOSES).sort()).toEqual(['justification.destination', 'sauvegarde.dossier', 'sauvegarde.fichier']);
  });

  it('answers the dialog channel only for the top frame of the app', async () => {
    const listeners = new Map<string, Parameters<IpcMainLike['handle']>[1]>();
    const ipc: IpcMainLike = { handle: (c, l) => void listeners.set(c, l) };
    const { dialog, asked } = fakeDialog({ canceled: false, filePaths: [app.dir] });
    registerDialogIpc(ipc, () => app.ctx, dialog, () => APP);
    const listener = listeners.get(DIALOG_CHANNEL)!;
    expect(await listener({ senderFrame: { url: 'https://evil.example/', parent: null } }, 'sauvegarde.dossier')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await listener({ senderFrame: { url: APP, parent: {} } }, 'sauvegarde.dossier')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(asked).toEqual([]);
    expect(await listener({ senderFrame: { url: APP, parent: null } }, 'justification.destination')).toMatchObject({ ok: true, value: { label: app.dir } });
  });
});
