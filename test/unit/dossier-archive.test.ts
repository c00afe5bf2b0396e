import { execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { copyHashWorkerModule, startHelper } from '../../electron/services/common/zip/copy-hash-helper';
import { checkedNativeCrc32, crc32, nativeCrc32, tableCrc32 } from '../../electron/services/common/zip/crc32';
import { assertSafeEntryPath, assertUniqueEntryPaths } from '../../electron/services/common/zip/entry-paths';
import { dosDateTime } from '../../electron/services/common/zip/zip-writer';
import { TEMP_PREFIX, writeDossier, type DossierEntry } from '../../electron/services/justification/archive';
import { tempDir } from '../helpers/app';
import { readZip } from '../helpers/zip';

const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
const MTIME = new Date('2025-12-31T12:00:00Z');

function sampleEntries(dir: string): DossierEntry[] {
  const pdf = path.join(dir, 'src-facture.pdf');
  fs.writeFileSync(pdf, Buffer.concat([Buffer.from('%PDF-1.4\n'), crypto.randomBytes(300_000)]));
  const png = path.join(dir, 'src-feuille.png');
  fs.writeFileSync(png, crypto.randomBytes(50_000));
  return [
    { path: '05-presence/session-1/feuille-emargement.png', source: { file: png }, proves: 'Session 1 : feuille d’émargement signée' },
    { path: '03-marche/facture-F2025-012.pdf', source: { file: pdf }, proves: 'Commande BC-2025-01 : facture' },
    { path: 'tableau-art-5-2.csv', source: { bytes: Buffer.from('nom;prénom\nDupont;Élise\n') }, proves: 'Tableau art. 5.2' },
  ];
}

describe('dossier archive', () => {
  it('writes a folder and a ZIP whose manifest matches every file, sorted, PDFs stored', async () => {
    const dir = tempDir();
    const entries = sampleEntries(dir);
    const out = path.join(dir, 'sortie');
    const r = await writeDossier({ outDir: out, baseName: 'dossier-23-2025-12-31', entries, mtime: MTIME });
    expect(path.basename(r.zipPath)).toBe('dossier-23-2025-12-31.zip');
    const zip = await readZip(r.zipPath);
    expect(zip.map((e) => e.name)).toEqual(['03-marche/facture-F2025-012.pdf', '05-presence/session-1/feuille-emargement.png', 'tableau-art-5-2.csv', 'manifeste.csv']);
    expect(zip[0].compressionMethod).toBe(0);
    for (const line of r.manifest) {
      const entry = zip.find((e) => e.name === line.path)!;
      expect(sha(entry.bytes)).toBe(line.sha256);
      expect(entry.bytes.length).toBe(line.size);
      expect(sha(fs.readFileSync(path.join(r.folderPath, ...line.path.split('/'))))).toBe(line.sha256);
    }
    const manifest = zip.find((e) => e.name === 'manifeste.csv')!.bytes.toString('utf8');
    expect(manifest).toContain('chemin;sha256;taille_octets;prouve');
    expect(manifest).toContain(`03-marche/facture-F2025-012.pdf;${r.manifest[0].sha256};${r.manifest[0].size};Commande BC-2025-01 : facture`);
    expect(fs.readdirSync(out).sort()).toEqual(['dossier-23-2025-12-31', 'dossier-23-2025-12-31.zip']);
  });

  it('is reproducible: the same entries give a byte-identical ZIP', async () => {
    const dir = tempDir();
    const entries = sampleEntries(dir);
    const a = await writeDossier({ outDir: path.join(dir, 'a'), baseName: 'd', entries, mtime: MTIME });
    const b = await writeDossier({ outDir: path.join(dir, 'b'), baseName: 'd', entries: [...entries].reverse(), mtime: MTIME });
    expect(b.zipSha256).toBe(a.zipSha256);
    expect(sha(fs.readFileSync(a.zipPath))).toBe(a.zipSha256);
  });

  it('leaves no ZIP and no temporary file when cancelled', async () => {
    const dir = tempDir();
    const entries = sampleEntries(dir);
    const out = path.join(dir, 'sortie');
    const ctrl = new AbortController();
    await expect(
      writeDossier({ outDir: out, baseName: 'd', entries, mtime: MTIME, signal: ctrl.signal, onProgress: (p) => p.done === 1 && ctrl.abort() }),
    ).rejects.toThrow(/annulée/);
    expect(fs.readdirSync(out)).toEqual([]);
  });

  it('leaves no ZIP when the process is killed midway; the next run completes beside the leftovers and reports them, removing nothing', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'sortie');
    const script = path.join(dir, 'run.ts');
    fs.writeFileSync(
      script,
      `import fs from 'node:fs';
import { writeDossier } from ${JSON.stringify(path.resolve(__dirname, '../../electron/services/justification/archive'))};
const big = ${JSON.stringify(path.join(dir, 'big.bin'))};
fs.writeFileSync(big, Buffer.alloc(64 * 1024 * 1024, 7));
const entries = Array.from({ length: 40 }, (_, i) => ({ path: 'p/' + i + '.bin', source: { file: big }, proves: 'x' }));
writeDossier({ outDir: ${JSON.stringify(out)}, baseName: 'd', entries, mtime: new Date(0), onProgress: (p) => p.done === 2 && console.log('MIDWAY') });
`,
    );
    // node --import tsx: the script runs in this very child (the tsx CLI would fork a grandchild
    // that SIGKILL would not reach).
    const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'], cwd: path.resolve(__dirname, '../..') });
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d) => String(d).includes('MIDWAY') && resolve());
      child.once('exit', (c) => reject(new Error(`exited before midway (${c})`)));
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const left = fs.readdirSync(out);
    expect(left.filter((n) => n.endsWith('.zip'))).toEqual([]);
    const leftovers = left.filter((n) => n.startsWith(TEMP_PREFIX)).sort();
    expect(leftovers.length).toBeGreaterThan(0); // what the kill left…
    const r = await writeDossier({ outDir: out, baseName: 'ok', entries: [{ path: 'a.txt', source: { bytes: Buffer.from('a') }, proves: 'a' }], mtime: MTIME });
    // …is reported by the next run and left alone: it could be another run's, still writing.
    expect(r.staleTemporaries).toEqual(leftovers);
    expect(fs.readdirSync(out).sort()).toEqual([...leftovers, 'ok', 'ok.zip'].sort());
  });

  it('reads large pièces in several chunks (data descriptor), writes ZIP64 fields when asked, works without the helper thread: valid for yauzl and unzip -t, folder = ZIP = manifest', async () => {
    const dir = tempDir();
    const entries = sampleEntries(dir); // a 300 kB PDF, a 50 kB PNG, a text
    fs.writeFileSync(path.join(dir, 'vide.pdf'), '');
    entries.push({ path: '06-vide/vide.pdf', source: { file: path.join(dir, 'vide.pdf') }, proves: 'vide' });
    const whole = await writeDossier({ outDir: path.join(dir, 'whole'), baseName: 'd', entries, mtime: MTIME });
    let chunkedSha = '';
    for (const [forceZip64, inlineHelper] of [[false, false], [true, false], [false, true]]) {
      const r = await writeDossier({ outDir: path.join(dir, `chunked-${forceZip64}-${inlineHelper}`), baseName: 'd', entries, mtime: MTIME, chunkSize: 64 * 1024, forceZip64, inlineHelper });
      expect(execFileSync('unzip', ['-tq', r.zipPath], { encoding: 'utf8' })).toMatch(/No errors detected/);
      const info = execFileSync('zipinfo', ['-v', r.zipPath], { encoding: 'utf8' });
      expect(info).toMatch(/extended local header:\s+yes/); // the 300 kB PDF went in several chunks
      expect(info).toMatch(forceZip64 ? /minimum software version required to extract:\s+4\.5/ : /minimum software version required to extract:\s+2\.0/);
      expect(info).toContain('2025 Dec 31 12:00:00');
      expect(sha(fs.readFileSync(r.zipPath))).toBe(r.zipSha256);
      if (!forceZip64) expect(r.zipSha256).toBe(inlineHelper ? chunkedSha : (chunkedSha = r.zipSha256)); // the helper changes nothing
      const zip = await readZip(r.zipPath);
      expect(r.manifest).toEqual(whole.manifest); // same files, same hashes, whatever the chunking
      for (const line of r.manifest) {
        const entry = zip.find((e) => e.name === line.path)!;
        expect(sha(entry.bytes)).toBe(line.sha256);
        expect(sha(fs.readFileSync(path.join(r.folderPath, ...line.path.split('/'))))).toBe(line.sha256);
      }
    }
  });

  it('cancels promptly inside a large pièce and leaves nothing', async () => {
    const dir = tempDir();
    const big = path.join(dir, 'big.pdf');
    fs.writeFileSync(big, crypto.randomBytes(2 * 1024 * 1024));
    const out = path.join(dir, 'sortie');
    const ctrl = new AbortController();
    let progress = 0;
    const run = writeDossier({ outDir: out, baseName: 'd', entries: [{ path: 'a.pdf', source: { file: big }, proves: 'a' }], mtime: MTIME, chunkSize: 64 * 1024, signal: ctrl.signal, onProgress: () => progress++ });
    setImmediate(() => ctrl.abort()); // while the one pièce is being read
    await expect(run).rejects.toThrow(/annulée/);
    expect(progress).toBe(1);
    expect(fs.readdirSync(out)).toEqual([]);
  });

  it('CRC-32: the native function agrees with the table one; DOS time from the UTC fields', () => {
    const sample = crypto.randomBytes(100_000);
    const z = (zlib as unknown as { crc32?: (b: Uint8Array, p?: number) => number }).crc32;
    expect(tableCrc32(Buffer.from('123456789'))).toBe(0xcbf43926); // the standard check value
    if (z) expect(tableCrc32(sample.subarray(5000), tableCrc32(sample.subarray(0, 5000)))).toBe(z(sample));
    // The native function is kept only when it agrees with the table version on a sample.
    expect(checkedNativeCrc32(undefined)).toBeNull();
    expect(checkedNativeCrc32((b: Uint8Array, p = 0) => (tableCrc32(b, p) + 1) >>> 0)).toBeNull();
    expect(nativeCrc32).toBe(checkedNativeCrc32(z) !== null);
    expect(crc32(sample)).toBe(tableCrc32(sample));
    expect(dosDateTime(new Date('2025-12-31T12:00:00Z'))).toEqual({ date: ((2025 - 1980) << 9) | (12 << 5) | 31, time: 12 << 11 });
  });

  it('refuses a path that would leave the dossier', () => {
    for (const p of ['../x.pdf', '/etc/passwd', 'a/../../b', 'C:/x', 'a\\..\\b', '']) expect(() => assertSafeEntryPath(p)).toThrow(/interdit/);
    expect(() => assertSafeEntryPath('01-convention/convention-signee.pdf')).not.toThrow();
  });
});

