// Bad input on EVERY channel of the contract (iterated, so later channels are covered without
// editing this file): random inputs shaped by the channel's schema, and broken ones. Each call
// gives a clean result or a French error with a stable code — never an unexpected error — and
// after a refused input the database is byte-identical.
import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelNames, contract, type ChannelName } from '../../shared/ipc/contract';
import { dispatch } from '../../electron/services/handlers';
import { creuseConvention, dbSnapshot, fixturesDir, openTestApp, type TestApp } from '../helpers/app';
import { inputFor } from './fiabilite-zod-arbitrary';

const RUNS = Number(process.env.FNE_FUZZ_RUNS ?? 25);
let app: TestApp;
/** Calls that passed the schema and reached a service (the fuzzer must not stop at zod). */
const reached = new Map<string, number>();
let calls = 0;

beforeAll(async () => {
  app = openTestApp({ now: '2025-05-15T10:00:00Z' });
  const seed = async (channel: string, input: unknown) => {
    const env = await dispatch(app.ctx, channel, input);
    if (!env.ok) throw new Error(`${channel}: ${env.error.message}`);
  };
  await seed('convention.create', creuseConvention);
  const csv = fs.readFileSync(path.join(fixturesDir, 'aidants-anct-export.csv'));
  await seed('recensement.importCommit', { fileName: 'aidants.csv', contentBase64: csv.toString('base64'), acceptRejected: true });
});
afterAll(() => app.close());

/** A French sentence, not a raw exception text. */
function looksFrench(message: string): boolean {
  return message.trim().length > 0 && !/^(TypeError|RangeError|SyntaxError|ReferenceError|SqliteError|Error)\b/.test(message) && /[a-zàâçéèêëîïôûù]/i.test(message);
}

describe('every IPC channel under random input', () => {
  it('covers the whole contract', () => {
    expect(channelNames.length).toBeGreaterThan(20);
  });

  it.each(channelNames.map((c) => [c]))('%s: clean result or French error, never a crash; refused = base unchanged', async (channel) => {
    const schema = contract[channel as ChannelName].input;
    await fc.assert(
      fc.asyncProperty(inputFor(schema), async (input) => {
        const before = dbSnapshot(app.ctx);
        const env = await dispatch(app.ctx, channel, input);
        calls++;
        if (env.ok || !['invalid_input', 'input_too_large'].includes(env.error.code)) reached.set(channel, (reached.get(channel) ?? 0) + 1);
        if (env.ok) return;
        expect(env.error.code, `${channel} ← ${JSON.stringify(input)?.slice(0, 300)} : ${env.error.message} ${JSON.stringify(env.error.details ?? '').slice(0, 300)}`).not.toBe('internal');
        expect(looksFrench(env.error.message), env.error.message).toBe(true);
        expect(dbSnapshot(app.ctx).equals(before), `${channel} a modifié la base en refusant ${JSON.stringify(input)?.slice(0, 200)}`).toBe(true);
      }),
      { numRuns: RUNS, seed: process.env.FNE_FUZZ_SEED === 'random' ? Date.now() : Number(process.env.FNE_FUZZ_SEED ?? 20251) },
    );
  });

  it('most random inputs get past the schema and reach the services', () => {
    const total = [...reached.values()].reduce((a, b) => a + b, 0);
    expect(total / calls).toBeGreaterThan(0.3);
    // Nearly every channel was exercised beyond its schema at least once.
    expect(reached.size).toBeGreaterThan(channelNames.length * 0.8);
  });

  it('unknown and prototype channel names are refused', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty')), async (name) => {
        fc.pre(!(channelNames as string[]).includes(name));
        const before = dbSnapshot(app.ctx);
        const env = await dispatch(app.ctx, name, {});
        expect(env).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
        expect(dbSnapshot(app.ctx).equals(before)).toBe(true);
      }),
      { numRuns: 50 },
    );
  });
});
