import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_INPUT_CHARS } from '../../shared/ipc/contract';
import { startWebHost, type WebHost } from '../../electron/web/server';
import { creuseConvention, dbSnapshot, openTestApp, tempDir, type TestApp } from '../helpers/app';

let app: TestApp;
let host: WebHost;
let rendererDir: string;
beforeEach(async () => {
  app = openTestApp();
  rendererDir = tempDir('fne-renderer-');
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>FNE</title>');
  fs.writeFileSync(path.join(app.dir, 'secret.txt'), 'secret');
  host = await startWebHost({ ctx: app.ctx, rendererDir });
});
afterEach(async () => {
  await host.close();
  await app.close();
});

const origin = () => `http://127.0.0.1:${host.port}`;
const post = (channel: string, body: unknown, token: string | null = host.token) =>
  fetch(`${origin()}/api/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token === null ? {} : { 'x-fne-token': token }) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('web host', () => {
  it('listens on loopback only and prints a URL carrying a random token', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]{48}$/);
  });

  it('answers the contract with the real services', async () => {
    const res = await post('convention.create', creuseConvention);
    expect(await res.json()).toMatchObject({ ok: true, value: { departement: '23' } });
    const list = await (await post('convention.list', {})).json();
    expect(list.value).toHaveLength(1);
  });

  it('refuses calls without the token, or with a wrong one, and changes nothing', async () => {
    const before = dbSnapshot(app.ctx);
    const almost = host.token.slice(0, -1) + (host.token.endsWith('0') ? '1' : '0');
    for (const token of [null, 'deadbeef', almost]) {
      const res = await post('convention.create', creuseConvention, token);
      expect(res.status).toBe(401);
      expect((await res.json()).error.message).toMatch(/Jeton/);
    }
    expect(dbSnapshot(app.ctx).equals(before)).toBe(true);
  });

  it('gives French errors for unreadable JSON and unknown channels', async () => {
    expect(await (await post('convention.create', '{pas du json')).json()).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await (await post('rien.du.tout', {})).json()).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
  });

  it('serves the renderer with a strict CSP and never a file outside it', async () => {
    const res = await fetch(`${origin()}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt']) {
      const r = await fetch(`${origin()}${p}`);
      expect(await r.text()).not.toContain('secret');
    }
  });
});

interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A request with exactly the headers given (fetch would fix Host and Origin itself). */
function raw(
  opts: { path: string; method?: string; headers?: Record<string, string | number>; body?: string | Buffer; keepOpen?: boolean },
): { answer: Promise<RawAnswer>; req: http.ClientRequest } {
  const req = http.request({ host: '127.0.0.1', port: host.port, path: opts.path, method: opts.method ?? 'POST', headers: opts.headers ?? {}, setHost: false });
  const answer = new Promise<RawAnswer>((resolve, reject) => {
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
  if (opts.body !== undefined) req.write(opts.body);
  else req.flushHeaders();
  if (!opts.keepOpen) req.end();
  return { answer, req };
}

const apiHeaders = (extra: Record<string, string | number> = {}) => ({
  host: `127.0.0.1:${host.port}`,
  'content-type': 'application/json',
  'x-fne-token': host.token,
  ...extra,
});

describe('web host: malformed addresses', () => {
  it('answers 400 to a bad URL escape and keeps serving', async () => {
    const r = await raw({ path: '/api/%E0%A4%A', headers: apiHeaders(), body: '{}' }).answer;
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body).error.message).toMatch(/illisible/);
    const again = await raw({ path: '/api/convention.list', headers: apiHeaders(), body: '{}' }).answer;
    expect(JSON.parse(again.body)).toMatchObject({ ok: true });
    expect((await fetch(`${origin()}/`)).status).toBe(200);
  });
});

