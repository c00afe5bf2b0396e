// The web host: serves the built renderer and answers POST /api/<channel> with the same
// handlers as Electron, over a real SQLite file. Loopback only; every API call must carry the
// per-run random token (header x-fne-token), so another local page or user cannot drive it.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { isChannelName, MAX_INPUT_CHARS, maxInputChars } from '../../shared/ipc/contract';
import type { ServiceContext } from '../services/context';
import { offeredDownload } from '../services/common/downloads';
import { dispatch } from '../services/handlers';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

export interface WebHostOptions {
  ctx: ServiceContext;
  rendererDir: string;
  port?: number;
  token?: string;
  log?: (e: unknown) => void;
  /** Large bodies (file channels) read at the same time; more are refused with 503. */
  maxConcurrentUploads?: number;
}

/** Bodies above this are "uploads" (a file channel): counted against maxConcurrentUploads. */
const UPLOAD_THRESHOLD = MAX_INPUT_CHARS;
export const DEFAULT_MAX_CONCURRENT_UPLOADS = 3;
/** Files offered by a service (services/common/downloads.ts) are fetched from here. */
export const DOWNLOAD_PREFIX = '/telechargement/';
/** JSON envelope and whitespace around the input the dispatch measures. */
const BODY_SLACK = 1024;

export interface WebHost {
  url: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

function tokensEqual(a: string, b: string): boolean {
  const ba = Buffer.from(a);
  const bb = Buffer.from(b);
  return ba.length === bb.length && crypto.timingSafeEqual(ba, bb);
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const data = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...extra });
  res.end(data);
}

function refuse(res: http.ServerResponse, status: number, code: string, message: string, extra: Record<string, string> = {}): void {
  sendJson(res, status, { ok: false, error: { code, message } }, extra);
}

/**
 * Who may talk to the host: the Host header must name the loopback address and this port (a page
 * of another site whose name was made to resolve to 127.0.0.1 — DNS rebinding — sends its own
 * name), and a browser's Origin, when sent, must be the app's own.
 */
export function allowedHost(host: string | undefined, port: number): boolean {
  if (typeof host !== 'string') return false;
  const h = host.toLowerCase();
  return h === `127.0.0.1:${port}` || h === `localhost:${port}`;
}

export function allowedOrigin(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return true; // not a browser page (CLI-like clients, tests)
  const o = origin.toLowerCase();
  return o === `http://127.0.0.1:${port}` || o === `http://localhost:${port}`;
}

/** The channel named by /api/<channel>, or null when the escape is malformed (%E0%A4%A). */
export function channelOfPath(pathname: string): string | null {
  try {
    return decodeURIComponent(pathname.slice('/api/'.length));
  } catch {
    return null;
  }
}

/** The largest body a channel may send (unknown channels: the small cap; dispatch refuses them). */
export function bodyLimit(channel: string): number {
  return (isChannelName(channel) ? maxInputChars(channel) : MAX_INPUT_CHARS) + BODY_SLACK;
}

/**
 * Reads a request body up to `limit` bytes. The declared Content-Length is checked before
 * anything is read, and the bytes are counted as they arrive: over the limit, the request is
 * answered 413 and its connection destroyed, so no more than `limit` bytes are ever kept.
 */
