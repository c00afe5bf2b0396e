// Issue 15: a preview of each hostile workbook through the web host answers a French refusal,
// and the host still serves `/` afterwards (the first file used to kill the server: parsing now
// runs in a worker with memory and time caps, after the archive's pre-checks).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHost, type WebHost } from '../../electron/web/server';
import { hostileWorkbooks } from '../fixtures/hostile/generate';
import { dbSnapshot, openTestApp, tempDir, type TestApp } from '../helpers/app';

let app: TestApp;
let host: WebHost;
beforeAll(async () => {
  app = openTestApp();
  const rendererDir = tempDir('fne-renderer-');
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>FNE</title>');
  host = await startWebHost({ ctx: app.ctx, rendererDir });
});
afterAll(async () => {
  await host.close();
  await app.close();
});

const post = (channel: string, body: unknown) =>
  fetch(`http://127.0.0.1:${host.port}/api/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-fne-token': host.token },
    body: JSON.stringify(body),
  });

describe('web host and hostile files', () => {
  it('previews each hostile workbook: French refusal, nothing written, `/` still served', async () => {
    const before = dbSnapshot(app.ctx);
    for (const [name, make] of Object.entries(hostileWorkbooks)) {
      const res = await post('recensement.importPreview', { fileName: name, contentBase64: make().toString('base64') });
      const body = (await res.json()) as { ok: boolean; error?: { code: string; message: string } };
      expect(body.ok, name).toBe(false);
      expect(['file_unreadable', 'input_too_large']).toContain(body.error!.code);
      expect(body.error!.message.length).toBeLessThan(2_000);
      expect(body.error!.message).toContain(name);
      const home = await fetch(`http://127.0.0.1:${host.port}/`);
      expect(home.status, `after ${name}`).toBe(200);
    }
    expect(dbSnapshot(app.ctx).equals(before)).toBe(true);
  }, 120_000);
});
