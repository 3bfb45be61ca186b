// BIL-5: provider selection from the environment, failing at start-up on a
// missing iyzico key rather than at the first charge.
import { createConnection, type Connection } from 'mongoose';
import { afterAll, describe, expect, it } from 'vitest';
import { selectPaymentProvider } from '../../../src/payments/select-provider.ts';

// never connected: models can be registered on it, nothing talks to a database
const db: Connection = createConnection();
afterAll(() => db.close());

describe('selectPaymentProvider (BIL-5)', () => {
  it('defaults to the sandbox with a 10 s timeout', () => {
    const selected = selectPaymentProvider({}, db);
    expect(selected.provider.name).toBe('sandbox');
    expect(selected.timeoutMs).toBe(10_000);
    expect(db.models.SandboxCharge?.collection.collectionName).toBe('sandbox_charges');
  });

  it('reads the timeout', () => {
    expect(selectPaymentProvider({ PAYMENT_PROVIDER_TIMEOUT_MS: '2500' }, db).timeoutMs).toBe(2_500);
  });

  it('selects iyzico with its keys', () => {
    const selected = selectPaymentProvider({ PAYMENT_PROVIDER: 'iyzico', IYZICO_API_KEY: 'k', IYZICO_SECRET_KEY: 's' }, db);
    expect(selected.provider.name).toBe('iyzico');
  });

  it('names every missing iyzico key', () => {
    expect(() => selectPaymentProvider({ PAYMENT_PROVIDER: 'iyzico' }, db)).toThrow(
      /IYZICO_API_KEY: IYZICO_API_KEY is required when PAYMENT_PROVIDER=iyzico; IYZICO_SECRET_KEY: IYZICO_SECRET_KEY is required/,
    );
  });

  it.each([
    [{ PAYMENT_PROVIDER: 'stripe' }, /PAYMENT_PROVIDER/],
    [{ PAYMENT_PROVIDER_TIMEOUT_MS: '0' }, /PAYMENT_PROVIDER_TIMEOUT_MS/],
    [{ PAYMENT_PROVIDER: 'iyzico', IYZICO_API_KEY: 'k', IYZICO_SECRET_KEY: 's', IYZICO_BASE_URL: 'not a url' }, /IYZICO_BASE_URL/],
  ])('refuses %j', (env, message) => {
    expect(() => selectPaymentProvider(env, db)).toThrow(message);
  });
});
