// BIL-5: the provider boundary's helpers: idempotency keys per invoice (one
// subscription period) and attempt, and the timeout that turns a silent
// provider into a typed, reconcilable outcome.
import { describe, expect, it } from 'vitest';
import { ProviderTimeoutError, chargeIdempotencyKey, parseChargeIdempotencyKey, withTimeout } from '../../../src/payments/provider.ts';

describe('charge idempotency keys (BIL-5)', () => {
  it('is <invoiceId>/attempt/<n> and parses back', () => {
    const key = chargeIdempotencyKey('665f1c2a9b1e4a0012345678', 3);
    expect(key).toBe('665f1c2a9b1e4a0012345678/attempt/3');
    expect(parseChargeIdempotencyKey(key)).toEqual({ invoiceId: '665f1c2a9b1e4a0012345678', attempt: 3 });
  });

  it('differs per attempt, so a retry of attempt 1 and attempt 2 are different charges', () => {
    expect(chargeIdempotencyKey('inv', 1)).not.toBe(chargeIdempotencyKey('inv', 2));
  });

  it.each([
    ['inv', 0],
    ['inv', -1],
    ['inv', 1.5],
    ['', 1],
    ['a/b', 1],
    ['a b', 1],
  ])('refuses invoice %j attempt %s', (invoiceId, attempt) => {
    expect(() => chargeIdempotencyKey(invoiceId, attempt)).toThrow(RangeError);
  });

  it.each(['inv/attempt/0', 'inv/attempt/01', 'inv/attempt/', '/attempt/1', 'inv/attempts/1', 'inv/attempt/1/x', 'sandbox_ok', 'inv/attempt/99999999999999999999'])(
    'parses %j as no key',
    (key) => {
      expect(parseChargeIdempotencyKey(key)).toBeNull();
    },
  );
});

describe('withTimeout', () => {
  it('passes a timely answer through', async () => {
    await expect(withTimeout(async () => 'answer', 1_000, 'test')).resolves.toBe('answer');
  });

  it('passes a provider error through unchanged', async () => {
    const failure = new Error('connection reset');
    await expect(withTimeout(() => Promise.reject(failure), 1_000, 'test')).rejects.toBe(failure);
    await expect(
      withTimeout(() => {
        throw failure;
      }, 1_000, 'test'),
    ).rejects.toBe(failure);
  });

  it('rejects with a typed ProviderTimeoutError when the provider never answers', async () => {
    const error = await withTimeout(() => new Promise<never>(() => {}), 20, 'sandbox').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderTimeoutError);
    expect(error).toMatchObject({ name: 'ProviderTimeoutError', provider: 'sandbox', timeoutMs: 20 });
  });

  it('swallows a rejection that arrives after the timeout (no unhandled rejection)', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      let rejectLate!: (error: Error) => void;
      const late = new Promise<never>((_, reject) => (rejectLate = reject));
      await expect(withTimeout(() => late, 10, 'test')).rejects.toBeInstanceOf(ProviderTimeoutError);
      rejectLate(new Error('too late'));
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('refuses a non-positive timeout', () => {
    expect(() => withTimeout(async () => 1, 0, 'test')).toThrow(RangeError);
  });
});
