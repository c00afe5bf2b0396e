import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../services/errors';
import { importFields, importKinds, kindLabels, type ImportField } from '../../services/recensement/fields';
import { cancelJob, waitForJob } from '../../services/jobs';
import { countPlan } from '../../services/recensement/importer';
import { planFiles, resultOf } from '../../services/recensement/import-service';
import { importBatchResultSchema } from '../../../shared/ipc/channels/recensement';
import type { ParsedArgs } from '../args';
import { call, choice, CliError, optChoice, optInt, optString, printJson, type CliCommand, type CliIo } from '../command';

function readFileArg(file: string | undefined): { fileName: string; bytes: Buffer } {
  if (!file) throw new CliError('Indiquez le fichier à importer : import <fichier>.');
  if (!fs.existsSync(file)) throw new CliError(`Fichier introuvable : ${file}`);
  const bytes = fs.readFileSync(file);
  if (bytes.length > 50 * 1024 * 1024) throw new CliError('Fichier trop volumineux (maximum 50 Mo).');
  return { fileName: path.basename(file), bytes };
}

type Result = ReturnType<typeof resultOf>;

/** The contract of `import --json` for one file (kept exactly: scripts read it). */
function jsonOf(r: Result) {
  return {
    kind: r.kind,
    sheet: r.sheet,
    headerRow: r.headerRow,
    rows: r.rows,
    people: r.people,
    structures: r.structures,
    rejected: r.rejected.map((x) => ({ row: x.row, reason: x.reason })),
    warnings: r.warnings.map((w) => ({ row: w.row, code: w.code, message: w.message })),
  };
}

function printText(io: CliIo, r: Result, name?: string) {
  if (name) io.out(`« ${name} »`);
  io.out(`${kindLabels[r.kind]} — feuille « ${r.sheet} », en-tête ligne ${r.headerRow}, ${r.rows} lignes.`);
  io.out(`Professionnels : ${r.people.created} nouveaux, ${r.people.updated} modifiés, ${r.people.unchanged} inchangés.`);
  io.out(`Structures : ${r.structures.created} nouvelles, ${r.structures.updated} modifiées, ${r.structures.unchanged} inchangées.`);
  for (const x of r.rejected) io.out(`  rejet  ${x.reason}`);
  for (const w of r.warnings) io.out(`  alerte ligne ${w.row} : ${w.message}`);
}

/**
 * What the wizard asks, given on the command line: --map « En-tête=champ » (repeatable; champ
 * « ignorer » leaves the column out), --sheet, --ligne-entete N, --dates jma|mja.
 */
export function readingOptions(args: ParsedArgs): { map?: Record<string, ImportField | null>; sheet?: string; headerRow?: number; dates?: 'jma' | 'mja' } {
  const out: ReturnType<typeof readingOptions> = {};
  const maps = args.repeated?.map ?? [];
  if (maps.length) {
    out.map = {};
    for (const m of maps) {
      const eq = m.lastIndexOf('=');
      const header = eq > 0 ? m.slice(0, eq).trim() : '';
      const field = eq > 0 ? m.slice(eq + 1).trim() : '';
      if (header === '' || field === '') throw new CliError(`--map attend « En-tête=champ » (reçu « ${m} »).`);
      if (field !== 'ignorer' && !(importFields as readonly string[]).includes(field)) {
        throw new CliError(`--map « ${m} » : champ inconnu « ${field} ». Champs possibles : ${importFields.join(', ')}, ou « ignorer ».`);
      }
      out.map[header] = field === 'ignorer' ? null : (field as ImportField);
    }
  }
  const sheet = optString(args, 'sheet');
  if (sheet !== undefined) out.sheet = sheet;
  const headerRow = optInt(args, 'ligne-entete');
  if (headerRow !== undefined) {
    if (headerRow < 1) throw new CliError('--ligne-entete attend le numéro de la ligne des en-têtes (1 pour la première).');
    out.headerRow = headerRow;
  }
  const dates = optChoice(args, 'dates', ['jma', 'mja'] as const);
  if (dates !== undefined) out.dates = dates;
  return out;
}