describe('the helper thread (common/zip/copy-hash-worker.ts, a module of its own)', () => {
  it('runs as a worker thread from the TypeScript source (tsx, vitest) and gives the same ZIP and folder as the main thread alone', async () => {
    const dir = tempDir();
    const entries = sampleEntries(dir);
    const t = await writeDossier({ outDir: path.join(dir, 't'), baseName: 'd', entries, mtime: MTIME, chunkSize: 64 * 1024 });
    const i = await writeDossier({ outDir: path.join(dir, 'i'), baseName: 'd', entries, mtime: MTIME, chunkSize: 64 * 1024, inlineHelper: true });
    expect(t.helper).toBe('thread');
    expect(i.helper).toBe('inline');
    expect(t.zipSha256).toBe(i.zipSha256);
    expect(sha(fs.readFileSync(t.zipPath))).toBe(t.zipSha256);
    for (const line of t.manifest) expect(sha(fs.readFileSync(path.join(t.folderPath, ...line.path.split('/'))))).toBe(line.sha256);
  });

  it('is an entry of the electron-vite build of main, under the name the writer looks for', () => {
    const config = fs.readFileSync(path.resolve(__dirname, '../../electron.vite.config.ts'), 'utf8');
    expect(config).toMatch(/'copy-hash-worker': resolve\(__dirname, 'electron\/services\/common\/zip\/copy-hash-worker\.ts'\)/);
  });
});

