// The public list of training organisations (data.gouv.fr, « liste publique des organismes de
// formation »): a large `;` CSV. It is read as a stream (file on disk, or pieces of text sent
// by the screen), only the few columns we need are kept (staged in a TEMP table as they come),
// and the whole list is replaced in ONE transaction at the end: a failed or abandoned import
// leaves the previous list intact.
import fs from 'node:fs';
import path from 'node:path';
import type { AuditAction, AuditEntity } from '../../../shared/codes';
import type { PublicCheck } from '../../../shared/ipc/channels/marche';
import { compactDigits } from '../common/identifiers';
import { withWriteLock, writeHandle, type ServiceContext } from '../context';
import { CsvReader, StreamTextDecoder } from '../common/tabular/csv';
import { AppError } from '../errors';

export interface PublicOfRow {
  nda: string | null;
  denomination: string;
  siren: string | null;
  siret: string | null;
  postcode: string | null;
  city: string | null;
  qualiopi: boolean;
}

const COLUMNS = {
  nda: ['numerodeclarationactivite'],
  denomination: ['denomination'],
  siren: ['siren'],
  siret: ['siretetablissementdeclarant', 'siret'],
  qualiopi: ['certifications.actionsdeformation', 'certifications_actionsdeformation', 'actionsdeformation'],
  postcode: ['adressephysiqueorganismeformation.codepostal', 'codepostal'],
  city: ['adressephysiqueorganismeformation.ville', 'ville'],
} as const;

function normHeader(h: string): string {
  return h.replace(/^\ufeff/, '').trim().replace(/^"|"$/g, '').toLowerCase();
}

function digitsOrNull(raw: string | undefined, len: number): string | null {
  if (raw === undefined) return null;
  let s = compactDigits(raw.trim()).replace(/\.0$/, '');
  if (s === '' || !/^\d+$/.test(s)) return null;
  if (s.length < len && s.length >= len - 2) s = s.padStart(len, '0'); // leading zeros lost by a spreadsheet
  return s;
}

function truthy(raw: string | undefined): boolean {
  return /^(true|vrai|oui|yes|1|x)$/i.test((raw ?? '').trim());
}

/**
 * Incremental parser: feed bytes (or text) as they arrive, get back the complete rows. Text goes
 * through the app's one CSV reader (streaming, record cap: an unclosed quote is an error, never
 * one giant row), bytes through its decoder (UTF-8, BOM, or real Windows-1252: € ’ œ).
 */
export class PublicListParser {
  private index: Partial<Record<keyof typeof COLUMNS, number>> | null = null;
  private readonly decoder = new StreamTextDecoder();
  private readonly reader: CsvReader;
  private sink: (r: PublicOfRow) => void = () => {};
  rows = 0;
  skipped = 0;

  constructor(fileName = '') {
    this.reader = new CsvReader({ fileName }, (cells) => this.record(cells, this.sink));
  }

  feed(text: string, onRow: (r: PublicOfRow) => void): void {
    this.sink = onRow;
    this.reader.feed(text);
  }

  feedBytes(bytes: Uint8Array, onRow: (r: PublicOfRow) => void): void {
    this.feed(this.decoder.decode(bytes), onRow);
  }

  end(onRow: (r: PublicOfRow) => void): void {
    this.sink = onRow;
    this.reader.feed(this.decoder.decode(new Uint8Array(0), true));
    this.reader.end();
    if (this.index === null) throw new AppError('file_unreadable', 'Le fichier est vide : aucune ligne d’en-tête.');
  }

