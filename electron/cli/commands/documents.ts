// Documents the officer sends out: the application-form workbook (step 2) and the consultation of
// training organisations for a need of the Marché (step 3).
import fs from 'node:fs';
import path from 'node:path';
import { call, CliError, optInt, optString, printJson, type CliCommand } from '../command';
import type { ParsedArgs } from '../args';

function reqInt(args: ParsedArgs, name: string): number {
  const v = optInt(args, name);
  if (v === undefined) throw new CliError(`Indiquez --${name} (numéro).`);
  return v;
}

function write(io: Parameters<CliCommand['run']>[2], args: ParsedArgs, f: { fileName: string; contentBase64: string }): void {
  const file = path.resolve(optString(args, 'out') ?? f.fileName);
  fs.writeFileSync(file, Buffer.from(f.contentBase64, 'base64'));
  if (args.options.json) printJson(io, { file });
  else io.out(`Écrit : ${file}`);
}

export const documentsCommands: CliCommand[] = [
  {
    words: ['documents', 'formulaire'],
    usage: 'documents formulaire --convention ID [--lignes 100] [--date-limite AAAA-MM-JJ] [--retour "fne@cd.fr"] [--structure ID] [--out FICHIER.xlsx] [--json]',
    summary: 'Produit le formulaire de candidature à envoyer aux structures (classeur Excel à listes déroulantes).',
    async run(ctx, args, io) {
      const f = await call(ctx, 'documents.formulaire.xlsx', {
        conventionId: reqInt(args, 'convention'),
        rows: optInt(args, 'lignes'),
        deadline: optString(args, 'date-limite') ?? null,
        returnTo: optString(args, 'retour') ?? null,
        structureId: optInt(args, 'structure') ?? null,
      });
      write(io, args, f);
    },
  },
];
