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

/** The app's own pages: the packaged file, or the dev server electron-vite gives. */
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
  return u.origin === app.origin;
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
