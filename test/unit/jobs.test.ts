import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConvention } from '../../electron/services/convention/service';
import { dispatch } from '../../electron/services/handlers';
import { breathe, cancelJob, jobStatus, startJob, waitForJob } from '../../electron/services/jobs';
import { creuseConvention, dbSnapshot, openTestApp, type TestApp } from '../helpers/app';
import { writeJob } from '../../electron/services/context';

let app: TestApp;
beforeEach(() => {
  app = openTestApp();
});
afterEach(() => app.close());

describe('jobs (long work with progress and cancel)', () => {
  it('reports progress while running, then the result', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const job = startJob(app.ctx, 'test', async ({ progress }) => {
      progress({ done: 1, total: 3, label: 'Lecture' });
      await gate;
      return { count: 3 };
    });
    expect(job.state).toBe('en_cours');
    await breathe();
    await breathe();
    expect(jobStatus(app.ctx, job.id).progress).toEqual({ done: 1, total: 3, label: 'Lecture' });
    release();
    const end = await waitForJob(app.ctx, job.id);
    expect(end).toMatchObject({ state: 'termine', result: { count: 3 } });
    // Through the contract, as the screens read it.
    const env = await dispatch(app.ctx, 'jobs.status', { id: job.id });
    expect(env).toMatchObject({ ok: true, value: { state: 'termine' } });
  });

  it('cancelled work rolls back: nothing is written', async () => {
    await createConvention(app.ctx, creuseConvention);
    const before = dbSnapshot(app.ctx);
    const job = startJob(app.ctx, 'bulk', async ({ signal }) => {
      // A job writes through the one write path (its own connection, the write gate held).
      await writeJob(app.ctx, async (trx) => {
        for (let i = 0; i < 1000; i++) {
          await trx.insertInto('app_settings').values({ key: `k${i}`, value_json: '1' }).execute();
          if (i % 10 === 0) await breathe();
          if (signal.aborted) throw new Error('annulé');
        }
      });
    });
    await breathe();
    cancelJob(app.ctx, job.id);
    const end = await waitForJob(app.ctx, job.id);
    expect(end.state).toBe('annule');
    expect(end.error?.message).toMatch(/rien n’a été enregistré/);
    expect(dbSnapshot(app.ctx).equals(before)).toBe(true);
  });

  it('a failing job ends with a French error; one job of a kind at a time', async () => {
    const a = startJob(app.ctx, 'k', async () => {
      await breathe();
      throw new Error('boom');
    });
    expect(() => startJob(app.ctx, 'k', async () => 1)).toThrow(/déjà en cours/);
    const end = await waitForJob(app.ctx, a.id);
    expect(end.state).toBe('echec');
    expect(end.error?.message).toMatch(/Une erreur inattendue/);
    expect(startJob(app.ctx, 'k', async () => 1).state).toBe('en_cours');
  });

  it('an unknown job id is a French not-found', async () => {
    expect(await dispatch(app.ctx, 'jobs.status', { id: '00000000-0000-4000-8000-000000000000' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});
