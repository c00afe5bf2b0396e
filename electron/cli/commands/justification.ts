// Step 5 from a script: the readiness checklist and the end-of-convention dossier.
import path from 'node:path';
import { dossierResultSchema } from '../../../shared/ipc/channels/justification';
import { resolveConventionId } from '../../services/convention/service';
import type { ServiceContext } from '../../services/context';
import type { ParsedArgs } from '../args';
import { startDossierJob } from '../../services/justification/handlers';
import { call, CliError, cliErrorOf, optInt, optString, printJson, type CliCommand } from '../command';

async function conventionOf(ctx: ServiceContext, args: ParsedArgs): Promise<number> {
  const id = await resolveConventionId(ctx, optInt(args, 'convention'));
  if (id === null) throw new CliError('Aucune convention enregistrée : créez-la d’abord (convention create).', 2);
  return id;
}

export const justificationCommands: CliCommand[] = [
  {
    words: ['check'],
    usage: 'check [--convention ID] [--json]',
    summary: 'Liste ce qui manque au dossier de fin de convention (par groupe, avec l’écran qui le corrige).',
    async run(ctx, args, io) {
      const cl = await call(ctx, 'justification.checklist', { conventionId: await conventionOf(ctx, args) });
      if (args.options.json) return printJson(io, cl);
      for (const g of cl.groups) io.out(`${g.label} : ${g.missing === 0 ? 'complet' : `${g.missing} manquant(s)`} (${g.checked} contrôle(s))`);
      for (const i of cl.items) io.out(`  - [${i.group}] ${i.label} : ${i.missing} → #/${i.link}`);
      io.out(cl.ready ? 'Dossier prêt : aucun élément manquant.' : `${cl.missingCount} élément(s) manquant(s).`);
      if (cl.attention.length) {
        io.out(`À vérifier (${cl.attention.length}, sans bloquer le dossier) :`);
        for (const i of cl.attention) io.out(`  - [${i.group}] ${i.label} : ${i.missing} → #/${i.link}`);
      }
    },
  },
  {
    words: ['dossier'],
    usage: 'dossier [--convention ID] [--out DOSSIER] [--json]',
    summary: 'Génère le dossier de fin de convention (dossier + ZIP, tableau art. 5.2, état des dépenses, bilan, pièces, manifeste).',
    async run(ctx, args, io) {
      const conventionId = await conventionOf(ctx, args);
      const out = optString(args, 'out');
      // The CLI keeps paths: --out goes to the service directly (no channel takes a path).
      let job = await startDossierJob(ctx, conventionId, out ? path.resolve(out) : undefined).catch(cliErrorOf);
      const onSignal = () => void call(ctx, 'jobs.cancel', { id: job.id });
      process.once('SIGINT', onSignal);
      let last = -1;
      try {
        while (job.state === 'en_cours') {
          await new Promise((r) => setTimeout(r, 100));
          job = await call(ctx, 'jobs.status', { id: job.id });
          if (!args.options.json && job.progress.total > 0 && job.progress.done !== last) {
            last = job.progress.done;
            io.err(`  ${job.progress.done}/${job.progress.total} fichiers`);
          }
        }
      } finally {
        process.removeListener('SIGINT', onSignal);
      }
      if (job.state !== 'termine') throw new CliError(job.error?.message ?? 'La génération a échoué.', 2, job.error);
      const result = dossierResultSchema.parse(job.result);
      if (args.options.json) return printJson(io, result);
      io.out(`Dossier généré : ${result.zipPath}`);
      io.out(`  ${result.files} fichiers, ${result.departures} départs, SHA-256 ${result.zipSha256}`);
      for (const part of result.parts) io.out(`  ${part.label} : ${part.folderPath} (${part.files} fichiers)`);
      if (result.staleTemporaries.length > 0) {
        io.out(`  Laissés dans le dossier de destination par une génération interrompue (non supprimés) : ${result.staleTemporaries.join(', ')}`);
      }
      io.out(result.missingCount === 0 ? 'Dossier complet : aucun élément manquant.' : `Brouillon : ${result.missingCount} élément(s) manquant(s) (voir elements-manquants.txt).`);
    },
  },
];