describe('web host: body size checked before buffering', () => {
  it('refuses a declared Content-Length above the channel limit at once, without waiting for the body', async () => {
    const before = dbSnapshot(app.ctx);
    // Nothing of the body is sent: only the header can produce this answer.
    const { answer, req } = raw({ path: '/api/convention.create', headers: apiHeaders({ 'content-length': MAX_INPUT_CHARS * 3 }), keepOpen: true });
    const r = await answer;
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body).error.code).toBe('input_too_large');
    req.destroy();
    expect(dbSnapshot(app.ctx).equals(before)).toBe(true);
  });

  it('counts a streamed body and cuts it as soon as it passes the limit of its channel', async () => {
    const { answer, req } = raw({ path: '/api/convention.create', headers: apiHeaders({ 'transfer-encoding': 'chunked' }), keepOpen: true });
    const closed = new Promise<void>((r) => req.on('close', () => r()));
    req.on('error', () => undefined);
    const chunk = Buffer.alloc(256 * 1024, 0x20);
    let sent = 0;
    // 3 × the 2 MB limit of an ordinary channel, never ended: only the streaming count can answer.
    while (sent < MAX_INPUT_CHARS * 3 && !req.destroyed) {
      await new Promise<void>((r) => (req.write(chunk) ? r() : req.once('drain', () => r())) || setTimeout(r, 50));
      sent += chunk.length;
      if (sent > MAX_INPUT_CHARS + chunk.length) break;
    }
    const r = await answer;
    expect(r.status).toBe(413);
    await closed; // the connection is destroyed by the server
    expect(req.writableEnded).toBe(false);
  });

  it('lets a file channel send more than an ordinary one', async () => {
    const body = JSON.stringify({ ownerType: 'convention', ownerId: 999, role: 'x', fileName: 'a.pdf', contentBase64: 'A'.repeat(3 * 1024 * 1024) });
    const r = await raw({ path: '/api/pieces.attach', headers: apiHeaders({ 'content-length': Buffer.byteLength(body) }), body }).answer;
    expect(r.status).toBe(200); // reaches the service (which refuses the unknown owner)
    const ordinary = await raw({ path: '/api/convention.create', headers: apiHeaders({ 'content-length': Buffer.byteLength(body) }), body }).answer;
    expect(ordinary.status).toBe(413);
  });
});

describe('web host: concurrent uploads', () => {
  it('reads at most a few file uploads at once and refuses the next with a French message', async () => {
    await host.close();
    host = await startWebHost({ ctx: app.ctx, rendererDir, maxConcurrentUploads: 2 });
    const open = [0, 1].map(() => raw({ path: '/api/pieces.attach', headers: apiHeaders({ 'content-length': 10_000_000 }), body: '{"own', keepOpen: true }));
    for (const o of open) o.answer.catch(() => undefined);
    await new Promise((r) => setTimeout(r, 200));
    const third = await raw({ path: '/api/pieces.attach', headers: apiHeaders({ 'content-length': 20 }), body: '{"ownerType":"x"}   ' }).answer;
    expect(third.status).toBe(503);
    expect(JSON.parse(third.body).error.message).toMatch(/en même temps/);
    // Ordinary calls are not uploads: still answered.
    const list = await raw({ path: '/api/convention.list', headers: apiHeaders(), body: '{}' }).answer;
    expect(list.status).toBe(200);
    for (const o of open) o.req.destroy();
    await new Promise((r) => setTimeout(r, 200));
    const after = await raw({ path: '/api/pieces.attach', headers: apiHeaders({ 'content-length': 20 }), body: '{"ownerType":"x"}   ' }).answer;
    expect(after.status).toBe(200);
  });
});

