import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
