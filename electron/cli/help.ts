// The CLI's help, from the commands' descriptions alone (words, usage, summary): no service is
// loaded to answer it. runCli uses it; the launcher (scripts/cli.mjs) answers `--help` from the
// descriptions written at build time (out/cli/commands.json) before loading the bundle.
import { parseArgs } from './args';

export interface CommandInfo {
  words: string[];
  usage: string;
  summary: string;
}

export function helpText(commands: CommandInfo[]): string {
  const lines = ['FNE Formations — ligne de commande', '', 'Usage : npm run cli -- <commande> [options] [--db FICHIER.sqlite] [--json]', '', 'Commandes :'];
  for (const c of commands) lines.push(`  ${c.words.join(' ').padEnd(28)} ${c.summary}`);
  lines.push('', 'Options communes :', '  --db FICHIER   base de données (défaut : dossier de données de l’application)', '  --json         sortie JSON (un objet par commande)', '  --help         aide d’une commande');
  return lines.join('\n');
}

/** The command `argv` names (the longest match of its first words), or undefined. */
export function matchCommand<C extends CommandInfo>(commands: C[], positionals: string[]): C | undefined {
  return commands.filter((c) => c.words.every((w, i) => positionals[i] === w)).sort((a, b) => b.words.length - a.words.length)[0];
}

/**
 * Answers what needs no service: no command or an unknown one (the list of commands), or
 * `<command> --help` (its usage). Returns the exit code, or null when a command is to run.
 */
export function answerHelp(argv: string[], commands: CommandInfo[], io: { out: (l: string) => void; err: (l: string) => void }): number | null {
  const args = parseArgs(argv);
  const match = matchCommand(commands, args.positionals);
  if (!match) {
    if (args.positionals.length > 0) io.err(`Commande inconnue : « ${args.positionals.join(' ')} ».`);
    io.out(helpText(commands));
    return args.positionals.length > 0 ? 1 : 0;
  }
  if (args.options.help) {
    io.out(`Usage : npm run cli -- ${match.usage}\n${match.summary}`);
    return 0;
  }
  return null;
}
