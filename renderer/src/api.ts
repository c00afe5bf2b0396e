// The renderer's only door to the services. In Electron, window.fne (the preload); in a
// browser, the web host's POST /api/<channel> with the token given in the URL. Both return
// the same envelope; a refusal becomes an ApiError carrying the French message.
import type { ChannelName, InputOf, OutputOf } from '../../shared/ipc/contract';
import type { Envelope, IpcError } from '../../shared/ipc/envelope';

type Bridge = Record<string, (input: unknown) => Promise<Envelope<unknown>>>;
declare global {
  interface Window {
    fne?: Bridge;
    /** Desktop app only: native file and folder dialogs (electron/main/dialogs.ts). */
    fneDialogs?: { pick(purpose: string): Promise<Envelope<unknown>> };
  }
}

export class ApiError extends Error {
  readonly code: IpcError['code'];
  readonly fields: Record<string, string>;
  /** Structured detail a service attached to its refusal (e.g. the rule findings), for display. */
  readonly details: unknown;
  constructor(error: IpcError) {
    super(error.message);
    this.code = error.code;
    this.fields = error.fields ?? {};
    this.details = error.details;
  }
}

const TOKEN_KEY = 'fne-token';

function webToken(): string {
  const m = /(?:^#|&)token=([0-9a-f]+)/.exec(window.location.hash);
  if (m) {
    sessionStorage.setItem(TOKEN_KEY, m[1]);
    // Keep the token out of the address bar once stored.
    history.replaceState(null, '', window.location.pathname + window.location.search + '#/');
    return m[1];
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

async function viaWeb(channel: string, input: unknown): Promise<Envelope<unknown>> {
  const res = await fetch(`/api/${encodeURIComponent(channel)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-fne-token': webToken() },
    body: JSON.stringify(input ?? {}),
  });
  try {
    return (await res.json()) as Envelope<unknown>;
  } catch {
    return { ok: false, error: { code: 'internal', message: `Le serveur a répondu ${res.status} sans données lisibles.` } };
  }
}

/** Reads the token from the URL at start-up (web host only). */
export function initApi(): void {
  if (!window.fne) webToken();
}

// A call identical to the last one on its channel, made while that one is still being answered
// (a double click on « Enregistrer », a key held down), is not sent again: it gets the same answer.
// Without this, a double click created the record twice. Only the last call of a channel is
// shared, so on → off → on sends all three; very large inputs (files) are not compared.
const lastCalls = new Map<string, { body: string; answer: Promise<Envelope<unknown>> }>();
const SHARE_MAX_CHARS = 64 * 1024;

export async function call<C extends ChannelName>(channel: C, input: InputOf<C>): Promise<OutputOf<C>> {
  const body = JSON.stringify(input ?? {});
  const last = lastCalls.get(channel);
  let answer: Promise<Envelope<unknown>>;
  if (last && last.body === body) answer = last.answer;
  else {
    answer = window.fne ? window.fne[channel](input) : viaWeb(channel, input);
    if (body.length <= SHARE_MAX_CHARS) {
      const entry = { body, answer };
      lastCalls.set(channel, entry);
      const forget = () => {
        if (lastCalls.get(channel) === entry) lastCalls.delete(channel);
      };
      answer.then(forget, forget);
    } else lastCalls.delete(channel);
  }
  const env = await answer;
  if (!env.ok) throw new ApiError(env.error);
  return env.value as OutputOf<C>;
}

/** Reads a File picked by the officer as base64, for pieces.attach and imports. */
export async function fileToBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(binary);
}

/** What the officer can pick in a native dialog (desktop app); see electron/main/dialogs.ts. */
export type PickPurpose = 'sauvegarde.dossier' | 'sauvegarde.fichier' | 'justification.destination';
export interface Picked {
  /** Opaque handle the channels accept in place of a path. */
  handle: string;
  /** The chosen path, shown to the officer. */
  label: string;
}

/** True in the desktop app, where files and folders are chosen in native dialogs. */
export function hasNativeDialogs(): boolean {
  return typeof window.fneDialogs?.pick === 'function';
}

/** Opens the native dialog for `purpose`; null when the officer cancels. */
export async function pickPath(purpose: PickPurpose): Promise<Picked | null> {
  if (!window.fneDialogs) throw new ApiError({ code: 'forbidden', message: 'Choisir un fichier ou un dossier de cet ordinateur n’est possible que dans l’application de bureau.' });
  const env = await window.fneDialogs.pick(purpose);
  if (!env.ok) throw new ApiError(env.error);
  return env.value as Picked | null;
}

/** Where the web host serves a file a service offered (the dossier's ZIP…). */
export function downloadUrl(id: string): string {
  return `/telechargement/${encodeURIComponent(id)}`;
}
