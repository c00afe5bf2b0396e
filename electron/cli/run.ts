// The headless CLI over the same handlers: `npm run cli -- <command> [--db FILE] [--json]`.
// Exit codes: 0 done, 1 usage error, 2 refused by a rule (French message on stderr).
import type { ServiceContext } from '../services/context';
import { parseArgs } from './args';
import { CliError, type CliIo } from './command';
import { answerHelp, matchCommand } from './help';
import { commands } from './registry';

/** The app on `dbFile` (loaded on demand, so that the help answers at once). */
async function openDefault(dbFile?: string): Promise<ServiceContext> {
  const { openApp } = await import('../services/app');
  return openApp({ dbFile, actor: 'cli' });
}

export async function runCli(argv: string[], io: CliIo, open: (dbFile?: string) => ServiceContext | Promise<ServiceContext> = openDefault): Promise<number> {
  const answered = answerHelp(argv, commands, io);
  if (answered !== null) return answered;
  const args = parseArgs(argv);
  const match = matchCommand(commands, args.positionals)!;
  const rest = { positionals: args.positionals.slice(match.words.length), options: args.options, repeated: args.repeated };
  let ctx: ServiceContext | undefined;
  try {
    const db = args.options.db;
    if (db === true) throw new CliError("L'option --db attend un chemin de fichier.");
    ctx = await open(db);
    await match.run(ctx, rest, io);
    return 0;
  } catch (e) {
    if (e instanceof CliError) {
      io.err(e.message);
      return e.exitCode;
    }
    io.err(`Erreur : ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  } finally {
    await ctx?.store.close();
  }
}
