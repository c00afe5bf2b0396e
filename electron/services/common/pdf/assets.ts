// What every generated PDF embeds, from resources/pdf/ (licences beside the files):
// - Liberation Sans 2 (SIL OFL 1.1), metric-compatible with Helvetica — the layouts drawn for
//   Helvetica keep their widths — and covering every Latin-script name an officer may type (Ł,
//   ş, ı, ő, ğ, Vietnamese diacritics…), where the standard Helvetica (WinAnsi) printed « ? »;
// - an sRGB ICC profile (zlib licence), the output intent PDF/A asks for.
//
// The folder is found in every host: from the sources (tests, web host, CLI run with tsx), from
// the built `out/main/` (walk up to the project), and in the packaged app under
// `process.resourcesPath/pdf` (electron-builder.yml, extraResources).
import fs from 'node:fs';
import path from 'node:path';

export const PDF_ASSET_FILES = { regular: 'LiberationSans-Regular.ttf', bold: 'LiberationSans-Bold.ttf', srgb: 'sRGB.icc' } as const;

export type PdfAssets = Record<keyof typeof PDF_ASSET_FILES, Uint8Array>;

let cached: PdfAssets | undefined;

/** Folders that may hold the assets, most specific first. */
function candidates(): string[] {
  const out: string[] = [];
  if (process.env.FNE_PDF_ASSETS_DIR) out.push(process.env.FNE_PDF_ASSETS_DIR);
  const resourcesPath = (process as NodeJS.Process & { resourcesPath?: string }).resourcesPath;
  if (resourcesPath) out.push(path.join(resourcesPath, 'pdf'));
  for (let dir = __dirname, i = 0; i < 8; i++, dir = path.dirname(dir)) {
    out.push(path.join(dir, 'resources', 'pdf'));
    if (path.dirname(dir) === dir) break;
  }
  return out;
}

/** The folder holding the PDF assets; a French error if the installation lacks them. */
export function pdfAssetsDir(): string {
  const files = Object.values(PDF_ASSET_FILES);
  for (const dir of candidates()) if (files.every((f) => fs.existsSync(path.join(dir, f)))) return dir;
  throw new Error('Polices et profil de couleur des PDF introuvables : l’installation de l’application est incomplète.');
}

/** The bytes of every asset, read once per process. */
export function pdfAssets(): PdfAssets {
  if (!cached) {
    const dir = pdfAssetsDir();
    const read = (f: string) => new Uint8Array(fs.readFileSync(path.join(dir, f)));
    cached = { regular: read(PDF_ASSET_FILES.regular), bold: read(PDF_ASSET_FILES.bold), srgb: read(PDF_ASSET_FILES.srgb) };
  }
  return cached;
}
