// CI's share of the crash trials (npm run test:crash runs 100): SIGKILL at random moments
// during an import and during attachments; every trial must leave the data intact.
import { describe, expect, it } from 'vitest';
import { runCrashTrials, summarise } from '../crash/run';

describe('crash trials (SIGKILL)', () => {
  it('10 random kills during imports and attachments leave the base and the pièces store intact', async () => {
    const { results } = await runCrashTrials({ trials: 10, rows: 1000, files: 8, concurrency: 2 });
    const failed = results.filter((r) => !r.intact).map((r) => `${r.mode} tué à ${r.killAfterMs} ms : ${r.problems.join(' ; ')}`);
    expect(failed, summarise(results)).toEqual([]);
    expect(results).toHaveLength(10);
  }, 120_000);
});
