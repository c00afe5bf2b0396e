// The web host: serves the built renderer and answers POST /api/<channel> with the same
// handlers as Electron, over a real SQLite file. Loopback only; every API call must carry the
// per-run random token (header x-fne-token), so another local page or user cannot drive it.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { MAX_ATTACH_INPUT_CHARS } from '../../shared/ipc/contract';
import type { ServiceContext } from '../services/context';
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
}

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

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const data = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(data);
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
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') return sendJson(res, 405, { ok: false, error: { code: 'forbidden', message: 'Méthode non autorisée.' } });
      const given = req.headers['x-fne-token'];
      if (typeof given !== 'string' || !tokensEqual(given, token)) {
        req.resume();
        return sendJson(res, 401, { ok: false, error: { code: 'forbidden', message: 'Jeton absent ou invalide : ouvrez l’adresse affichée au lancement.' } });
      }
      const channel = decodeURIComponent(url.pathname.slice('/api/'.length));
      const chunks: Buffer[] = [];
      let size = 0;
      let tooBig = false;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_ATTACH_INPUT_CHARS + 1024) tooBig = true;
        else chunks.push(c);
      });
      req.on('end', () => {
        if (tooBig) {
          return sendJson(res, 413, {
            ok: false,
            error: { code: 'input_too_large', message: "Données trop volumineuses : rien n'a été modifié." },
          });
        }
        let input: unknown;
        try {
          const text = Buffer.concat(chunks).toString('utf8');
          input = text.trim() === '' ? {} : JSON.parse(text);
        } catch {
          return sendJson(res, 400, { ok: false, error: { code: 'invalid_input', message: 'Requête illisible (JSON invalide).' } });
        }
        // No queue here: dispatch serialises the writes (the write gate of the service context,
        // the same for the three hosts) and lets reads through while a job writes.
        dispatch(opts.ctx, channel, input, { log: opts.log })
          .then((env) => sendJson(res, 200, env))
          .catch((e) => {
            opts.log?.(e);
            sendJson(res, 500, { ok: false, error: { code: 'internal', message: 'Erreur interne du serveur.' } });
          });
      });
      return;
    }
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
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
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