  private record(cells: string[], onRow: (r: PublicOfRow) => void): void {
    if (cells.length === 1 && cells[0].trim() === '') return;
    if (this.index === null) {
      const headers = cells.map(normHeader);
      const idx: Partial<Record<keyof typeof COLUMNS, number>> = {};
      for (const [key, names] of Object.entries(COLUMNS) as [keyof typeof COLUMNS, readonly string[]][]) {
        const i = headers.findIndex((h) => names.includes(h));
        if (i >= 0) idx[key] = i;
      }
      const missing = (['nda', 'denomination', 'qualiopi'] as const).filter((k) => idx[k] === undefined);
      if (missing.length > 0 || (idx.siren === undefined && idx.siret === undefined)) {
        throw new AppError(
          'file_unreadable',
          'Ce fichier n’a pas les colonnes de la liste publique des organismes de formation (numeroDeclarationActivite, denomination, siren, siretEtablissementDeclarant, certifications.actionsDeFormation ; séparateur « ; »).',
        );
      }
      this.index = idx;
      return;
    }
    const get = (k: keyof typeof COLUMNS) => (this.index![k] === undefined ? undefined : cells[this.index![k]!]);
    const denomination = (get('denomination') ?? '').trim();
    const nda = digitsOrNull(get('nda'), 11);
    let siret = digitsOrNull(get('siret'), 14);
    if (siret && siret.length !== 14) siret = null;
    let siren = digitsOrNull(get('siren'), 9);
    if (siren && siren.length !== 9) siren = null;
    if (!siren && siret) siren = siret.slice(0, 9);
    if (denomination === '' || (!nda && !siret && !siren)) {
      this.skipped++;
      return;
    }
    this.rows++;
    onRow({
      nda,
      denomination,
      siren,
      siret,
      postcode: (get('postcode') ?? '').trim() || null,
      city: (get('city') ?? '').trim() || null,
      qualiopi: truthy(get('qualiopi')),
    });
  }
}

let stagingSeq = 0;

/** The import would replace the stored list by far fewer rows: asks the officer to confirm. */
function shrinkRefusal(fileName: string, previous: number, next: number): AppError {
  const nf = (x: number) => x.toLocaleString('fr-FR');
  return new AppError(
    'conflict',
    `Le fichier « ${fileName} » ne contient que ${nf(next)} organisme${next > 1 ? 's' : ''}, contre ${nf(previous)} dans la liste actuelle : il est peut-être tronqué ou n’est pas la liste complète. La liste actuelle est conservée. Confirmez le remplacement si ce fichier est bien la nouvelle liste.`,
    { details: { confirm: 'confirmShrink', previousRows: previous, newRows: next }, fields: { confirmShrink: 'Confirmation nécessaire pour remplacer la liste par une liste bien plus courte.' } },
  );
}

/**
 * Rows are written as they are parsed, in batches, into a TEMP table of this connection (not
 * in the database file); the real list is replaced from it in ONE transaction at the end. Memory
 * stays flat whatever the size of the file, and a failed import leaves the stored list intact.
 * Every method runs inside the caller's hold of the write gate (importPublicListFile / Chunk).
 */
