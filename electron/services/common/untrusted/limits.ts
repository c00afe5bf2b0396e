// Every cap on a file the officer receives from outside (a list by e-mail, a PDF from an
// organisation), and the French message given when one is passed. One place, so that the
// checks before parsing (pre-checks.ts), the parsing worker (worker.ts, run.ts), the CSV reader
// (../tabular/csv.ts) and the tests agree. A message never lists more than a few names: a file
// built to produce a huge message (one name per empty column…) gets a short one.
import { AppError } from '../../errors';

export const LIMITS = {
  /** Excel's own grid (xlsx, and what LibreOffice saves): a cell beyond it is not a real sheet. */
  maxSheetRows: 1_048_576,
  maxSheetColumns: 16_384,
  /** Filled cells in one workbook (a département's lists: ~30 columns × a few thousand rows). */
  maxCells: 3_000_000,
  /** Sum of the declared uncompressed sizes of a zipped workbook (xlsx, ods). */
  maxUncompressedBytes: 200 * 1024 * 1024,
  /** Entries of a zipped workbook. */
  maxZipEntries: 10_000,
  /** Compression ratio of one large entry (XML of a real sheet: 5 to 40). */
  maxCompressionRatio: 200,
  /** The ratio is only judged for entries larger than this (a tiny file may compress a lot). */
  ratioCheckedAbove: 1024 * 1024,
  /** A CSV record (one row, quoted line breaks included): far above any real row. */
  maxRecordChars: 1024 * 1024,
  /** Fields in one CSV record. */
  maxRecordFields: 16_384,
  /** Pages of a PDF given to pdf-lib (a session's attestations: a few dozen). */
  maxPdfPages: 2_000,
  /** Total bytes the compressed streams of a PDF may inflate to. */
  maxPdfInflatedBytes: 100 * 1024 * 1024,
  /**
   * Parsing worker: heap caps (MB), and its time limit: a base plus a time per MB of the file,
   * generous (a 20 000-row list on a slow, busy laptop must pass); the pre-checks are what stop
   * crafted files quickly, the time limit is the last resort.
   */
  workerOldGenerationMb: 384,
  workerYoungGenerationMb: 32,
  workerTimeoutMs: 30_000,
  workerTimeoutPerMbMs: 20_000,
  workerTimeoutMaxMs: 180_000,
} as const;

/** At most `max` names, quoted, then « et N autres ». */
export function fewNames(names: readonly string[], max = 5): string {
  const shown = names.slice(0, max).map((n) => `« ${n.length > 60 ? n.slice(0, 57) + '…' : n} »`);
  const rest = names.length - shown.length;
  return shown.join(', ') + (rest > 0 ? ` et ${rest.toLocaleString('fr-FR')} autre${rest > 1 ? 's' : ''}` : '');
}

const nf = (n: number) => Math.round(n).toLocaleString('fr-FR');
const mb = (n: number) => `${nf(n / (1024 * 1024))} Mo`;
const NOTHING = 'Rien n’a été importé.';
const ASK = 'Demandez à l’expéditeur de vous le renvoyer, ou ouvrez-le dans Excel ou LibreOffice et enregistrez-le de nouveau.';

/** The French errors of the untrusted-file checks (code `input_too_large` or `file_unreadable`). */
export const refusals = {
  cellOutOfGrid: (file: string, ref: string) =>
    new AppError(
      'file_unreadable',
      `Le fichier « ${file} » déclare une cellule hors de la grille d’un tableur (${ref.slice(0, 24)}, au-delà de ${nf(LIMITS.maxSheetRows)} lignes ou ${nf(LIMITS.maxSheetColumns)} colonnes) : il est endommagé ou fabriqué. ${ASK} ${NOTHING}`,
    ),
  tooManyCells: (file: string, cells: number) =>
    new AppError(
      'input_too_large',
      `Le fichier « ${file} » contient plus de ${nf(LIMITS.maxCells)} cellules remplies${cells > LIMITS.maxCells ? ` (au moins ${nf(cells)})` : ''} : c’est bien plus qu’une liste d’un département. Vérifiez qu’il s’agit du bon fichier, ou découpez-le. ${NOTHING}`,
    ),
  tooBigUncompressed: (file: string, bytes: number) =>
    new AppError(
      'input_too_large',
      `Le classeur « ${file} » occuperait ${mb(bytes)} une fois décompressé (au plus ${mb(LIMITS.maxUncompressedBytes)}) : ce n’est pas une liste ordinaire. Vérifiez qu’il s’agit du bon fichier. ${NOTHING}`,
    ),
  compressionRatio: (file: string, ratio: number) =>
    new AppError(
      'input_too_large',
      `Le classeur « ${file} » est anormalement compressé (1 octet pour ${nf(ratio)} une fois décompressé) : c’est le signe d’un fichier fabriqué pour saturer l’ordinateur. ${NOTHING}`,
    ),
  zipDamaged: (file: string) =>
    new AppError('file_unreadable', `Le classeur « ${file} » est endommagé ou incomplet (archive illisible). ${ASK} ${NOTHING}`),
  recordTooLong: (file: string, line: number, max: number = LIMITS.maxRecordChars) =>
    new AppError(
      'file_unreadable',
      `Le fichier « ${file} » a, à partir de la ligne ${nf(line)}, une ligne de plus de ${nf(max)} caractères : le plus souvent un guillemet (") ouvert et jamais refermé. Corrigez cette ligne ou enregistrez de nouveau le fichier depuis le tableur. ${NOTHING}`,
    ),
  tooManyFields: (file: string, line: number) =>
    new AppError(
      'file_unreadable',
      `Le fichier « ${file} » a, ligne ${nf(line)}, plus de ${nf(LIMITS.maxRecordFields)} colonnes : ce n’est pas un tableau ordinaire. ${NOTHING}`,
    ),
  pdfTooManyPages: (file: string, pages: number) =>
    new AppError(
      'input_too_large',
      `Le PDF « ${file} » a ${nf(pages)} pages (au plus ${nf(LIMITS.maxPdfPages)}) : envoyez les attestations d’une session à la fois. Rien n’a été joint.`,
    ),
  pdfInflates: (file: string) =>
    new AppError(
      'input_too_large',
      `Le PDF « ${file} » se décompresse en plus de ${mb(LIMITS.maxPdfInflatedBytes)} : ce n’est pas un PDF d’attestations ordinaire (fichier fabriqué ou endommagé). Rien n’a été joint.`,
    ),
  workerMemory: (file: string) =>
    new AppError(
      'input_too_large',
      `La lecture du fichier « ${file} » demandait trop de mémoire et a été arrêtée : le fichier est trop gros ou fabriqué pour saturer l’ordinateur. Vérifiez qu’il s’agit du bon fichier, ou découpez-le. Rien n’a été modifié.`,
    ),
  workerTimeout: (file: string, ms: number) =>
    new AppError(
      'input_too_large',
      `La lecture du fichier « ${file} » a dépassé ${nf(ms / 1000)} secondes et a été arrêtée : le fichier est trop gros ou endommagé. Rien n’a été modifié.`,
    ),
  workerFailed: (file: string) =>
    new AppError('file_unreadable', `La lecture du fichier « ${file} » a échoué de façon inattendue. ${ASK} Rien n’a été modifié.`),
};

/** A message built from a file's content is cut to a sane length, whatever the file holds. */
export const MAX_MESSAGE_CHARS = 1_900;
export function boundMessage(message: string): string {
  return message.length <= MAX_MESSAGE_CHARS ? message : message.slice(0, MAX_MESSAGE_CHARS - 1) + '…';
}
