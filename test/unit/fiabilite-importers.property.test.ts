// Bad files for the importers (the generic tabular reader and the recensement import channels):
// random bytes, truncated workbooks, huge cells, a million empty rows, wrong encodings. Each
// gives a clean result or a French error — never an unexpected exception — and a refused
// import leaves the database byte-identical.
import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_FILLED_ROWS, readTabular } from '../../electron/services/common/tabular/read';
import { AppError } from '../../electron/services/errors';
import { dispatch } from '../../electron/services/handlers';
import { creuseConvention, dbSnapshot, fixturesDir, openTestApp, type TestApp } from '../helpers/app';

const RUNS = Number(process.env.FNE_FUZZ_RUNS ?? 25);
// Fixed seed in CI (reproducible); FNE_FUZZ_SEED=random explores new cases.
const SEED = process.env.FNE_FUZZ_SEED === 'random' ? Date.now() : Number(process.env.FNE_FUZZ_SEED ?? 20251);
fc.configureGlobal({ seed: SEED });
const fixture = (n: string) => fs.readFileSync(path.join(fixturesDir, n));
const WORKBOOKS = ['aidants-fne-grist.xlsx', 'aidants-fne-grist.ods', 'candidatures-formulaire.xls', 'candidatures-formulaire.xlsx'];
const TEXTS = ['aidants-anct-export.csv', 'aidants-anct-export-excel.csv'];

let app: TestApp;
beforeAll(async () => {
  app = openTestApp({ now: '2025-05-15T10:00:00Z' });
  await dispatch(app.ctx, 'convention.create', creuseConvention);
});
afterAll(() => app.close());

/** The reader either reads or refuses with an AppError carrying a French message. */
function readOrFrenchError(bytes: Uint8Array, name: string): void {
  try {
    readTabular(bytes, name);
  } catch (e) {
    expect(e, String(e instanceof Error ? e.stack : e)).toBeInstanceOf(AppError);
    expect((e as AppError).message).toMatch(/[a-zàâçéèêîôû]/i);
  }
}

/** Both import channels: clean result or French error; a refusal (and any preview) changes nothing. */
async function importBothWays(bytes: Uint8Array, fileName: string): Promise<void> {
  const contentBase64 = Buffer.from(bytes).toString('base64');
  for (const channel of ['recensement.importPreview', 'recensement.importCommit'] as const) {
    const before = dbSnapshot(app.ctx);
    const env = await dispatch(app.ctx, channel, { fileName, contentBase64 });
    if (env.ok && channel === 'recensement.importCommit') continue;
    if (!env.ok) {
      expect(env.error.code, `${channel} ${fileName}: ${env.error.message} ${JSON.stringify(env.error.details ?? '').slice(0, 400)}`).not.toBe('internal');
      expect(env.error.message).toMatch(/[a-zàâçéèêîôû]/i);
    }
    expect(dbSnapshot(app.ctx).equals(before), `${channel} a modifié la base (${fileName})`).toBe(true);
  }
}

describe('tabular reader under bad files', () => {
  it('random bytes (any extension)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 4096 }), fc.constantFrom('x.csv', 'x.xlsx', 'x.xls', 'x.ods', 'x.txt', 'x'), (bytes, name) => readOrFrenchError(bytes, name)),
      { numRuns: RUNS * 4 },
    );
  });

  it('random bytes behind a ZIP or OLE2 signature (fake workbooks)', () => {
    const zip = [0x50, 0x4b, 0x03, 0x04];
    const ole = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
    fc.assert(
      fc.property(fc.constantFrom(zip, ole), fc.uint8Array({ maxLength: 4096 }), (sig, rest) => readOrFrenchError(Uint8Array.from([...sig, ...rest]), 'x.xlsx')),
      { numRuns: RUNS * 2 },
    );
  });

  it.each(WORKBOOKS)('%s truncated anywhere, or with bytes flipped', (name) => {
    const full = fixture(name);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: full.length - 1 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }), (cut, flips) => {
        const b = Buffer.from(full);
        for (const [at, v] of flips) b[at % b.length] = v;
        readOrFrenchError(b, name);
        readOrFrenchError(b.subarray(0, cut), name);
      }),
      { numRuns: RUNS },
    );
  });

  it.each(TEXTS)('%s in wrong encodings (UTF-16 LE/BE without BOM, Latin-1, cut in a multi-byte character)', (name) => {
    const text = fixture(name).toString('utf8');
    const utf16be = Buffer.from(text, 'utf16le').swap16();
    for (const b of [Buffer.from(text, 'utf16le'), utf16be, Buffer.from(text, 'latin1'), Buffer.from(text, 'utf8').subarray(0, 1001)]) {
      readOrFrenchError(b, name);
    }
  });
});

describe('recensement import channels under bad files', () => {
  it('random bytes and truncated workbooks: French error or clean result, base unchanged when refused', async () => {
    const files = [...WORKBOOKS, ...TEXTS].map((n) => [n, fixture(n)] as const);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 2048 }).map((b) => ['hasard.xlsx', b] as const),
          fc.constantFrom(...files).chain(([n, b]) => fc.integer({ min: 1, max: b.length - 1 }).map((cut) => [n, b.subarray(0, cut)] as const)),
        ),
        async ([name, bytes]) => importBothWays(bytes, name),
      ),
      { numRuns: RUNS },
    );
  });

  it('a 5 MB cell', async () => {
    const csv = Buffer.from(`prénom;nom;adresse électronique\nAnne;${'X'.repeat(5 * 1024 * 1024)};anne.x@mairie.fr\n`);
    await importBothWays(csv, 'cellule-geante.csv');
  });

  it('a million empty rows, quickly', async () => {
    const t0 = Date.now();
    await importBothWays(Buffer.from('prénom;nom;adresse électronique\n' + ';;\n'.repeat(1_000_000)), 'vide.csv');
    expect(Date.now() - t0).toBeLessThan(20_000);
  });

  it('a sheet with more filled rows than the row cap is refused, and the message says the cap', async () => {
    const before = dbSnapshot(app.ctx);
    const rows = Array.from({ length: MAX_FILLED_ROWS + 1 }, (_, i) => `P${i};N${i};p${i}@mairie.fr`).join('\n');
    const bytes = Buffer.from('prénom;nom;adresse électronique\n' + rows + '\n');
    for (const channel of ['recensement.importPreview', 'recensement.importCommit'] as const) {
      const env = await dispatch(app.ctx, channel, { fileName: 'trop-de-lignes.csv', contentBase64: bytes.toString('base64') });
      expect(env).toMatchObject({ ok: false, error: { code: 'input_too_large' } });
      if (!env.ok) expect(env.error.message).toMatch(/plus de 200\s000 lignes remplies/);
    }
    expect(dbSnapshot(app.ctx).equals(before)).toBe(true);
  });

  it('a file above the size cap is refused before reading, and the message says the cap', async () => {
    const before = dbSnapshot(app.ctx);
    const env = await dispatch(app.ctx, 'recensement.importCommit', { fileName: 'enorme.csv', contentBase64: 'A'.repeat(80 * 1024 * 1024) });
    expect(env).toMatchObject({ ok: false, error: { code: 'input_too_large' } });
    if (!env.ok) expect(env.error.message).toMatch(/maximum \d+ Mo/);
    expect(dbSnapshot(app.ctx).equals(before)).toBe(true);
  });
});