describe('the dossier never deletes (issue 14)', () => {
  it('a second dossier of the same name goes beside the first (« -2 », « -3 »), which keeps every file the officer added', async () => {
    const dir = tempDir();
    const entries = sampleEntries(dir);
    const out = path.join(dir, 'sortie');
    const a = await writeDossier({ outDir: out, baseName: 'd', entries, mtime: MTIME });
    const zipBefore = sha(fs.readFileSync(a.zipPath));
    fs.writeFileSync(path.join(a.folderPath, 'bilan-signe.pdf'), 'signé');
    fs.writeFileSync(path.join(out, 'notes.txt'), 'notes');
    fs.writeFileSync(path.join(out, `${TEMP_PREFIX}officier.txt`), 'un fichier au nom malheureux');
    const b = await writeDossier({ outDir: out, baseName: 'd', entries, mtime: MTIME });
    expect(path.basename(b.folderPath)).toBe('d-2');
    expect(path.basename(b.zipPath)).toBe('d-2.zip');
    const c = await writeDossier({ outDir: out, baseName: 'd', entries, mtime: MTIME });
    expect(path.basename(c.zipPath)).toBe('d-3.zip');
    expect(fs.readFileSync(path.join(a.folderPath, 'bilan-signe.pdf'), 'utf8')).toBe('signé');
    expect(sha(fs.readFileSync(a.zipPath))).toBe(zipBefore);
    expect(fs.readdirSync(out).sort()).toEqual([`${TEMP_PREFIX}officier.txt`, 'd', 'd-2', 'd-2.zip', 'd-3', 'd-3.zip', 'd.zip', 'notes.txt'].sort());
    // A ZIP alone (its folder moved away) or a folder alone still takes the name.
    fs.rmSync(c.folderPath, { recursive: true });
    const d = await writeDossier({ outDir: out, baseName: 'd', entries, mtime: MTIME });
    expect(path.basename(d.zipPath)).toBe('d-4.zip');
  });

  it('a failed run removes only its own temporaries', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'sortie');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, `${TEMP_PREFIX}autre.tmp`), 'autre génération');
    const entries: DossierEntry[] = [{ path: 'a.pdf', source: { file: path.join(dir, 'absent.pdf') }, proves: 'a' }];
    await expect(writeDossier({ outDir: out, baseName: 'd', entries, mtime: MTIME })).rejects.toThrow(/ENOENT/);
    expect(fs.readdirSync(out)).toEqual([`${TEMP_PREFIX}autre.tmp`]);
  });
});

