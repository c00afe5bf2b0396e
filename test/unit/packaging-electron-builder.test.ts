// `npm run dist:win` needs the internet, so CI checks its configuration instead: electron-builder.yml
// is read and validated by electron-builder's own loader and JSON schema (a misspelt option
// fails here), then its settings are asserted; the fuses are flipped, by electron-builder's own
// code path, in a fake Windows executable that carries Electron's fuse wire, and read back.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getCurrentFuseWire } from '@electron/fuses';
import { FuseState, SENTINEL } from '@electron/fuses/dist/constants';
import type { Configuration, PlatformPackager } from 'app-builder-lib';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
let config: Configuration;

beforeAll(async () => {
  config = await getConfig(ROOT, 'electron-builder.yml', null);
});

type Target = { target: string; arch?: string[] };
const targets = (): Target[] => (config.win?.target ?? []) as Target[];

describe('electron-builder.yml', () => {
  it('is valid for electron-builder (its schema, as `electron-builder --config` checks it)', async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    // And the schema check does bite: an unknown option is refused.
    const misspelt = { ...config, nsis: { ...config.nsis, perMachin: false } } as Configuration;
    await expect(validateConfiguration(misspelt, new DebugLogger(false))).rejects.toThrow(/configuration\.nsis/);
  });

  it('names the app: id, product name "FNE Formations", icon in resources/', () => {
    expect(config.appId).toBe('fr.departement.fne-formations');
    expect(config.productName).toBe('FNE Formations');
    expect(config.directories?.buildResources).toBe('resources');
    const icon = config.win?.icon as string;
    expect(icon).toMatch(/^resources\//);
    const png = fs.readFileSync(path.join(ROOT, icon));
    // Windows wants at least 256×256 to build the .ico.
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(256);
    expect(png.readUInt32BE(20)).toBeGreaterThanOrEqual(256);
  });

  it('builds an NSIS installer that installs per user, without administrator rights, in French', () => {
    expect(targets().map((t) => t.target)).toContain('nsis');
    const nsis = config.nsis!;
    // Assisted installer with perMachine false: RequestExecutionLevel user, "only for me" by default.
    expect(nsis.perMachine).toBe(false);
    expect(nsis.oneClick).toBe(false);
    expect(nsis.allowElevation).toBe(false);
    expect(nsis.selectPerMachineByDefault ?? false).toBe(false);
    expect(nsis.installerLanguages).toEqual(['fr_FR']);
    expect(String(nsis.language)).toBe('1036');
    expect(nsis.shortcutName).toBe('FNE Formations');
  });

  it('also builds a portable exe (no installation at all)', () => {
    expect(targets().map((t) => t.target)).toContain('portable');
    for (const t of targets()) expect(t.arch).toEqual(['x64']);
    expect(config.portable?.artifactName).toMatch(/portable\.exe$/);
  });

  it('unpacks better-sqlite3 (native module) from the asar and rebuilds it for Electron', () => {
    expect(config.asar).not.toBe(false);
    const unpack = ([] as string[]).concat((config.asarUnpack as string[] | string | undefined) ?? []);
    expect(unpack.some((p) => p.startsWith('node_modules/better-sqlite3/') && p.endsWith('**'))).toBe(true);
    expect(config.npmRebuild).toBe(true);
    expect(Object.keys(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).dependencies)).toContain('better-sqlite3');
  });

  it('ships the built app only (out/), no source maps', () => {
    // electron-builder's loader normalises the list into file sets.
    const patterns = ((config.files ?? []) as Array<string | { filter?: string[] }>).flatMap((f) => (typeof f === 'string' ? [f] : (f.filter ?? [])));
    expect(patterns).toEqual(['out/**', 'package.json', '!**/*.map']);
  });

  it('ships the PDF fonts and colour profile with their licences beside the app, where the PDF writer looks for them', () => {
    const extra = (config.extraResources ?? []) as Array<{ from: string; to: string }>;
    const pdf = extra.find((e) => e.to === 'pdf');
    expect(pdf?.from).toBe('resources/pdf');
    const files = fs.readdirSync(path.join(ROOT, pdf!.from));
    expect(files).toEqual(
      expect.arrayContaining(['LiberationSans-Regular.ttf', 'LiberationSans-Bold.ttf', 'sRGB.icc', 'LICENCE-LiberationSans.txt', 'LICENCE-sRGB.txt']),
    );
    // The packaged app: assets.ts finds them under process.resourcesPath/pdf.
    const resources = fs.mkdtempSync(path.join(os.tmpdir(), 'fne-res-'));
    fs.cpSync(path.join(ROOT, 'resources', 'pdf'), path.join(resources, 'pdf'), { recursive: true });
    const script = `process.resourcesPath = ${JSON.stringify(resources)}; console.log(require(${JSON.stringify(path.join(ROOT, 'electron/services/common/pdf/assets.ts'))}).pdfAssetsDir())`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: ROOT, encoding: 'utf8' }).trim();
    expect(out).toBe(path.join(resources, 'pdf'));
  });

  it('sets the fuses: RunAsNode off, cookie encryption on, NODE_OPTIONS off, --inspect off, app only from asar, asar integrity on, no extra file:// privileges', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('with file:// privileges off, the window loads the renderer from app://, not from a file', () => {
    const main = fs.readFileSync(path.join(ROOT, 'electron/main/index.ts'), 'utf8');
    expect(main).toMatch(/registerSchemesAsPrivileged\(\[\{ scheme: APP_SCHEME/);
    expect(main).toMatch(/protocol\.handle\(APP_SCHEME/);
    expect(main).toMatch(/win\.loadURL\(APP_INDEX_URL\)/);
    expect(main).not.toMatch(/loadFile\(/);
  });

  it('electron-builder flips exactly those fuses in the Windows exe (fake binary with a fuse wire)', async () => {
    const { PlatformPackager: Packager } = (await import('app-builder-lib')) as { PlatformPackager: typeof PlatformPackager };
    type Internals = {
      generateFuseConfig(this: unknown, fuses: unknown): Promise<Record<string, unknown>>;
      addElectronFuses(this: unknown, context: unknown, fuses: Record<string, unknown>): Promise<number>;
    };
    const proto = Packager.prototype as unknown as Internals;
    const fuseConfig = await proto.generateFuseConfig.call({}, config.electronFuses);

    // A stand-in for "FNE Formations.exe": bytes, Electron's sentinel, wire version 1, 8 fuses in
    // Electron's shipped state (RunAsNode on, cookies plain, NODE_OPTIONS on, inspect on,
    // integrity off, asar-only off, V8 snapshot off, file:// privileges on), more bytes.
    const D = FuseState.DISABLE;
    const E = FuseState.ENABLE;
    const shipped = [E, D, E, E, D, D, D, E];
    const appOutDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fne-fuses-'));
    const exe = path.join(appOutDir, 'FNE Formations.exe');
    fs.writeFileSync(exe, Buffer.concat([Buffer.alloc(4096, 0x90), Buffer.from(SENTINEL), Buffer.from([1, shipped.length, ...shipped]), Buffer.alloc(4096, 0x90)]));

    const fakePackager = { appInfo: { productFilename: 'FNE Formations' } };
    await proto.addElectronFuses.call(fakePackager, { appOutDir, electronPlatformName: 'win32' }, fuseConfig);

    const wire = await getCurrentFuseWire(exe);
    const states = Array.from({ length: shipped.length }, (_, i) => (wire as unknown as Record<number, number>)[i]);
    // …and the eighth, file:// extra privileges, is now off too.
    expect(states).toEqual([D, E, D, D, E, E, D, D]);
    fs.rmSync(appOutDir, { recursive: true, force: true });
  });

  it('the app keeps its data in the user app-data folder, never next to the exe', () => {
    const main = fs.readFileSync(path.join(ROOT, 'electron/main/index.ts'), 'utf8');
    expect(main).toMatch(/dataDir: app\.getPath\('userData'\)/);
    expect(main).not.toMatch(/getPath\('exe'\)|PORTABLE_EXECUTABLE_DIR|process\.execPath/);
  });
});
