// The Electron shell: one window showing the renderer, the services behind ipcMain.
// Thin on purpose: decisions live in security.ts and ipc.ts (unit-tested), rules in services.
import { app, BrowserWindow, ipcMain, session, shell } from 'electron';
import path from 'node:path';
import { openApp } from '../services/app';
import type { ServiceContext } from '../services/context';
import { registerIpc } from './ipc';
import { electronNativeBinding } from './native';
import { CONTENT_SECURITY_POLICY, decideNavigation } from './security';

let ctx: ServiceContext | undefined;
let appUrl = '';

function createWindow(): void {
  const win = new BrowserWindow({
    width: 1280,
    height: 860,
    title: 'FNE Formations',
    show: false,
    webPreferences: {
      preload: path.join(__dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  win.webContents.on('will-navigate', (event, url) => {
    const d = decideNavigation(url, appUrl, 'navigate');
    if (d !== 'allow') event.preventDefault();
    if (d === 'open-external') void shell.openExternal(url);
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (decideNavigation(url, appUrl, 'new-window') === 'open-external') void shell.openExternal(url);
    return { action: 'deny' };
  });
  const devUrl = process.env.ELECTRON_RENDERER_URL;
  if (devUrl) {
    appUrl = devUrl;
    void win.loadURL(devUrl);
  } else {
    const file = path.join(__dirname, '../renderer/index.html');
    appUrl = 'file://' + file.replace(/\\/g, '/').replace(/^(?!\/)/, '/');
    void win.loadFile(file);
  }
}

app.enableSandbox();
app.whenReady().then(() => {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ctx = openApp({
    dataDir: app.getPath('userData'),
    nativeBinding: electronNativeBinding(app.getAppPath(), process.resourcesPath),
    actor: 'agent',
  });
  registerIpc(ipcMain, ctx, () => appUrl, (e) => console.error(e));
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  void ctx?.store.close();
  app.quit();
});
