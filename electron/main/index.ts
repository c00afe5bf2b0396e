// The Electron shell: one window showing the renderer, the services behind ipcMain.
// Thin on purpose: decisions live in security.ts and ipc.ts (unit-tested), rules in services.
import { app, BrowserWindow, dialog, ipcMain, net, protocol, session, shell } from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { openAppForHost } from '../services/app';
import { privateUmask } from '../services/common/private-fs';
import type { ServiceContext } from '../services/context';
import { configureLogging, logger } from '../services/logging';
import { startupTasks } from '../services/sauvegarde/startup';
import { registerDialogIpc } from './dialogs';
import { registerIpc } from './ipc';
import { electronNativeBinding } from './native';
import {
  APP_INDEX_URL,
  APP_SCHEME,
  appProtocolFile,
  CONTENT_SECURITY_POLICY,
  decideFrameNavigation,
  decideNavigation,
  decidePermission,
  decideRedirect,
} from './security';

let ctx: ServiceContext | undefined;
let appUrl = '';

function createWindow(): void {
  const win = new BrowserWindow({
    width: 1280,
    height: 860,
    title: 'FNE Formations',
    show: false,
    webPreferences: {
      // Reviewed: the preload only exposes one invoke() per contract channel via contextBridge (no ipcRenderer, no Node).
      preload: path.join(__dirname, '../preload/index.cjs'), // eng-disable PRELOAD_JS_CHECK
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      // Middle click must not open windows either (setWindowOpenHandler refuses them anyway).
      disableBlinkFeatures: 'Auxclick',
    },
  });
  win.once('ready-to-show', () => win.show());
  win.webContents.on('will-navigate', (event, url) => {
    const d = decideNavigation(url, appUrl, 'navigate');
    if (d !== 'allow') event.preventDefault();
    // Reviewed: only https URLs of EXTERNAL_ALLOWLIST reach openExternal (decideNavigation, unit-tested).
    if (d === 'open-external') void shell.openExternal(url); // eng-disable OPEN_EXTERNAL_JS_CHECK
  });
  win.webContents.on('will-redirect', (event, url) => {
    if (decideRedirect(url, appUrl) !== 'allow') event.preventDefault();
  });
  win.webContents.on('will-frame-navigate', (event) => {
    if (decideFrameNavigation(event.url, appUrl, event.isMainFrame) !== 'allow') event.preventDefault();
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (decideNavigation(url, appUrl, 'new-window') === 'open-external') void shell.openExternal(url); // eng-disable OPEN_EXTERNAL_JS_CHECK
    return { action: 'deny' };
  });
  const devUrl = process.env.ELECTRON_RENDERER_URL;
  if (devUrl) {
    appUrl = devUrl;
    void win.loadURL(devUrl);
  } else {
    appUrl = APP_INDEX_URL;
    void win.loadURL(APP_INDEX_URL);
  }
}

/** app://fne/… answers files of the built renderer only (decisions in appProtocolFile). */
function registerAppProtocol(): void {
  const rendererDir = path.join(__dirname, '../renderer');
  protocol.handle(APP_SCHEME, async (request) => {
    const file = appProtocolFile(request.url, rendererDir, path);
    if (!file) return new Response('Introuvable', { status: 404, headers: { 'x-content-type-options': 'nosniff' } });
    const res = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(res.headers);
    headers.set('content-security-policy', CONTENT_SECURITY_POLICY);
    headers.set('x-content-type-options', 'nosniff');
    return new Response(res.body, { status: res.status, headers });
  });
}

// Before ready: app:// is a standard, secure scheme (relative URLs, 'self' in the CSP, fetch).
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
app.on('web-contents-created', (_e, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

// Personal data at rest: every file this process creates is for the officer alone (0600/0700).
privateUmask();
app.enableSandbox();
process.on('uncaughtException', (e) => logger.error('Exception non rattrapée (processus principal)', e));
process.on('unhandledRejection', (e) => logger.error('Promesse rejetée non traitée (processus principal)', e));
app.whenReady().then(async () => {
  configureLogging(app.getPath('userData'));
  logger.info(`Démarrage de FNE Formations ${app.getVersion()}`);
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) => callback(decidePermission(permission)));
  session.defaultSession.setPermissionCheckHandler((_wc, permission) => decidePermission(permission));
  registerAppProtocol();
  try {
    ctx = openAppForHost({
      dataDir: app.getPath('userData'),
      ownDataDir: true,
      nativeBinding: electronNativeBinding(app.getAppPath(), process.resourcesPath),
      actor: 'agent',
    });
    await startupTasks(ctx);
  } catch (e) {
    // Newer schema, file locked by another copy of the app…: say it in French, never a white window.
    logger.error("Ouverture de la base impossible", e);
    dialog.showErrorBox('FNE Formations ne peut pas démarrer', `${e instanceof Error ? e.message : String(e)}\n\nJournal : ${logger.file() ?? ''}`);
    app.quit();
    return;
  }
  registerIpc(ipcMain, ctx, () => appUrl, (e) => logger.error('Erreur dans un service', e));
  const live = ctx;
  registerDialogIpc(
    ipcMain,
    () => live,
    {
      showOpenDialog: (o) => {
        const win = BrowserWindow.getFocusedWindow();
        return win ? dialog.showOpenDialog(win, o) : dialog.showOpenDialog(o);
      },
    },
    () => appUrl,
  );
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  void ctx?.store.close();
  app.quit();
});