describe('ZIP entry names unique once case is ignored (issue 15: Windows)', () => {
  it('refuses two names differing only by case, a folder spelled two ways, a name both file and folder — before writing anything', async () => {
    const dir = tempDir();
    const bytes = (s: string) => ({ bytes: Buffer.from(s) });
    const cases: string[][] = [
      ['03-marche/Facture.pdf', '03-marche/facture.pdf'],
      ['Organismes/a/x.pdf', 'organismes/b/y.pdf'],
      ['a/ÉTÉ.pdf', 'a/été.pdf'],
      ['a/e\u0301te\u0301.pdf', 'a/\u00e9t\u00e9.pdf'], // one name in two Unicode forms
      ['a', 'A/b.pdf'],
      ['x/MANIFESTE.csv', 'X/y'],
      ['MANIFESTE.CSV'], // the root manifest's name
    ];
    for (const paths of cases) {
      const out = path.join(dir, `o-${crypto.randomBytes(3).toString('hex')}`);
      const entries = paths.map((p) => ({ path: p, source: bytes(p), proves: p }));
      await expect(writeDossier({ outDir: out, baseName: 'd', entries, mtime: MTIME }), paths.join(' + ')).rejects.toThrow(/même nom|majuscules/);
      expect(fs.existsSync(out) ? fs.readdirSync(out) : []).toEqual([]);
    }
    expect(() => assertUniqueEntryPaths(['a/b/x.pdf', 'a/b/y.pdf', 'a/c.pdf', 'b.pdf'])).not.toThrow();
    expect(() => assertUniqueEntryPaths(['a/x.pdf', 'a/x.pdf'])).toThrow(/même nom/);
  });

  it('a part’s manifest name counts too', async () => {
    const dir = tempDir();
    const entries = [{ path: 'p/Manifeste.csv', source: { bytes: Buffer.from('x') }, proves: 'x' }];
    await expect(writeDossier({ outDir: path.join(dir, 'o'), baseName: 'd', entries, parts: [{ folder: 'p', proves: 'p' }], mtime: MTIME })).rejects.toThrow(/majuscules/);
  });
});

