// The registry: channel name → service call. Shared by the three hosts (Electron ipcMain, the
// web host and the CLI), which all go through dispatch(): unknown channel, oversized input and
// schema violations are refused with a French message before any service runs.
import { z } from 'zod';
import { contract, isChannelName, maxInputChars, type ChannelName } from '../../shared/ipc/contract';
import type { Envelope } from '../../shared/ipc/envelope';
import '../../shared/ipc/zod-fr';
import { readGate, withWriteLock, type ServiceContext } from './context';
import { conventionHandlers } from './convention/handlers';
import { documentsHandlers } from './documents/handlers';
import { guideHandlers } from './guide/handlers';
import { justificationHandlers } from './justification/handlers';
import { marcheHandlers } from './marche/handlers';
import type { Handler } from './handler-types';
import { jobsHandlers } from './job-handlers';
import { toIpcError } from './ipc-errors';
import { piecesHandlers } from './pieces/handlers';
import { presenceHandlers } from './presence/handlers';
import { recensementHandlers } from './recensement/handlers';
import { retentionHandlers } from './retention/handlers';
import { sauvegardeHandlers } from './sauvegarde/handlers';
import { sessionsHandlers } from './sessions/handlers';

export const handlers: { [C in ChannelName]: Handler<C> } = {
  ...conventionHandlers,
  ...piecesHandlers,
  ...guideHandlers,
  ...jobsHandlers,
  ...recensementHandlers,
  ...marcheHandlers,
  ...sessionsHandlers,
  ...justificationHandlers,
  ...sauvegardeHandlers,
  ...documentsHandlers,
  ...presenceHandlers,
  ...retentionHandlers,
};

/**
 * Channels that only read. Every other channel runs whole inside the write gate (context.ts):
 * its checks and its writes see no other writer in between, whichever host sent it, and it waits
 * for a job's transaction to end. A read never waits for a writer (WAL), only for a restore.
 * A channel listed here by mistake still cannot write outside the gate (the connection refuses).
 */
export const READ_CHANNELS: ReadonlySet<ChannelName> = new Set<ChannelName>([
  'convention.list',
  'convention.get',
  'convention.defaults',
  'pieces.list',
  'pieces.roles',
  'guide.get',
  'stats.get',
  'jobs.status',
  'jobs.cancel',
  'recensement.importPreview',
  'recensement.import.previewStart',
  'recensement.imports.list',
  'recensement.rules',
  'recensement.people.list',
  'recensement.people.get',
  'recensement.structures.list',
  'recensement.structures.get',
  'marche.of.list',
  'marche.of.get',
  'marche.of.check',
  'marche.publicList.status',
  'marche.list',
  'marche.get',
  'marche.checkOrder',
  'marche.pdf',
  'marche.expenses.list',
  'marche.expenses.check',
  'marche.budget',
  'marche.thresholds',
  'sessions.list',
  'sessions.get',
  'sessions.options',
  'sessions.candidates',
  'sessions.export',
  'sessions.pdf',
  'sessions.ac.list',
  'sessions.ac.steps',
  'marche.otherPurchases.list',
  'retention.get',
  'retention.person.export',
  'justification.checklist',
  'justification.dossier.defaults',
  'sauvegarde.etat',
  'historique.liste',
  'documents.formulaire.xlsx',
  'documents.consultation.get',
  'documents.consultation.document',
  'documents.consultation.comparison',
  'presence.get',
  'presence.import.preview',
  'presence.certificates.inspect',
]);

/** Field path → French message, from zod's issues. */
export function zodFields(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.join('.') : '(entrée)';
    if (!(key in fields)) fields[key] = issue.message;
  }
  return fields;
}

function measure(input: unknown): number {
  try {
    return JSON.stringify(input ?? null)?.length ?? 0;
  } catch {
    return Number.POSITIVE_INFINITY; // cyclic or unserialisable: refuse
  }
}


export async function dispatch(
  ctx: ServiceContext,
  channel: string,
  rawInput: unknown,
  options: { log?: (e: unknown) => void } = {},
): Promise<Envelope<unknown>> {
  if (typeof channel !== 'string' || !isChannelName(channel)) {
    return { ok: false, error: { code: 'unknown_channel', message: `Opération inconnue : « ${String(channel).slice(0, 80)} ».` } };
  }
  const size = measure(rawInput);
  const max = maxInputChars(channel);
  if (size > max) {
    return {
      ok: false,
      error: {
        code: 'input_too_large',
        message: `Données trop volumineuses (${Math.ceil(size / 1024 / 1024)} Mo ; maximum ${Math.floor(max / 1024 / 1024)} Mo) : rien n'a été modifié.`,
      },
    };
  }
  const spec = contract[channel];
  const parsed = spec.input.safeParse(rawInput ?? {});
  if (!parsed.success) {
    return {
      ok: false,
      error: { code: 'invalid_input', message: "Les données envoyées sont invalides : rien n'a été modifié.", fields: zodFields(parsed.error) },
    };
  }
  try {
    const handler = handlers[channel] as Handler<ChannelName>;
    const run = () => handler(ctx, parsed.data as never);
    const value = await (READ_CHANNELS.has(channel) ? readGate(ctx, run) : withWriteLock(ctx, run));
    const out = spec.output.safeParse(value);
    if (!out.success) {
      options.log?.(out.error);
      return { ok: false, error: { code: 'internal', message: 'Réponse du service non conforme au contrat.', details: zodFields(out.error) } };
    }
    return { ok: true, value: out.data };
  } catch (err) {
    return { ok: false, error: toIpcError(err, options.log) };
  }
}
