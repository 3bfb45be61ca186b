import { describe, expect, it } from 'vitest';
import { catalogueVersions } from '../../src/catalogue-versions.ts';
import type { BillingModels } from '../../src/models/index.ts';

/** Models whose Plan.findById answers from `plans` (or fails while `failing`), counting the reads. */
function countingModels(plans: Record<string, { name: string }>) {
  const state = { reads: 0, failing: false };
  const findById = (id: string) => ({
    lean: () => ({
      exec: async () => {
        state.reads += 1;
        await Promise.resolve();
        if (state.failing) throw new Error('database away');
        return plans[id] ?? null;
      },
    }),
  });
  return { state, models: { Plan: { findById }, ContractPolicy: { findById } } as unknown as BillingModels };
}

describe('catalogueVersions (issue 16)', () => {
  it('reads a version once, and concurrent first reads share that one query', async () => {
    const { state, models } = countingModels({ a: { name: 'Pro' } });
    const versions = catalogueVersions(models);
    const answers = await Promise.all([versions.plan('a'), versions.plan('a'), versions.plan('a')]);
    expect(answers.map((plan) => plan?.name)).toEqual(['Pro', 'Pro', 'Pro']);
    expect(await versions.plan('a')).toMatchObject({ name: 'Pro' });
    expect(state.reads).toBe(1);
  });

  it('keeps neither a version not found nor a failed read: the next call reads again', async () => {
    const plans: Record<string, { name: string }> = {};
    const { state, models } = countingModels(plans);
    const versions = catalogueVersions(models);
    expect(await versions.plan('b')).toBeNull();
    plans.b = { name: 'Basic' };
    expect(await versions.plan('b')).toMatchObject({ name: 'Basic' });

    state.failing = true;
    await expect(versions.plan('c')).rejects.toThrow('database away');
    state.failing = false;
    plans.c = { name: 'Team' };
    expect(await versions.plan('c')).toMatchObject({ name: 'Team' });
    expect(state.reads).toBe(4);
  });
});