export const recensementCommands: CliCommand[] = [
  {
    words: ['import'],
    usage:
      'import <fichier> [<fichier>…] [--kind auto|anct|grist|formulaire|other] [--map "En-tête=champ"]… [--sheet FEUILLE] [--ligne-entete N] [--dates jma|mja] [--dry-run] [--yes] [--json]',
    summary: 'Importe une liste de professionnels (export ANCT, tableau FNE, formulaire, liste à la main) ; plusieurs fichiers : un seul import, un seul aperçu.',
    async run(ctx, args, io) {
      if (args.positionals.length === 0) readFileArg(undefined);
      const files = args.positionals.map(readFileArg);
      const kind = choice(args, 'kind', ['auto', ...importKinds] as const, { fallback: 'auto' });
      const options = { kind, ...readingOptions(args) };
      const output = (results: Result[], totals: { rows: number; people: Result['people']; structures: Result['structures'] }) => {
        if (args.options.json) {
          if (results.length === 1) return printJson(io, jsonOf(results[0]));
          // Several files: each file's object (as for one file, with its name), then the totals.
          return printJson(io, {
            files: results.map((r, i) => ({ file: files[i].fileName, ...jsonOf(r) })),
            rows: totals.rows,
            people: totals.people,
            structures: totals.structures,
          });
        }
        results.forEach((r, i) => printText(io, r, results.length > 1 ? files[i].fileName : undefined));
        if (results.length > 1) {
          io.out(`Total : ${totals.rows} lignes ; professionnels ${totals.people.created} nouveaux, ${totals.people.updated} modifiés, ${totals.people.unchanged} inchangés ; structures ${totals.structures.created} nouvelles, ${totals.structures.updated} modifiées.`);
        }
      };
      if (args.options['dry-run']) {
        // Same engine as the preview (nothing written); the plan gives the full lists.
        let plan;
        try {
          plan = await planFiles(ctx, files.map((f) => ({ ...f, options })));
        } catch (e) {
          if (e instanceof AppError) throw new CliError(e.message, 2, e.toIpc());
          throw e;
        }
        const c = countPlan(plan);
        output(plan.files.map((_, i) => resultOf(plan, 1, i)), { rows: plan.rows, people: c.people, structures: c.structures });
        return;
      }
      // The import runs as a job (as in the app): Ctrl-C cancels it and nothing is written.
      const job = await call(ctx, 'recensement.import.start', {
        files: files.map((f) => ({ fileName: f.fileName, contentBase64: f.bytes.toString('base64'), ...options })),
        acceptRejected: Boolean(args.options.yes),
      });
      const onSignal = () => void cancelJob(ctx, job.id);
      process.once('SIGINT', onSignal);
      let end;
      try {
        end = await waitForJob(ctx, job.id);
      } finally {
        process.removeListener('SIGINT', onSignal);
      }
      if (end.state !== 'termine') {
        const err = end.error;
        const message = err?.message ?? 'L’import a échoué.';
        if ((err?.details as { rejected?: unknown[] } | undefined)?.rejected) {
          throw new CliError(`${message}\nRelancez avec --yes pour importer les autres lignes, ou --dry-run pour voir le détail.`, 2, err);
        }
        throw new CliError(message, 2, err);
      }
      const res = importBatchResultSchema.parse(end.result);
      output(res.files, res);
    },
  },
  {
    words: ['recensement', 'siro'],
    usage: 'recensement siro <fichier> [--json]',
    summary: 'Importe la table SIRET → OPCO de France compétences (employeurs Uniformation).',
    async run(ctx, args, io) {
      const { fileName, bytes } = readFileArg(args.positionals[0]);
      const r = await call(ctx, 'recensement.opco.import', { fileName, contentBase64: bytes.toString('base64') });
      if (args.options.json) return printJson(io, r);
      io.out(`${r.rows} établissements lus, dont ${r.uniformation} couverts par Uniformation ; ${r.peopleChanged} décisions d’éligibilité mises à jour.`);
    },
  },
];
