import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { channelNames } from '../../shared/ipc/contract';
import { createConvention } from '../../electron/services/convention/service';
import { dispatch, handlers } from '../../electron/services/handlers';
import { creuseConvention, dbSnapshot, openTestApp, type TestApp } from '../helpers/app';

let app: TestApp;
beforeEach(async () => {
  app = openTestApp();
  await createConvention(app.ctx, creuseConvention);
});
afterEach(() => app.close());

describe('IPC dispatch: every input validated, bad input changes nothing', () => {
  it('has one handler per channel of the contract', () => {
    expect(Object.keys(handlers).sort()).toEqual([...channelNames].sort());
  });

  it.each([
    ['wrong types', 'convention.create', { departement: 23, beneficiaireNom: ['x'], amountCents: 'beaucoup' }, 'invalid_input'],
    ['unknown field', 'convention.create', { ...creuseConvention, admin: true }, 'invalid_input'],
    ['non-integer cents', 'convention.update', { id: 1, patch: { amountCents: 10.5 } }, 'invalid_input'],
    ['unknown channel', 'convention.drop', {}, 'unknown_channel'],
    ['prototype channel', '__proto__', {}, 'unknown_channel'],
    ['10 MB string', 'convention.create', { ...creuseConvention, beneficiaireNom: 'x'.repeat(10 * 1024 * 1024) }, 'input_too_large'],
    ['null input', 'convention.update', null, 'invalid_input'],
    ['not found', 'convention.update', { id: 42, patch: { departureTarget: 70 } }, 'not_found'],
  ])('%s → French error, database byte-identical', async (_name, channel, input, code) => {
    const before = dbSnapshot(app.ctx);
    const env = await dispatch(app.ctx, channel, input);
    expect(env.ok).toBe(false);
    if (env.ok) return;
    expect(env.error.code).toBe(code);
    expect(env.error.message).toMatch(/rien n'a été modifié|inconnue|introuvable/);
    expect(dbSnapshot(app.ctx).equals(before)).toBe(true);
  });

  it('gives zod messages in French per field', async () => {
    const env = await dispatch(app.ctx, 'convention.create', { departement: 23, beneficiaireNom: 'x' });
    expect(env.ok).toBe(false);
    if (!env.ok) expect(env.error.fields?.departement).toMatch(/attendu/);
  });

  it('answers a valid call with the parsed value', async () => {
    const env = await dispatch(app.ctx, 'convention.list', {});
    expect(env).toMatchObject({ ok: true, value: [{ departement: '23' }] });
  });
});
