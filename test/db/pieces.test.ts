import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConvention } from '../../electron/services/convention/service';
import { conventionStep } from '../../electron/services/convention/step';
import { dispatch } from '../../electron/services/handlers';
import { attachPiece, listPieces, safeOriginalName } from '../../electron/services/pieces/service';
import { blobPath } from '../../electron/services/pieces/store';
import { creuseConvention, dbSnapshot, openTestApp, type TestApp } from '../helpers/app';

let app: TestApp;
beforeEach(() => {
  app = openTestApp();
});
afterEach(() => app.close());

function allStoredFiles(dir: string): string[] {
  const root = path.join(dir, 'pieces');
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe('pièces store', () => {
  it('stores the same file once, under its SHA-256, whose content matches', async () => {
    const c = await createConvention(app.ctx, creuseConvention);
    const bytes = Buffer.from('%PDF-1.4 convention signée — Creuse');
    const sha = crypto.createHash('sha256').update(bytes).digest('hex');
    const a = await attachPiece(app.ctx, { ownerType: 'convention', ownerId: c.id, role: 'convention_signee', fileName: 'convention.pdf', bytes });
    const b = await attachPiece(app.ctx, { ownerType: 'convention', ownerId: c.id, role: 'convention_signee', fileName: 'copie.pdf', bytes });
    expect(b.id).toBe(a.id);
    // The same content proving something else is a second pièce, still one stored file.
    await attachPiece(app.ctx, { ownerType: 'convention', ownerId: c.id, role: 'autre', fileName: 'copie.pdf', bytes });
    expect(await listPieces(app.ctx, 'convention', c.id)).toHaveLength(2);
    const files = allStoredFiles(app.dir);
    expect(files).toEqual([blobPath(app.dir, sha)]);
    const stored = fs.readFileSync(files[0]);
    expect(crypto.createHash('sha256').update(stored).digest('hex')).toBe(sha);
    expect(a).toMatchObject({ sha256: sha, size: bytes.length, mimeType: 'application/pdf', originalName: 'convention.pdf', roleLabel: 'Convention signée' });
    expect(await app.ctx.store.db.selectFrom('blobs').selectAll().execute()).toHaveLength(1);
  });

  it('completes step 1 once the signed convention, avis SIRENE and RIB are attached', async () => {
    const c = await createConvention(app.ctx, creuseConvention);
    for (const role of ['convention_signee', 'avis_sirene', 'rib']) {
      await attachPiece(app.ctx, { ownerType: 'convention', ownerId: c.id, role, fileName: `${role}.pdf`, bytes: Buffer.from(role) });
    }
    expect((await conventionStep(app.ctx, c.id)).status).toBe('termine');
  });

  it('never lets an outside file name choose where it is written', () => {
    expect(safeOriginalName('../../etc/passwd')).toBe('passwd');
    expect(safeOriginalName('C:\\Users\\x\\..\\rib.pdf')).toBe('rib.pdf');
    expect(safeOriginalName('..')).toBe('fichier');
  });

  it('refuses an unknown role, a missing record or an empty file without writing anything', async () => {
    const c = await createConvention(app.ctx, creuseConvention);
    const before = dbSnapshot(app.ctx);
    const b64 = Buffer.from('x').toString('base64');
    for (const input of [
      { ownerType: 'convention', ownerId: c.id, role: 'inconnu', fileName: 'a.pdf', contentBase64: b64 },
      { ownerType: 'convention', ownerId: 999, role: 'rib', fileName: 'a.pdf', contentBase64: b64 },
      { ownerType: 'convention', ownerId: c.id, role: 'rib', fileName: 'a.pdf', contentBase64: '' },
      { ownerType: 'convention', ownerId: c.id, role: 'rib', fileName: 'a.pdf', contentBase64: '%%%' },
    ]) {
      const env = await dispatch(app.ctx, 'pieces.attach', input);
      expect(env.ok).toBe(false);
      if (!env.ok) expect(env.error.message).toMatch(/[a-zé]/);
    }
    expect(dbSnapshot(app.ctx).equals(before)).toBe(true);
    expect(allStoredFiles(app.dir)).toEqual([]);
  });
});