class Staging {
  readonly table = `public_of_staging_${++stagingSeq}`;
  private buffer: PublicOfRow[] = [];
  count = 0;
  constructor(private readonly ctx: ServiceContext) {
    writeHandle(ctx).exec(
      `CREATE TEMP TABLE ${this.table} (nda TEXT, denomination TEXT NOT NULL, siren TEXT, siret TEXT, postcode TEXT, city TEXT, qualiopi INTEGER NOT NULL)`,
    );
  }
  push = (r: PublicOfRow): void => {
    this.buffer.push(r);
    this.count++;
    if (this.buffer.length >= 5000) this.flush();
  };
  private flush(): void {
    if (this.buffer.length === 0) return;
    const db = writeHandle(this.ctx);
    const ins = db.prepare(`INSERT INTO temp.${this.table} VALUES (?, ?, ?, ?, ?, ?, ?)`);
    const rows = this.buffer;
    this.buffer = [];
    db.transaction(() => {
      for (const r of rows) ins.run(r.nda, r.denomination, r.siren, r.siret, r.postcode, r.city, r.qualiopi ? 1 : 0);
    })();
  }
  /**
   * Replaces the stored list in one transaction, with its audit row. A list far shorter than the
   * stored one (less than half) is not written unless confirmed: a damaged or truncated file
   * must not silently replace the national list.
   */
  commit(fileName: string, skipped: number, confirmShrink = false) {
    this.flush();
    if (!confirmShrink) {
      const { n } = this.ctx.store.sqlite.prepare('SELECT COUNT(*) AS n FROM public_of_list').get() as { n: number };
      if (this.count < n / 2) throw shrinkRefusal(fileName, n, this.count);
    }
    const ctx = this.ctx;
    const importedAt = ctx.now().toISOString();
    const db = writeHandle(ctx);
    db.transaction(() => {
      db.prepare('DELETE FROM public_of_list').run();
      db.prepare(
        `INSERT INTO public_of_list (nda, denomination, siren, siret, postcode, city, qualiopi_actions_formation) SELECT nda, denomination, siren, siret, postcode, city, qualiopi FROM temp.${this.table}`,
      ).run();
      db.prepare('INSERT INTO public_of_imports (file_name, imported_at, rows, skipped) VALUES (?, ?, ?, ?)').run(fileName, importedAt, this.count, skipped);
      db.prepare(
        'INSERT INTO audit_log (at, actor, action, entity, entity_id, before_json, after_json, batch_id) VALUES (?, ?, ?, ?, NULL, NULL, ?, NULL)',
      ).run(importedAt, ctx.actor, 'import' satisfies AuditAction, 'public_of_list' satisfies AuditEntity, JSON.stringify({ fileName, rows: this.count, skipped }));
    })();
    this.drop();
    return { fileName, rows: this.count, skipped, importedAt };
  }
  drop(): void {
    this.buffer = [];
    writeHandle(this.ctx).exec(`DROP TABLE IF EXISTS temp.${this.table}`);
  }
}

/** Streams a CSV file from disk (UTF-8 with or without BOM; Windows-1252 when not UTF-8). */
export function importPublicListFile(ctx: ServiceContext, filePath: string, opts: { confirmShrink?: boolean } = {}) {
  // The staging table and the final replacement are writes of this connection: the whole import
  // holds the write gate (another writer waits; readers keep reading the stored list).
  return withWriteLock(ctx, () => importPublicListFileLocked(ctx, filePath, opts));
}

async function importPublicListFileLocked(ctx: ServiceContext, filePath: string, opts: { confirmShrink?: boolean }) {
  if (!fs.existsSync(filePath) || !fs.statSync(filePath).isFile()) {
    throw new AppError('not_found', `Fichier introuvable : ${filePath}`);
  }
  const parser = new PublicListParser(path.basename(filePath));
  const staging = new Staging(ctx);
  try {
    for await (const chunk of fs.createReadStream(filePath, { highWaterMark: 1 << 20 })) parser.feedBytes(chunk as Buffer, staging.push);
    parser.end(staging.push);
    return staging.commit(path.basename(filePath), parser.skipped, opts.confirmShrink === true);
  } catch (e) {
    staging.drop();
    throw e;
  }
}

interface Upload {
  parser: PublicListParser;
  staging: Staging;
  fileName: string;
  touched: number;
  /** Read to the end, kept staged while the officer is asked to confirm a much shorter list. */
  ended: boolean;
}
const uploads = new WeakMap<ServiceContext, Map<string, Upload>>();

/**
 * The screen sends the picked file as successive pieces (bytes in base64, decoded here; or text);
 * the last one writes the list. When the list would shrink to less than half, the staged upload
 * is kept and the same uploadId called again with `confirmShrink` writes it.
 */
type ChunkInput = { uploadId: string; fileName: string; text?: string; bytesBase64?: string; last: boolean; confirmShrink?: boolean };
export function importPublicListChunk(ctx: ServiceContext, input: ChunkInput) {
  return withWriteLock(ctx, () => importPublicListChunkLocked(ctx, input));
}