describe('web host: Host and Origin', () => {
  it('answers only under its own loopback name and port (no DNS rebinding)', async () => {
    for (const h of ['evil.example', `evil.example:${host.port}`, `127.0.0.1:${host.port + 1}`, `0.0.0.0:${host.port}`]) {
      const api = await raw({ path: '/api/convention.list', headers: apiHeaders({ host: h }), body: '{}' }).answer;
      expect(api.status, h).toBe(403);
      const page = await raw({ path: '/', method: 'GET', headers: { host: h } }).answer;
      expect(page.status, h).toBe(403);
      expect(page.body).not.toContain('<title>FNE');
    }
    const noHost = await raw({ path: '/', method: 'GET', headers: {} }).answer;
    expect([400, 403]).toContain(noHost.status); // Node itself refuses HTTP/1.1 without Host
    for (const h of [`127.0.0.1:${host.port}`, `localhost:${host.port}`, `LOCALHOST:${host.port}`]) {
      const r = await raw({ path: '/api/convention.list', headers: apiHeaders({ host: h }), body: '{}' }).answer;
      expect(r.status, h).toBe(200);
    }
  });

  it('refuses a call from a foreign page (Origin) even with the token, and changes nothing', async () => {
    const before = dbSnapshot(app.ctx);
    const body = JSON.stringify(creuseConvention);
    for (const o of ['http://evil.example', `http://127.0.0.1:${host.port + 1}`, 'null', `https://127.0.0.1:${host.port}`]) {
      const r = await raw({ path: '/api/convention.create', headers: apiHeaders({ origin: o }), body }).answer;
      expect(r.status, o).toBe(403);
      expect(JSON.parse(r.body).error.message).toMatch(/page de l’application/);
    }
    expect(dbSnapshot(app.ctx).equals(before)).toBe(true);
    const own = await raw({ path: '/api/convention.list', headers: apiHeaders({ origin: `http://127.0.0.1:${host.port}` }), body: '{}' }).answer;
    expect(own.status).toBe(200);
  });
});

describe('web host: nosniff', () => {
  it('sends X-Content-Type-Options: nosniff on every answer', async () => {
    const answers = [
      await raw({ path: '/api/convention.list', headers: apiHeaders(), body: '{}' }).answer,
      await raw({ path: '/api/convention.list', headers: apiHeaders({ 'x-fne-token': 'non' }), body: '{}' }).answer,
      await raw({ path: '/api/convention.list', method: 'GET', headers: apiHeaders() }).answer,
      await raw({ path: '/api/%E0%A4%A', headers: apiHeaders(), body: '{}' }).answer,
      await raw({ path: '/api/convention.create', headers: apiHeaders({ 'content-length': MAX_INPUT_CHARS * 3 }) }).answer.catch(() => null),
      await raw({ path: '/', method: 'GET', headers: { host: `127.0.0.1:${host.port}` } }).answer,
      await raw({ path: '/', method: 'DELETE', headers: { host: `127.0.0.1:${host.port}` } }).answer,
      await raw({ path: '/', method: 'GET', headers: { host: 'evil.example' } }).answer,
    ];
    for (const a of answers) if (a) expect(a.headers['x-content-type-options'], String(a.status)).toBe('nosniff');
    expect(answers.filter(Boolean).map((a) => a!.status)).toEqual([200, 401, 405, 400, 413, 200, 405, 403]);
  });
});

describe('web host: downloads instead of paths', () => {
  it('the dossier is produced in the data folder and downloaded as a ZIP by its one-time id; nothing else on disk is reachable', async () => {
    const c = (await (await post('convention.create', creuseConvention)).json()).value as { id: number };
    let job = (await (await post('justification.dossier.start', { conventionId: c.id })).json()).value as { id: string; state: string; result: unknown };
    for (let i = 0; i < 600 && job.state === 'en_cours'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      job = (await (await post('jobs.status', { id: job.id })).json()).value;
    }
    expect(job.state).toBe('termine');
    const result = job.result as { zipPath: string; zipName: string; telechargement: string };
    expect(result.zipPath.startsWith(path.join(app.dir, 'dossiers') + path.sep)).toBe(true);
    const res = await fetch(`${origin()}/telechargement/${result.telechargement}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain(`filename="${result.zipName}"`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(0, 2).toString()).toBe('PK');
    expect(bytes.equals(fs.readFileSync(result.zipPath))).toBe(true);
    // Unknown ids, paths and escapes: 404, never a file.
    for (const bad of ['d' + '0'.repeat(32), '..%2fsecret.txt', '%2Fetc%2Fpasswd', encodeURIComponent(path.join(app.dir, 'secret.txt')), result.telechargement + 'x']) {
      const r = await fetch(`${origin()}/telechargement/${bad}`);
      expect(r.status, bad).toBe(404);
      expect(await r.text()).not.toContain('secret');
    }
    // A path in place of the channel's handle is refused: the web host cannot write elsewhere.
    const other = tempDir('fne-ailleurs-');
    const refused = await (await post('justification.dossier.start', { conventionId: c.id, outDir: other })).json();
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(fs.readdirSync(other)).toEqual([]);
  }, 60_000);
});