export function readBody(req: http.IncomingMessage, res: http.ServerResponse, limit: number): Promise<Buffer | null> {
  const tooLarge = () => {
    refuse(res, 413, 'input_too_large', `Données trop volumineuses (maximum ${Math.floor(limit / 1024 / 1024)} Mo) : rien n'a été modifié.`, { connection: 'close' });
    // Let the answer leave, then cut the upload.
    res.once('finish', () => req.destroy());
    setTimeout(() => req.destroy(), 1000).unref();
  };
  const declared = req.headers['content-length'];
  if (declared !== undefined && !(Number(declared) <= limit)) {
    tooLarge();
    return Promise.resolve(null);
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (v: Buffer | null) => {
      if (done) return;
      done = true;
      resolve(v);
    };
    req.on('data', (c: Buffer) => {
      if (done) return;
      size += c.length;
      if (size > limit) {
        chunks.length = 0;
        req.pause();
        tooLarge();
        finish(null);
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => finish(Buffer.concat(chunks)));
    req.on('error', () => finish(null));
    req.on('close', () => finish(null));
  });
}

export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

export function startWebHost(opts: WebHostOptions): Promise<WebHost> {
  const token = opts.token ?? crypto.randomBytes(24).toString('hex');
  const root = path.resolve(opts.rendererDir);
  let port = 0;
  let uploads = 0;
  const maxUploads = opts.maxConcurrentUploads ?? DEFAULT_MAX_CONCURRENT_UPLOADS;

  async function handleApi(req: http.IncomingMessage, res: http.ServerResponse, pathname: string): Promise<void> {
    if (req.method !== 'POST') return refuse(res, 405, 'forbidden', 'Méthode non autorisée.');
    const given = req.headers['x-fne-token'];
    if (typeof given !== 'string' || !tokensEqual(given, token)) {
      req.resume();
      return refuse(res, 401, 'forbidden', 'Jeton absent ou invalide : ouvrez l’adresse affichée au lancement.');
    }
    const channel = channelOfPath(pathname);
    if (channel === null) {
      req.resume();
      return refuse(res, 400, 'invalid_input', 'Adresse illisible : rien n’a été modifié.');
    }
    const limit = bodyLimit(channel);
    const isUpload = limit > UPLOAD_THRESHOLD + BODY_SLACK;
    if (isUpload && uploads >= maxUploads) {
      refuse(res, 503, 'conflict', 'Trop de fichiers envoyés en même temps : réessayez dans un instant. Rien n’a été modifié.', { 'retry-after': '2', connection: 'close' });
      res.once('finish', () => req.destroy());
      return;
    }
    if (isUpload) {
      // Held until the answer is sent: the body stays in memory until the service has run.
      uploads++;
      res.once('close', () => uploads--);
    }
    const body = await readBody(req, res, limit);
    if (body === null) return;
    let input: unknown;
    try {
      const text = body.toString('utf8');
      input = text.trim() === '' ? {} : JSON.parse(text);
    } catch {
      return refuse(res, 400, 'invalid_input', 'Requête illisible (JSON invalide).');
    }
    answer(res, channel, input);
  }

  function answer(res: http.ServerResponse, channel: string, input: unknown): void {
    // No queue here: dispatch serialises the writes (the write gate of the service context,
    // the same for the three hosts) and lets reads through while a job writes.
    dispatch(opts.ctx, channel, input, { log: opts.log })
      .then((env) => sendJson(res, 200, env))
      .catch((e) => {
        opts.log?.(e);
        sendJson(res, 500, { ok: false, error: { code: 'internal', message: 'Erreur interne du serveur.' } });
      });
  }

  const server = http.createServer((req, res) => {
    // Every answer, static or API, success or refusal.
    res.setHeader('x-content-type-options', 'nosniff');
    if (!allowedHost(req.headers.host, port)) {
      req.resume();
      return refuse(res, 403, 'forbidden', 'Adresse refusée : ouvrez l’application par l’adresse affichée au lancement (127.0.0.1).');
    }
    if (!allowedOrigin(req.headers.origin, port)) {
      req.resume();
      return refuse(res, 403, 'forbidden', 'Appel refusé : il ne vient pas de la page de l’application.');
    }
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://127.0.0.1');
    } catch {
      req.resume();
      return refuse(res, 400, 'invalid_input', 'Adresse illisible.');
    }
    if (url.pathname.startsWith('/api/')) {
      handleApi(req, res, url.pathname).catch((e) => {
        opts.log?.(e);
        refuse(res, 500, 'internal', 'Erreur interne du serveur.');
      });
      return;
    }
    if (url.pathname.startsWith(DOWNLOAD_PREFIX)) return serveDownload(req, res, url.pathname.slice(DOWNLOAD_PREFIX.length));
    serveStatic(req, res, url);
  });

  /**
   * A file a service produced and offered (e.g. the dossier's ZIP), by its opaque one-hour id:
   * the browser saves it (the web host has no folder dialog). Nothing else on disk is reachable.
   */
  function serveDownload(req: http.IncomingMessage, res: http.ServerResponse, id: string): void {
    if (req.method !== 'GET') return refuse(res, 405, 'forbidden', 'Méthode non autorisée.');
    const offered = offeredDownload(opts.ctx, id);
    let size = -1;
    try {
      if (offered) size = fs.statSync(offered.file).size;
    } catch {
      size = -1;
    }
    if (!offered || size < 0) return refuse(res, 404, 'not_found', 'Ce téléchargement n’existe pas ou a expiré : générez le fichier de nouveau.');
    const ascii = offered.name.replace(/[^A-Za-z0-9._-]/g, '_');
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': String(size),
      'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(offered.name)}`,
      'cache-control': 'no-store',
      ...SECURITY_HEADERS,
    });
    fs.createReadStream(offered.file).pipe(res);
  }

  function serveStatic(req: http.IncomingMessage, res: http.ServerResponse, url: URL): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    // Static files of the built renderer; anything else falls back to index.html.
    let rel: string;
    try {
      rel = decodeURIComponent(url.pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    let file = path.resolve(root, '.' + path.posix.normalize('/' + rel));
    if (!file.startsWith(root + path.sep) && file !== root) {
      res.writeHead(403).end();
      return;
    }
    if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) file = path.join(root, 'index.html');
    if (!fs.existsSync(file)) {
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end("L'interface n'est pas construite : lancez « npm run build ».");
      return;
    }
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
      ...SECURITY_HEADERS,
    });
    fs.createReadStream(file).pipe(res);
  }

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      const addr = server.address();
      port = typeof addr === 'object' && addr ? addr.port : 0;
      resolve({
        url: `http://127.0.0.1:${port}/#token=${token}`,
        token,
        port,
        close: () =>
          new Promise<void>((r) => {
            server.closeAllConnections?.();
            server.close(() => r());
          }),
      });
    });
  });
}