async function importPublicListChunkLocked(ctx: ServiceContext, input: ChunkInput) {
  let map = uploads.get(ctx);
  if (!map) uploads.set(ctx, (map = new Map()));
  const now = Date.now();
  for (const [k, u] of map) {
    if (now - u.touched > 30 * 60_000) {
      u.staging.drop(); // abandoned upload
      map.delete(k);
    }
  }
  let up = map.get(input.uploadId);
  if (!up) {
    up = { parser: new PublicListParser(input.fileName), staging: new Staging(ctx), fileName: input.fileName, touched: now, ended: false };
    map.set(input.uploadId, up);
  }
  up.touched = now;
  try {
    if (up.ended) {
      if (!input.last || (input.text ?? '') !== '' || (input.bytesBase64 ?? '') !== '') {
        throw new AppError('validation', 'Cet envoi est déjà terminé : confirmez le remplacement ou recommencez l’import.');
      }
    } else {
      if (input.bytesBase64) up.parser.feedBytes(Buffer.from(input.bytesBase64, 'base64'), up.staging.push);
      if (input.text) up.parser.feed(input.text, up.staging.push);
      if (!input.last) return { done: false, rowsSoFar: up.staging.count, result: null };
      up.parser.end(up.staging.push);
      up.ended = true;
    }
    const result = up.staging.commit(up.fileName, up.parser.skipped, input.confirmShrink === true);
    map.delete(input.uploadId);
    return { done: true, rowsSoFar: up.staging.count, result };
  } catch (e) {
    // Kept for a confirmation; anything else ends the upload (the stored list is untouched).
    if (!(e instanceof AppError && e.code === 'conflict' && up.ended)) {
      map.delete(input.uploadId);
      up.staging.drop();
    }
    throw e;
  }
}

export async function publicListStatus(ctx: ServiceContext) {
  const last = await ctx.store.db.selectFrom('public_of_imports').selectAll().orderBy('id', 'desc').executeTakeFirst();
  const { n } = await ctx.store.db.selectFrom('public_of_list').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { rows: Number(n), fileName: last?.file_name ?? null, importedAt: last?.imported_at ?? null };
}

/** Looks an OF up by SIRET (14 digits), SIREN (9) or NDA (11). */
export async function checkPublicList(ctx: ServiceContext, query: string): Promise<PublicCheck> {
  const q = compactDigits(query.trim());
  const status = await publicListStatus(ctx);
  const column = /^\d{14}$/.test(q) ? 'siret' : /^\d{9}$/.test(q) ? 'siren' : /^\d{11}$/.test(q) ? 'nda' : null;
  if (column === null) {
    throw new AppError('validation', `« ${query} » n’est ni un SIRET (14 chiffres), ni un SIREN (9 chiffres), ni un NDA (11 chiffres).`, {
      fields: { query: 'SIRET, SIREN ou NDA attendu.' },
    });
  }
  const empty = { found: false, denomination: null, nda: null, siret: null, siren: null, qualiopi_actions_formation: false, matches: 0, listImportedAt: status.importedAt };
  if (status.importedAt === null) {
    return { ...empty, message: 'La liste publique des organismes de formation n’a pas encore été importée.' };
  }
  const rows = await ctx.store.db
    .selectFrom('public_of_list')
    .selectAll()
    .where(column, '=', q)
    .orderBy('qualiopi_actions_formation', 'desc')
    .orderBy('id')
    .limit(50)
    .execute();
  if (rows.length === 0) return { ...empty, message: `Aucun organisme de formation avec ce ${column === 'nda' ? 'NDA' : column.toUpperCase()} dans la liste publique.` };
  const r = rows[0];
  const qualiopi = r.qualiopi_actions_formation === 1;
  return {
    found: true,
    denomination: r.denomination,
    nda: r.nda,
    siret: r.siret,
    siren: r.siren,
    qualiopi_actions_formation: qualiopi,
    matches: rows.length,
    listImportedAt: status.importedAt,
    message: qualiopi
      ? `${r.denomination} est certifié Qualiopi pour les actions de formation (liste publique).`
      : `${r.denomination} figure dans la liste publique SANS certification Qualiopi pour les actions de formation.`,
  };
}
