// France compétences' SIRET → OPCO table (SIRO): imported to know which employers are covered
// by the OPCO Uniformation (their employees are not eligible, see eligibility.ts).
import { dictionary, detectHeaderRow, headersOf, normaliseHeader, pickSheet } from '../common/tabular/header';
import { readUntrusted } from '../common/untrusted/run';
import { cellText, fold } from '../common/tabular/values';
import { recordAudit } from '../audit';
import { type ServiceContext, writeTransaction } from '../context';
import { AppError } from '../errors';
import { backupBefore } from '../sauvegarde/backup';
import { refreshEligibility } from './refresh';
import { parseSiretCell } from './siret';

const siroDictionary = dictionary({ siret: ['siret', 'numéro siret', 'n° siret', 'siret établissement'], opco: ['opco', 'opco de rattachement', 'nom opco', 'opérateur de compétences', 'libellé opco'] });

export async function importOpcoTable(ctx: ServiceContext, fileName: string, bytes: Uint8Array): Promise<{ rows: number; uniformation: number; peopleChanged: number }> {
  const file = await readUntrusted(bytes, fileName);
  const sheet = pickSheet(file, siroDictionary);
  const h = detectHeaderRow(sheet, siroDictionary);
  const headers = headersOf(sheet.rows[h.index], sheet.rows[h.index]?.length ?? 0).map(normaliseHeader);
  const siretCol = headers.findIndex((x) => siroDictionary.lookup(x) === 'siret');
  const opcoCol = headers.findIndex((x) => siroDictionary.lookup(x) === 'opco');
  if (siretCol < 0 || opcoCol < 0) throw new AppError('validation', 'Colonnes « SIRET » et « OPCO » introuvables dans ce fichier : ce n’est pas la table SIRO de France compétences.');
  const pairs: [string, string][] = [];
  for (let r = h.index + 1; r < sheet.rows.length; r++) {
    const s = parseSiretCell(sheet.rows[r]?.[siretCol] ?? null);
    const opco = cellText(sheet.rows[r]?.[opcoCol]);
    if (s.kind === 'siret' && opco) pairs.push([s.siret, opco]);
    else if (s.kind === 'empty' && !opco) continue;
  }
  if (pairs.length === 0) throw new AppError('validation', 'Aucune ligne SIRET → OPCO exploitable dans ce fichier.');
  // Every person's eligibility may change: backup first, so that the history can undo it.
  await backupBefore(ctx, 'modification-groupee');
  const now = ctx.now().toISOString();
  let peopleChanged = 0;
  await writeTransaction(ctx, async (trx) => {
    const up = ctx.store.sqlite.prepare('INSERT INTO opco_sirets (siret, opco, imported_at) VALUES (?, ?, ?) ON CONFLICT(siret) DO UPDATE SET opco = excluded.opco, imported_at = excluded.imported_at');
    for (const [s, o] of pairs) up.run(s, o, now);
    peopleChanged = refreshEligibility(ctx.store.sqlite, { all: true }, now);
    await recordAudit(trx, ctx, { action: 'import', entity: 'opco_table', after: { fileName, rows: pairs.length } });
  });
  return { rows: pairs.length, uniformation: pairs.filter(([, o]) => fold(o).includes('uniformation')).length, peopleChanged };
}
