// The headless CLI over the same handlers: `npm run cli -- <command> [--db FILE] [--json]`.
// Exit codes: 0 done, 1 usage error, 2 refused by a rule (French message on stderr).
import { openApp } from '../services/app';
import type { ServiceContext } from '../services/context';
import { parseArgs } from './args';
import { CliError, type CliIo } from './command';
import { commands } from './registry';

export function helpText(): string {
  const lines = [
    'FNE Formations — ligne de commande',
    '',
    'Usage : npm run cli -- <commande> [options] [--db FICHIER.sqlite] [--json]',
    '',
    'Commandes :',
  ];
  for (const c of commands) lines.push(`  ${c.words.join(' ').padEnd(28)} ${c.summary}`);
  lines.push('', 'Options communes :', '  --db FICHIER   base de données (défaut : dossier de données de l’application)', '  --json         sortie JSON (un objet par commande)', '  --help         aide d’une commande');
  return lines.join('\n');
}

export async function runCli(argv: string[], io: CliIo, open: (dbFile?: string) => ServiceContext = (db) => openApp({ dbFile: db, actor: 'cli' })): Promise<number> {
  const args = parseArgs(argv);
  const match = commands
    .filter((c) => c.words.every((w, i) => args.positionals[i] === w))
    .sort((a, b) => b.words.length - a.words.length)[0];
  if (!match) {
    if (args.positionals.length > 0) io.err(`Commande inconnue : « ${args.positionals.join(' ')} ».`);
    io.out(helpText());
    return args.positionals.length > 0 ? 1 : 0;
  }
  if (args.options.help) {
    io.out(`Usage : npm run cli -- ${match.usage}\n${match.summary}`);
    return 0;
  }
  const rest = { positionals: args.positionals.slice(match.words.length), options: args.options };
  let ctx: ServiceContext | undefined;
  try {
    const db = args.options.db;
    if (db === true) throw new CliError("L'option --db attend un chemin de fichier.");
    ctx = open(db);
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
