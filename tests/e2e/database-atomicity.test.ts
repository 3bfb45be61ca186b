// The storage rule every service relies on (README "Storage"): a filtered
// single-document write is atomic, so an optimistic-version save or a guarded
// status change either applies to the version it read or matches nothing.
// MongoDB guarantees it; local runs and CI use FerretDB, built with
// infra/ferretdb/atomic-writes.patch so that it does too. Without the patch
// two writers could both match one version and one change was lost (a ticket
// reply vanished this way in CI).
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useScratchDatabase } from '../support/scratch-database.ts';

const database = useScratchDatabase('atomicity-check');

const WRITERS = 24;

describe('single-document writes are atomic on the database the tests run against', () => {
  it('concurrent optimistic-version appends to one document all survive, each applied to the version it read', async () => {
    const collection = database().collection<{ _id: string; __v: number; items: number[] }>('optimistic');
    const _id = randomUUID();
    await collection.insertOne({ _id, __v: 0, items: [] });

    let conflicts = 0;
    async function append(item: number): Promise<void> {
      for (;;) {
        const current = await collection.findOne({ _id });
        const version = current!.__v;
        const result = await collection.updateOne({ _id, __v: version }, { $set: { items: [...current!.items, item], __v: version + 1 } });
        if (result.modifiedCount === 1) return;
        conflicts++;
      }
    }
    await Promise.all(Array.from({ length: WRITERS }, (_, i) => append(i)));

    const final = await collection.findOne({ _id });
    // Each successful write moved the version by one from what it read, so none was overwritten.
    expect(final!.__v).toBe(WRITERS);
    expect([...final!.items].sort((a, b) => a - b)).toEqual(Array.from({ length: WRITERS }, (_, i) => i));
    // The writers did race (otherwise this proves nothing about concurrency).
    expect(conflicts).toBeGreaterThan(0);
  });

  it('a guarded state change is won by exactly one of many concurrent writers', async () => {
    const collection = database().collection<{ _id: string; status: string; winner: number | null }>('guarded');
    const _id = randomUUID();
    await collection.insertOne({ _id, status: 'OPEN', winner: null });

    const results = await Promise.all(
      Array.from({ length: WRITERS }, (_, i) => collection.findOneAndUpdate({ _id, status: 'OPEN' }, { $set: { status: 'CLOSED', winner: i } }, { returnDocument: 'after' })),
    );
    const winners = results.filter((r) => r !== null);
    expect(winners).toHaveLength(1);
    const final = await collection.findOne({ _id });
    expect(final).toMatchObject({ status: 'CLOSED', winner: winners[0]!.winner });
  });
});
