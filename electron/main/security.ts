// What the Electron shell allows, as pure functions (unit-tested with fakes): the window may
// only show the app itself; links to a short allowlist open in the system browser; IPC is
// answered only for the app's own top frame.

/** Sites the officer may be sent to, in the system browser (documentation of the programme). */
export const EXTERNAL_ALLOWLIST = [
  'https://aidantsconnect.beta.gouv.fr',
  'https://societenumerique.gouv.fr',
  'https://www.data.gouv.fr',
  'https://annuaire-entreprises.data.gouv.fr',
  'https://www.legifrance.gouv.fr',
];

/**
 * The packaged renderer is served by the app's own protocol, app://fne/…, not file://: with the
 * grantFileProtocolExtraPrivileges fuse off, file:// pages are plain browser pages (no ES module
 * from disk), and a page of our own scheme cannot reach any other file of the computer.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'fne';
export const APP_INDEX_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** The app's own pages: app://fne/…, the packaged file, or the dev server electron-vite gives. */
export function isAppUrl(url: string, appUrl: string): boolean {
  let u: URL;
  let app: URL;
  try {
    u = new URL(url);
    app = new URL(appUrl);
  } catch {
    return false;
  }
  if (app.protocol === 'file:') return u.protocol === 'file:' && u.pathname === app.pathname;
  // Custom schemes have no origin in the URL standard ("null" for all): compare scheme and host.
  if (app.protocol === `${APP_SCHEME}:`) return u.protocol === app.protocol && u.host === app.host && !u.username && !u.password;
  return u.origin === app.origin;
}

/**
 * The file answering an app://fne/<path> request, inside the renderer folder, or null: another
 * host, an escape (.., %2e%2e, a drive letter, a backslash) or an unreadable escape.
 */
export function appProtocolFile(requestUrl: string, rendererDir: string, pathApi: { resolve(...p: string[]): string; sep: string }): string | null {
  let u: URL;
  try {
    u = new URL(requestUrl);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return null;
  let rel: string;
  try {
    rel = decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
  // eslint-disable-next-line no-control-regex
  if (rel.includes('\\') || /[\u0000-\u001f]/.test(rel) || /^\/*[A-Za-z]:/.test(rel)) return null;
  if (rel.split('/').some((seg) => seg === '..')) return null;
  const root = pathApi.resolve(rendererDir);
  const file = pathApi.resolve(root, '.' + (rel === '/' || rel === '' ? '/index.html' : rel));
  return file.startsWith(root + pathApi.sep) ? file : null;
}

/** No web permission (camera, notifications, clipboard…) is ever granted or reported granted. */
export function decidePermission(_permission: string): boolean {
  return false;
}

/** A frame other than the top one may not navigate anywhere (the CSP allows no frame at all). */
export function decideFrameNavigation(url: string, appUrl: string, isMainFrame: boolean): 'allow' | 'deny' {
  return isMainFrame && isAppUrl(url, appUrl) ? 'allow' : 'deny';
}

export function isAllowedExternal(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol !== 'https:' || u.username || u.password) return false;
  return EXTERNAL_ALLOWLIST.some((prefix) => {
    const p = new URL(prefix);
    return u.origin === p.origin;
  });
}

export type NavigationDecision = 'allow' | 'deny' | 'open-external';

/** A redirect (server or page) never leaves the app, and never opens the system browser. */
export function decideRedirect(url: string, appUrl: string): 'allow' | 'deny' {
  return isAppUrl(url, appUrl) ? 'allow' : 'deny';
}

/** will-navigate / window.open: stay on the app, send allowlisted links out, refuse the rest. */
export function decideNavigation(url: string, appUrl: string, kind: 'navigate' | 'new-window'): NavigationDecision {
  if (kind === 'navigate' && isAppUrl(url, appUrl)) return 'allow';
  if (isAllowedExternal(url)) return 'open-external';
  return 'deny';
}

export interface SenderFrameLike {
  url: string;
  /** null for the top frame of the window: no iframe may call the services. */
  parent: unknown;
}

export function isTrustedSender(frame: SenderFrameLike | null | undefined, appUrl: string): boolean {
  return !!frame && frame.parent === null && isAppUrl(frame.url, appUrl);
}

export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-src 'none'; form-action 'none'";
