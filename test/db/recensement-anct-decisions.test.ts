// Issue 16 item 4: ANCT's FNE follow-up table, imported as a list, brings ANCT's decisions into
// the Aidants Connect follow-up as `ac import` reads them — Eligibilite_validee oui → eligibility
// validated, A_participe_a_la_session oui → attendance reported, Validation_du_financement kept —
// and a re-import changes nothing.
import fs from 'node:fs';
import path from 'node:path';
import * as XLSX from 'xlsx';
import { afterEach, expect, it } from 'vitest';
import { fixturesDir, openTestApp, type TestApp } from '../helpers/app';
import { api } from './sessions-setup';

const apps: TestApp[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});

it('the FNE table’s three ANCT columns land in the Aidants Connect follow-up (read back), and a re-import changes nothing', async () => {
  const a = openTestApp({ now: '2025-03-20T09:00:00Z' });
  apps.push(a);
  const { ctx } = a;
  const bytes = fs.readFileSync(path.join(fixturesDir, 'aidants-fne-grist.xlsx'));
  const rows = XLSX.utils.sheet_to_json<Record<string, string>>(XLSX.read(bytes).Sheets['Suivi FNE'] ?? XLSX.read(bytes).Sheets[XLSX.read(bytes).SheetNames[0]!]!, { defval: '' });
  const yes = (v: string) => /^oui$/i.test(v.trim());
  const no = (v: string) => /^non$/i.test(v.trim());
  const preview = await api(ctx, 'recensement.importPreview', { fileName: 'aidants-fne-grist.xlsx', contentBase64: bytes.toString('base64') });
  const mapped = new Map(preview.columns.map((c) => [c.header, c.field]));
  expect(mapped.get('Eligibilite_validee')).toBe('anct_eligibilite');
  expect(mapped.get('Validation_du_financement')).toBe('anct_financement');
  expect(mapped.get('A_participe_a_la_session')).toBe('anct_participation');
  await api(ctx, 'recensement.importCommit', { fileName: 'aidants-fne-grist.xlsx', contentBase64: bytes.toString('base64'), acceptRejected: true });

  const board = await api(ctx, 'sessions.ac.list', {});
  const byEmail = new Map((await api(ctx, 'recensement.people.list', { limit: 500 })).rows.map((p) => [p.email, p.id]));
  let checked = 0;
  for (const r of rows) {
    const personId = byEmail.get(r.Adresse_e_mail!.trim().toLowerCase());
    if (personId === undefined) continue; // a row the import set aside (duplicate, invalid)
    const f = board.rows.find((x) => x.personId === personId);
    const expected = yes(r.A_participe_a_la_session!) ? 'presence_transmise' : yes(r.Eligibilite_validee!) ? 'eligibilite_validee' : null;
    if (expected) {
      expect(f?.status, `${r.Adresse_e_mail}`).toBe(expected);
      expect(f?.dates[expected]).toBe('2025-03-20');
    }
    const funding = yes(r.Validation_du_financement!) ? true : no(r.Validation_du_financement!) ? false : null;
    if (funding !== null) expect(f?.fundingValidated, `${r.Adresse_e_mail}`).toBe(funding);
    else if (!expected) expect(f).toBeUndefined();
    checked++;
  }
  expect(checked).toBeGreaterThan(60);
  expect(board.counts.presence_transmise).toBeGreaterThan(0);
  expect(board.counts.eligibilite_validee).toBeGreaterThan(0);
  // The follow-up's changes belong to the import: it stays undoable as one operation.
  const last = (await api(ctx, 'historique.liste', {})).lastOperation!;
  expect(last).toMatchObject({ action: 'import', undoable: true });

  const again = await api(ctx, 'recensement.importCommit', { fileName: 'aidants-fne-grist.xlsx', contentBase64: bytes.toString('base64'), acceptRejected: true });
  expect(again.people).toMatchObject({ created: 0, updated: 0 });
  expect((await api(ctx, 'sessions.ac.list', {})).rows.map((r) => [r.personId, r.status, r.fundingValidated])).toEqual(board.rows.map((r) => [r.personId, r.status, r.fundingValidated]));
});