describe('parts with their own manifest', () => {
  it('each part’s manifest lists its files relative to it; the root one lists every file, the parts’ manifests included', async () => {
    const dir = tempDir();
    const entries = sampleEntries(dir).map((e, i) => ({ ...e, path: `${i === 2 ? 'b' : 'a'}/${e.path}` }));
    const r = await writeDossier({ outDir: path.join(dir, 'o'), baseName: 'd', entries, parts: [{ folder: 'b', proves: 'partie B' }, { folder: 'a', proves: 'partie A' }], mtime: MTIME });
    const zip = await readZip(r.zipPath);
    const read = (name: string) =>
      zip
        .find((e) => e.name === name)!
        .bytes.toString('utf8')
        .replace(/^\ufeff/, '')
        .trim()
        .split('\r\n')
        .slice(1)
        .map((l) => l.split(';'));
    const partA = read('a/manifeste.csv');
    expect(partA.map((l) => l[0])).toEqual(['03-marche/facture-F2025-012.pdf', '05-presence/session-1/feuille-emargement.png']);
    for (const [p, h, size] of partA) {
      const bytes = fs.readFileSync(path.join(r.folderPath, 'a', ...p.split('/')));
      expect(sha(bytes)).toBe(h);
      expect(bytes.length).toBe(Number(size));
    }
    expect(read('b/manifeste.csv').map((l) => l[0])).toEqual(['tableau-art-5-2.csv']);
    const root = read('manifeste.csv');
    expect(root.map((l) => l[0])).toEqual(['a/03-marche/facture-F2025-012.pdf', 'a/05-presence/session-1/feuille-emargement.png', 'a/manifeste.csv', 'b/manifeste.csv', 'b/tableau-art-5-2.csv']);
    expect(root.find((l) => l[0] === 'a/manifeste.csv')![3]).toBe('partie A');
    expect(root.find((l) => l[0] === 'a/manifeste.csv')![1]).toBe(sha(fs.readFileSync(path.join(r.folderPath, 'a', 'manifeste.csv'))));
    expect(zip.map((e) => e.name).sort()).toEqual([...root.map((l) => l[0]), 'manifeste.csv'].sort());
  });
});

describe('a helper thread that cannot start', () => {
  it('leaves the work to the main thread, which redoes what was handed over: a module that fails to load, one that never says it runs, a missing one', async () => {
    const dir = tempDir();
    const broken = path.join(dir, 'broken.js');
    fs.writeFileSync(broken, 'throw new Error("chargement impossible");');
    const silent = path.join(dir, 'silent.js');
    fs.writeFileSync(silent, 'process.exit(0);');
    const src = path.join(dir, 'piece.bin');
    fs.writeFileSync(src, crypto.randomBytes(9 << 20)); // more than one hand-over: a batch is posted before the failure is known
    for (const [i, file] of [broken, silent, path.join(dir, 'absent.js')].entries()) {
      const zip = path.join(dir, `z${i}.tmp`);
      const data = crypto.randomBytes(10 << 20);
      fs.writeFileSync(zip, data);
      const h = startHelper(zip, 1 << 20, false, { file });
      const copy = path.join(dir, `copie-${i}.bin`);
      h.copy(src, copy, 9 << 20, 'piece.bin');
      h.written(data.subarray(0, 6 << 20), 6 << 20);
      await new Promise((r) => setTimeout(r, 200)); // the failure arrives meanwhile…
      h.written(data.subarray(6 << 20), 10 << 20); // …and the rest goes to the main thread
      expect(await h.finish(10 << 20)).toBe(sha(data));
      expect(h.mode, file).toBe('inline');
      expect(sha(fs.readFileSync(copy))).toBe(sha(fs.readFileSync(src)));
    }
    const real = copyHashWorkerModule();
    expect(real?.file).toMatch(/copy-hash-worker\.(ts|js)$/);
    const zip = path.join(dir, 'ok.tmp');
    fs.writeFileSync(zip, 'abc');
    const h = startHelper(zip, 1024, false, real);
    h.written(Buffer.from('abc'), 3);
    expect(await h.finish(3)).toBe(sha(Buffer.from('abc')));
    expect(h.mode).toBe('thread');
  });
});
