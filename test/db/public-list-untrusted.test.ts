// Issue 15: the public OF list goes through the one CSV reader: real Windows-1252 (€ ’ œ), an
// unclosed quote refused with the list kept, and a list far shorter than the stored one written
// only when confirmed (confirmShrink), by file (CLI) and by pieces (screen).
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PUBLIC_LIST_HEADER } from '../fixtures/hostile/generate';
import { dbSnapshot, fixturesDir, openTestApp, type TestApp } from '../helpers/app';
import type { ServiceContext } from '../../electron/services/context';
import { toIpcError } from '../../electron/services/ipc-errors';
import { importPublicListFile } from '../../electron/services/marche/public-list';
import { api, refused } from './sessions-setup';

/** The CLI keeps paths: it calls the service directly (no channel takes a path). Its refusal, as the CLI reads it. */
async function refusedFile(ctx: ServiceContext, filePath: string) {
  try {
    await importPublicListFile(ctx, filePath);
  } catch (e) {
    return toIpcError(e);
  }
  throw new Error('the import should have been refused');
}

let opened: TestApp[] = [];
afterEach(async () => {
  for (const a of opened) await a.close();
  opened = [];
});
function app(): TestApp {
  const a = openTestApp({ now: '2025-06-01T09:00:00Z' });
  opened.push(a);
  return a;
}
const FULL = path.join(fixturesDir, 'liste-publique-of.csv');

function cp1252Of(text: string): Buffer {
  const map: Record<string, number> = { '€': 0x80, '’': 0x92, 'œ': 0x9c, 'Œ': 0x8c, '—': 0x97 };
  return Buffer.from([...text].map((c) => map[c] ?? c.charCodeAt(0)));
}

describe('public list through the one CSV reader', () => {
  it('decodes a Windows-1252 file with € ’ œ correctly (file and pieces of bytes)', async () => {
    const { ctx, dir } = app();
    const text = `${PUBLIC_LIST_HEADER}\r\n75230123423;L’Œuvre numérique — cœur 100 €;812345676;81234567600017;true;23000;Guéret\r\n`;
    const file = path.join(dir, 'liste-1252.csv');
    fs.writeFileSync(file, cp1252Of(text));
    await importPublicListFile(ctx, file);
    expect((await api(ctx, 'marche.of.check', { query: '81234567600017' })).denomination).toBe('L’Œuvre numérique — cœur 100 €');
    const bytes = cp1252Of(text.replace('L’Œuvre', 'La belle’Œuvre'));
    const cut = 80; // inside the data line
    await api(ctx, 'marche.publicList.importChunk', { uploadId: 'abcdef21', fileName: 'l.csv', bytesBase64: bytes.subarray(0, cut).toString('base64'), last: false });
    await api(ctx, 'marche.publicList.importChunk', { uploadId: 'abcdef21', fileName: 'l.csv', bytesBase64: bytes.subarray(cut).toString('base64'), last: true });
    expect((await api(ctx, 'marche.of.check', { query: '81234567600017' })).denomination).toBe('La belle’Œuvre numérique — cœur 100 €');
  });

  it('a list less than half as long is refused unless confirmed (file, as the CLI does)', async () => {
    const { ctx, dir } = app();
    await importPublicListFile(ctx, FULL);
    const short = path.join(dir, 'courte.csv');
    fs.writeFileSync(short, `${PUBLIC_LIST_HEADER}\n75230123423;Mednum Formation;812345676;81234567600017;true;23000;Guéret\n`);
    const snap = dbSnapshot(ctx);
    const e = await refusedFile(ctx, short);
    expect(e.code).toBe('conflict');
    expect(e.message).toMatch(/ne contient que 1 organisme, contre 6.*Confirmez/);
    expect(e.fields?.confirmShrink).toBeTruthy();
    expect(dbSnapshot(ctx).equals(snap)).toBe(true);
    const r = await importPublicListFile(ctx, short, { confirmShrink: true });
    expect(r.rows).toBe(1);
    expect((await api(ctx, 'marche.publicList.status', {})).rows).toBe(1);
  });

  it('by pieces: the refused upload is kept staged, and the confirmation alone writes it', async () => {
    const { ctx } = app();
    await importPublicListFile(ctx, FULL);
    const body = `${PUBLIC_LIST_HEADER}\n75230123423;Mednum Formation;812345676;81234567600017;true;23000;Guéret\n`;
    const snap = dbSnapshot(ctx);
    const e = await refused(ctx, 'marche.publicList.importChunk', { uploadId: 'abcdef31', fileName: 'courte.csv', text: body, last: true });
    expect(e.code).toBe('conflict');
    expect(dbSnapshot(ctx).equals(snap)).toBe(true);
    // More data after the end is refused; the confirmation (no data) writes the staged list.
    expect((await refused(ctx, 'marche.publicList.importChunk', { uploadId: 'abcdef31', fileName: 'courte.csv', text: 'x', last: true, confirmShrink: true })).code).toBe('validation');
    const again = await refused(ctx, 'marche.publicList.importChunk', { uploadId: 'abcdef31', fileName: 'courte.csv', last: true, confirmShrink: true });
    expect(again.message).toMatch(/en-tête|colonnes|vide/); // the refusal above ended that upload
    await refused(ctx, 'marche.publicList.importChunk', { uploadId: 'abcdef32', fileName: 'courte.csv', text: body, last: true });
    const ok = await api(ctx, 'marche.publicList.importChunk', { uploadId: 'abcdef32', fileName: 'courte.csv', last: true, confirmShrink: true });
    expect(ok.result?.rows).toBe(1);
    expect((await api(ctx, 'marche.publicList.status', {})).rows).toBe(1);
  });

  it('an unclosed quote in pieces is refused with its line; the stored list is kept', async () => {
    const { ctx } = app();
    await importPublicListFile(ctx, FULL);
    const snap = dbSnapshot(ctx);
    const text = `${PUBLIC_LIST_HEADER}\n75230123423;"Mednum Formation;812345676;81234567600017;true;23000;Guéret\n` + '11755512345;Organisme;123456789;12345678900012;true;23000;Guéret\n'.repeat(50);
    const e = await refused(ctx, 'marche.publicList.importChunk', { uploadId: 'abcdef41', fileName: 'guillemet.csv', text, last: true });
    expect(e.code).toBe('file_unreadable');
    expect(e.message).toMatch(/ligne 2.*guillemet/);
    expect(dbSnapshot(ctx).equals(snap)).toBe(true);
  });
});
