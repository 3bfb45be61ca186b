// Issue 16: the public catalogue is read once per max age, and a catalogue change drops it at once.
import { describe, expect, it } from 'vitest';
import { memoisedRead } from '../../src/catalogue-cache.ts';

function counter() {
  let reads = 0;
  let clock = 0;
  const cache = memoisedRead(async () => ++reads, 15_000, () => clock);
  return { cache, reads: () => reads, advance: (ms: number) => (clock += ms) };
}

describe('the catalogue cache', () => {
  it('reads once for calls within the max age, and again once it has passed', async () => {
    const { cache, reads, advance } = counter();
    expect(await Promise.all([cache.get(), cache.get(), cache.get()])).toEqual([1, 1, 1]);
    advance(14_999);
    expect(await cache.get()).toBe(1);
    advance(1);
    expect(await cache.get()).toBe(2);
    expect(reads()).toBe(2);
  });

  it('reads again right after an invalidation (a plan or policy was created)', async () => {
    const { cache } = counter();
    expect(await cache.get()).toBe(1);
    cache.invalidate();
    expect(await cache.get()).toBe(2);
  });

  it('does not keep a failed read', async () => {
    let fail = true;
    const cache = memoisedRead(async () => {
      if (fail) throw new Error('database down');
      return 'plans';
    }, 15_000);
    await expect(cache.get()).rejects.toThrow('database down');
    fail = false;
    expect(await cache.get()).toBe('plans');
  });
});
