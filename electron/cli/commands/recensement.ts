import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../services/errors';
import { importKinds, kindLabels, type ImportKind } from '../../services/recensement/fields';
import { planImport, resultOf } from '../../services/recensement/import-service';
import { call, CliError, optString, printJson, type CliCommand } from '../command';

function readFileArg(file: string | undefined): { fileName: string; bytes: Buffer } {
  if (!file) throw new CliError('Indiquez le fichier à importer : import <fichier>.');
  if (!fs.existsSync(file)) throw new CliError(`Fichier introuvable : ${file}`);
  const bytes = fs.readFileSync(file);
  if (bytes.length > 50 * 1024 * 1024) throw new CliError('Fichier trop volumineux (maximum 50 Mo).');
  return { fileName: path.basename(file), bytes };
}

function kindArg(v: string | undefined): ImportKind | 'auto' {
  if (v === undefined || v === 'auto') return 'auto';
  if ((importKinds as readonly string[]).includes(v)) return v as ImportKind;
  throw new CliError(`--kind attend auto, ${importKinds.join(', ')} (reçu « ${v} »).`);
}

export const recensementCommands: CliCommand[] = [
  {
    words: ['import'],
    usage: 'import <fichier> [--kind auto|anct|grist|formulaire|other] [--dry-run] [--yes] [--json]',
    summary: 'Importe une liste de professionnels (export ANCT, tableau FNE, formulaire, liste à la main).',
    async run(ctx, args, io) {
      const { fileName, bytes } = readFileArg(args.positionals[0]);
      const kind = kindArg(optString(args, 'kind'));
      const output = (r: ReturnType<typeof resultOf>) => {
        if (args.options.json) {
          printJson(io, {
            kind: r.kind,
            sheet: r.sheet,
            headerRow: r.headerRow,
            rows: r.rows,
            people: r.people,
            structures: r.structures,
            rejected: r.rejected.map((x) => ({ row: x.row, reason: x.reason })),
            warnings: r.warnings.map((w) => ({ row: w.row, code: w.code, message: w.message })),
          });
        } else {
          io.out(`${kindLabels[r.kind]} — feuille « ${r.sheet} », en-tête ligne ${r.headerRow}, ${r.rows} lignes.`);
          io.out(`Professionnels : ${r.people.created} nouveaux, ${r.people.updated} modifiés, ${r.people.unchanged} inchangés.`);
          io.out(`Structures : ${r.structures.created} nouvelles, ${r.structures.updated} modifiées, ${r.structures.unchanged} inchangées.`);
          for (const x of r.rejected) io.out(`  rejet  ${x.reason}`);
          for (const w of r.warnings) io.out(`  alerte ligne ${w.row} : ${w.message}`);
        }
      };
      if (args.options['dry-run']) {
        // Same engine as the preview channel (nothing written); the plan gives the full lists.
        let plan;
        try {
          plan = planImport(ctx, { fileName, bytes }, { kind });
        } catch (e) {
          if (e instanceof AppError) throw new CliError(e.message, 2, e.toIpc());
          throw e;
        }
        output(resultOf(plan, 1));
        return;
      }
      const input = { fileName, contentBase64: bytes.toString('base64'), kind, acceptRejected: Boolean(args.options.yes) };
      let res;
      try {
        res = await call(ctx, 'recensement.importCommit', input);
      } catch (e) {
        if (e instanceof CliError && (e.details as { details?: { rejected?: unknown[] } } | undefined)?.details?.rejected) {
          throw new CliError(`${e.message}\nRelancez avec --yes pour importer les autres lignes, ou --dry-run pour voir le détail.`, 2, e.details);
        }
        throw e;
      }
      output(res);
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
