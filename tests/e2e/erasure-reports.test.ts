// CON-6/CON-7: a service's erasure report is the total over every attempt of
// its activity (packages/shared/src/erasure-reports.ts), on the real database.
// An attempt that erased and then lost its completion is retried; the retry
// finds nothing left, yet the destruction record must still say what went.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { rememberingReports, type ServiceReport } from '@omurga/shared';
import { useScratchDatabase } from '../support/scratch-database.ts';

const database = useScratchDatabase('erasure-reports-check');

const KEPT = { collection: 'invoices', description: 'invoices', count: 1, legalBasis: 'VUK 253', keptUntil: '2036-12-31', restricted: true };

/** A service whose erasure changes what `outcomes` says, one attempt after another (the data is gone after the first). */
function service(outcomes: number[][]) {
  let attempt = 0;
  const report = (counts: number[]): ServiceReport<typeof KEPT> => ({
    service: 'test',
    erased: [
      { collection: 'users', description: 'name and e-mail', count: counts[0] ?? 0 },
      { collection: 'sessions', description: 'sessions', count: counts[1] ?? 0 },
    ].filter((l) => l.count > 0),
    kept: [KEPT],
  });
  return rememberingReports(database(), {
    erasePersonalData: async (_: { erasureId: string }) => report(outcomes[attempt++] ?? []),
    destroyExpiredPersonalData: async (_: { now: string; runId: string }) => report(outcomes[attempt++] ?? []),
  });
}

describe('erasure reports add up over attempts (CON-6)', () => {
  it('a retry that finds everything already erased still reports what the lost attempt erased', async () => {
    const erasureId = `dsr/${randomUUID()}`;
    const activities = service([[1, 3], [0, 0]]);
    const first = await activities.erasePersonalData({ erasureId });
    // … its completion is lost; Temporal retries.
    const retry = await activities.erasePersonalData({ erasureId });
    const expected = {
      service: 'test',
      erased: [
        { collection: 'users', description: 'name and e-mail', count: 1 },
        { collection: 'sessions', description: 'sessions', count: 3 },
      ],
      kept: [KEPT],
    };
    expect(first).toEqual(expected);
    expect(retry).toEqual(expected);
  });

  it('adds what a later attempt erased (a session created meanwhile), and keeps erasures apart', async () => {
    const erasureId = `dsr/${randomUUID()}`;
    const activities = service([[1, 3], [0, 1]]);
    await activities.erasePersonalData({ erasureId });
    const retry = await activities.erasePersonalData({ erasureId });
    expect(retry.erased).toEqual([
      { collection: 'users', description: 'name and e-mail', count: 1 },
      { collection: 'sessions', description: 'sessions', count: 4 },
    ]);
    const other = await service([[0, 2]]).erasePersonalData({ erasureId: `dsr/${randomUUID()}` });
    expect(other.erased).toEqual([{ collection: 'sessions', description: 'sessions', count: 2 }]);
  });

  it('two attempts running at once both count', async () => {
    const erasureId = `termination/${randomUUID()}`;
    const a = service([[1, 0]]);
    const b = service([[0, 2]]);
    await Promise.all([a.erasePersonalData({ erasureId }), b.erasePersonalData({ erasureId })]);
    const total = await service([[0, 0]]).erasePersonalData({ erasureId });
    expect(total.erased).toEqual(
      expect.arrayContaining([
        { collection: 'users', description: 'name and e-mail', count: 1 },
        { collection: 'sessions', description: 'sessions', count: 2 },
      ]),
    );
    expect(total.erased).toHaveLength(2);
  });

  it('periodic destruction runs are totalled per run, and old reports are cleared by the next run', async () => {
    const runId = randomUUID();
    const activities = service([[0, 5], [0, 0]]);
    await activities.destroyExpiredPersonalData({ now: new Date().toISOString(), runId });
    expect((await activities.destroyExpiredPersonalData({ now: new Date().toISOString(), runId })).erased).toEqual([
      { collection: 'sessions', description: 'sessions', count: 5 },
    ]);
    const reports = database().collection<{ _id: string; updatedAt: Date }>('erasure_reports');
    await reports.insertOne({ _id: 'erasure/ancient', updatedAt: new Date(Date.now() - 100 * 24 * 3600_000) });
    await service([[]]).destroyExpiredPersonalData({ now: new Date().toISOString(), runId: randomUUID() });
    expect(await reports.findOne({ _id: 'erasure/ancient' })).toBeNull();
    expect(await reports.findOne({ _id: `destruction/${runId}` })).not.toBeNull();
  });
});
