// A tiny argv parser: positional words, then --flag value / --flag (boolean) options.
export interface ParsedArgs {
  positionals: string[];
  /** Each option's last value. */
  options: Record<string, string | true>;
  /** Every value of an option given several times (--map A=x --map B=y), in order. */
  repeated?: Record<string, string[]>;
}

const BOOLEAN_FLAGS = new Set(['json', 'help', 'dry-run', 'yes', 'force', 'confirmer']);

export function parseArgs(argv: string[]): ParsedArgs {
  const positionals: string[] = [];
  const options: Record<string, string | true> = {};
  const repeated: Record<string, string[]> = {};
  const set = (name: string, v: string | true) => {
    options[name] = v;
    if (v !== true) (repeated[name] ??= []).push(v);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h') options.help = true;
    else if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) set(a.slice(2, eq), a.slice(eq + 1));
      else {
        const name = a.slice(2);
        const next = argv[i + 1];
        if (BOOLEAN_FLAGS.has(name) || next === undefined || next.startsWith('--')) set(name, true);
        else {
          set(name, next);
          i++;
        }
      }
    } else positionals.push(a);
  }
  return { positionals, options, repeated };
}
