import fs from 'node:fs';
import path from 'node:path';
import type { ChannelName, InputOf, OutputOf } from '../../shared/ipc/contract';
import { parseEurosToCents } from '../services/common/money';
import type { ServiceContext } from '../services/context';
import { toIpcError } from '../services/ipc-errors';
import type { ParsedArgs } from './args';
import { PRIVATE_FILE_MODE } from '../services/common/private-fs';

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
  // Loaded on first call: `--help` and usage errors answer without loading every service.
  const { dispatch } = await import('../services/handlers');
  const env = await dispatch(ctx, channel, input);
  if (!env.ok) {
    const lines = [env.error.message];
    for (const [k, v] of Object.entries(env.error.fields ?? {})) lines.push(`  - ${k} : ${v}`);
    throw new CliError(lines.join('\n'), 2, env.error);
  }
  return env.value as OutputOf<C>;
}

/** For a service called directly (a path the CLI keeps): its refusal as the same CliError as call(). */
export function cliErrorOf(err: unknown): never {
  const e = toIpcError(err);
  throw new CliError(e.message, 2, e);
}

// ---------------------------------------------------------------------------------------------
// Options: one reader per shape, the same French message in every command.

export function optString(args: ParsedArgs, name: string): string | undefined {
  const v = args.options[name];
  if (v === true) throw new CliError(`L'option --${name} attend une valeur.`);
  return v;
}

/** A required option: refused when absent or blank (`hint` says what is expected). */
export function reqString(args: ParsedArgs, name: string, hint = ''): string {
  const v = optString(args, name);
  if (v === undefined || v.trim() === '') throw new CliError(`L'option --${name} est obligatoire${hint ? ` (${hint})` : ''}.`);
  return v;
}

export function optInt(args: ParsedArgs, name: string): number | undefined {
  const v = optString(args, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new CliError(`L'option --${name} attend un nombre entier (reçu : « ${v} »).`);
  return n;
}

export function reqInt(args: ParsedArgs, name: string): number {
  const v = optInt(args, name);
  if (v === undefined) throw new CliError(`L'option --${name} est obligatoire (nombre entier).`);
  return v;
}

/** An amount in euros (« 20000 », « 1 234,56 ») as integer cents. */
export function optEuros(args: ParsedArgs, name: string): number | undefined {
  const v = optString(args, name);
  if (v === undefined) return undefined;
  const cents = parseEurosToCents(v);
  if (cents === null || cents < 0) throw new CliError(`L'option --${name} attend un montant en euros (ex. 20000 ou 1 234,56) ; reçu « ${v} ».`);
  return cents;
}

export function reqEuros(args: ParsedArgs, name: string): number {
  const v = optEuros(args, name);
  if (v === undefined) throw new CliError(`L'option --${name} est obligatoire (montant en euros).`);
  return v;
}

/** A yes/no option: given alone, or « oui », « true », « 1 ». */
export function flag(args: ParsedArgs, name: string): boolean {
  const v = args.options[name];
  return v === true || (typeof v === 'string' && /^(oui|true|1)$/i.test(v));
}

/** « a, b ou c » */
function orList(choices: readonly string[]): string {
  return choices.length < 2 ? choices.join('') : `${choices.slice(0, -1).join(', ')} ou ${choices[choices.length - 1]}`;
}

export interface ChoiceOptions<T extends string> {
  /** Used when the option is absent or blank; without it the option is required. */
  fallback?: T;
  /** Applied to the value before it is checked (e.g. upper-case for AN|AN_AC|AC). */
  normalise?: (v: string) => string;
}

/** One of `choices` (the option is required unless a fallback is given). */
export function choice<T extends string>(args: ParsedArgs, name: string, choices: readonly T[], opts: ChoiceOptions<T> = {}): T {
  const v = optChoice(args, name, choices, opts.normalise);
  if (v !== undefined) return v;
  if (opts.fallback !== undefined) return opts.fallback;
  throw new CliError(`L'option --${name} est obligatoire (${orList(choices)}).`);
}

/** One of `choices`, or undefined when the option is absent or blank. */
export function optChoice<T extends string>(args: ParsedArgs, name: string, choices: readonly T[], normalise: (v: string) => string = (v) => v): T | undefined {
  const raw = optString(args, name);
  if (raw === undefined || raw.trim() === '') return undefined;
  const v = normalise(raw.trim());
  if (!(choices as readonly string[]).includes(v)) throw new CliError(`--${name} attend ${orList(choices)} (reçu « ${raw} »).`);
  return v as T;
}

/** « 1,2, 3 » → [1, 2, 3]: positive integers separated by commas or spaces (at least one unless `allowEmpty`). */
export function parseIds(raw: string, name: string, opts: { allowEmpty?: boolean } = {}): number[] {
  const ids = raw.split(/[,\s]+/).filter(Boolean).map(Number);
  if ((ids.length === 0 && !opts.allowEmpty) || ids.some((n) => !Number.isInteger(n) || n <= 0)) throw new CliError(`--${name} attend des numéros séparés par des virgules (reçu « ${raw} »).`);
  return ids;
}

/**
 * Copies the values that are defined into `target`: an option not given stays absent from the
 * channel's input (so the channel's own default applies).
 */
export function assignDefined<T extends object>(target: T, values: { [K in keyof T]?: T[K] | undefined }): T {
  for (const [k, v] of Object.entries(values)) if (v !== undefined) (target as Record<string, unknown>)[k] = v;
  return target;
}

// ---------------------------------------------------------------------------------------------
// Output

export function printJson(io: CliIo, value: unknown): void {
  io.out(JSON.stringify(value));
}

/** With --json, `json` on one line (the contract scripts read); otherwise the French `text`. */
export function output(io: CliIo, args: ParsedArgs, json: unknown, text: string): void {
  if (args.options.json) printJson(io, json);
  else io.out(text);
}

/**
 * Writes a generated document to --out, else into the current folder under the document's own
 * name reduced to a plain file name (never a path: a name from the data cannot climb out).
 * Returns the full path.
 */
export function writeOutFile(args: ParsedArgs, f: { fileName: string; contentBase64: string }, cwd = process.cwd()): string {
  const own = path.basename(f.fileName.replace(/\\/g, '/').replace(/\u0000/g, ''));
  const file = path.resolve(cwd, optString(args, 'out') ?? (own === '' || own === '.' || own === '..' ? 'document' : own));
  fs.writeFileSync(file, Buffer.from(f.contentBase64, 'base64'), { mode: PRIVATE_FILE_MODE });
  return file;
}
