import type { ChannelName, InputOf, OutputOf } from '../../shared/ipc/contract';
import type { ServiceContext } from '../services/context';
import { dispatch } from '../services/handlers';
import type { ParsedArgs } from './args';

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

export interface CliCommand {
  /** Words that select the command: ["convention", "create"]. */
  words: string[];
  usage: string;
  summary: string;
  run(ctx: ServiceContext, args: ParsedArgs, io: CliIo): Promise<void>;
}

/** Calls a channel through the same dispatch as the UI (so the same validation); throws a CliError on refusal. */
export async function call<C extends ChannelName>(ctx: ServiceContext, channel: C, input: InputOf<C>): Promise<OutputOf<C>> {
  const env = await dispatch(ctx, channel, input);
  if (!env.ok) {
    const lines = [env.error.message];
    for (const [k, v] of Object.entries(env.error.fields ?? {})) lines.push(`  - ${k} : ${v}`);
    throw new CliError(lines.join('\n'), 2, env.error);
  }
  return env.value as OutputOf<C>;
}

export function optString(args: ParsedArgs, name: string): string | undefined {
  const v = args.options[name];
  if (v === true) throw new CliError(`L'option --${name} attend une valeur.`);
  return v;
}

export function optInt(args: ParsedArgs, name: string): number | undefined {
  const v = optString(args, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new CliError(`L'option --${name} attend un nombre entier (reçu : « ${v} »).`);
  return n;
}

export function printJson(io: CliIo, value: unknown): void {
  io.out(JSON.stringify(value));
}
