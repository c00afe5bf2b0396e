// The scenario of issue 14 (« one write path »), shared by the dispatch and web-host tests: a
// 20 000-row import job is writing (its transaction yields every 1 000 rows); another channel
// writes meanwhile and is answered « done »; the job is then cancelled. The other write must
// still be there, and a read answered during the job must not have waited for it.
import { ANCT_HEADERS, anctRows, toCsv } from '../bench/fixtures';

export type Call = (channel: string, input: unknown) => Promise<{ ok: boolean; value?: unknown; error?: { message: string } }>;

interface JobView {
  id: string;
  state: string;
  progress: { done: number; total: number; label: string };
}

export const bigImport = () => toCsv(ANCT_HEADERS, anctRows(20_000, 23)).toString('base64');

export const publicListCsv =
  'numeroDeclarationActivite;denomination;siren;siretEtablissementDeclarant;certifications.actionsDeFormation\n' +
  '75123456789;Formations Synthétiques;123456782;12345678200017;true\n';

async function value<T>(call: Call, channel: string, input: unknown): Promise<T> {
  const env = await call(channel, input);
  if (!env.ok) throw new Error(`${channel} : ${env.error?.message}`);
  return env.value as T;
}

/** Starts the big import and returns once it is writing rows (its transaction is open). */
export async function startWritingJob(call: Call, contentBase64 = bigImport()): Promise<JobView> {
  const job = await value<JobView>(call, 'recensement.import.start', { files: [{ fileName: 'vingt-mille.csv', contentBase64 }] });
  for (;;) {
    const s = await value<JobView>(call, 'jobs.status', { id: job.id });
    if (s.state !== 'en_cours') throw new Error(`the job ended before writing (${s.state})`);
    if (s.progress.label === 'Enregistrement dans la base' && s.progress.done >= 1000) return s;
    await new Promise((r) => setTimeout(r, 2));
  }
}

export async function waitJobEnd(call: Call, id: string): Promise<JobView> {
  for (;;) {
    const s = await value<JobView>(call, 'jobs.status', { id });
    if (s.state !== 'en_cours') return s;
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * The whole scenario. Returns what the test asserts on: the concurrent writes' answers, the
 * job's end, and the state read back afterwards.
 */
export async function cancelledJobWithConcurrentWrites(call: Call, convention: Record<string, unknown>) {
  const job = await startWritingJob(call);
  // A raw better-sqlite3 write (the public list) and a kysely write (a convention), by other channels.
  const chunk = call('marche.publicList.importChunk', { uploadId: 'concurrent1', fileName: 'liste.csv', text: publicListCsv, last: true });
  const conv = call('convention.create', convention);
  // Either they are answered at once (then the cancel comes after their « done »), or they wait
  // for the job's transaction to end: the cancel is sent anyway.
  await Promise.race([Promise.all([chunk, conv]), new Promise((r) => setTimeout(r, 300))]);
  await value(call, 'jobs.cancel', { id: job.id });
  const [chunkEnv, convEnv] = await Promise.all([chunk, conv]);
  const end = await waitJobEnd(call, job.id);
  const status = await value<{ rows: number }>(call, 'marche.publicList.status', {});
  const conventions = await value<unknown[]>(call, 'convention.list', {});
  const people = await value<{ total: number }>(call, 'recensement.people.list', {});
  return { chunkEnv, convEnv, end, publicListRows: status.rows, conventions: conventions.length, people: people.total };
}

/** A read sent while the job writes: answered while the job is still writing. */
export async function readDuringJob(call: Call) {
  const job = await startWritingJob(call);
  const status = await value<{ rows: number }>(call, 'marche.publicList.status', {});
  const people = await value<{ total: number }>(call, 'recensement.people.list', {});
  const after = await value<JobView>(call, 'jobs.status', { id: job.id });
  const end = await waitJobEnd(call, job.id);
  return { status, people, stateWhenAnswered: after.state, end };
}
