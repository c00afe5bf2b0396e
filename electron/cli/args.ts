// A tiny argv parser: positional words, then --flag value / --flag (boolean) options.
export interface ParsedArgs {
  positionals: string[];
  options: Record<string, string | true>;
}

const BOOLEAN_FLAGS = new Set(['json', 'help', 'dry-run', 'yes', 'force', 'confirmer']);

export function parseArgs(argv: string[]): ParsedArgs {
  const positionals: string[] = [];
  const options: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h') options.help = true;
    else if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) options[a.slice(2, eq)] = a.slice(eq + 1);
      else {
        const name = a.slice(2);
        const next = argv[i + 1];
        if (BOOLEAN_FLAGS.has(name) || next === undefined || next.startsWith('--')) options[name] = true;
        else {
          options[name] = next;
          i++;
        }
      }
    } else positionals.push(a);
  }
  return { positionals, options };
}
