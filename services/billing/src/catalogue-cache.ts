/**
 * The public catalogue (`plans`) read once per `ttlMs` instead of once per
 * call (issue 16: it was a full scan plus a sort each time). A plan or policy
 * created through this process drops it at once; one created through another
 * billing replica shows here within `ttlMs`, the same age the gateway's
 * `@cacheControl(maxAge: 15)` allows HTTP caches.
 */
export function memoisedRead<T>(read: () => Promise<T>, ttlMs: number, now: () => number = Date.now) {
  let entry: { value: Promise<T>; expiresAt: number; generation: number } | undefined;
  let generation = 0;
  return {
    get(): Promise<T> {
      if (entry && entry.generation === generation && entry.expiresAt > now()) return entry.value;
      const mine = { value: read(), expiresAt: now() + ttlMs, generation };
      entry = mine;
      // A failed read is not kept: the next call tries again.
      mine.value.catch(() => {
        if (entry === mine) entry = undefined;
      });
      return mine.value;
    },
    invalidate() {
      generation++;
      entry = undefined;
    },
  };
}
