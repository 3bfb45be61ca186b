// Issue 4 (billing), BIL-5: card collection through the sandbox provider
// against the e2e stack's real database. No charge twice: retries, duplicates,
// timeouts and crashes all end in at most one charge per invoice.
import { randomBytes, randomUUID } from 'node:crypto';
import { createConnection, type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { BILLING_NOT_FOUND } from '../../services/billing/src/workflows/contracts.ts';
import { billingModels, type BillingModels } from '../../services/billing/src/models/index.ts';
import { PaymentAttemptBusyError, chargeInvoice, type ChargeInvoiceDeps } from '../../services/billing/src/payments/charge-invoice.ts';
import { chargeIdempotencyKey, type PaymentProvider } from '../../services/billing/src/payments/provider.ts';
import { SANDBOX_TOKENS, createSandboxProvider, sandboxChargeModel } from '../../services/billing/src/payments/sandbox.ts';

const stack = inject('stack');

let conn: Connection;
let models: BillingModels;
let sandbox: PaymentProvider;
const TIMEOUT_MS = 2_000;

beforeAll(async () => {
  conn = createConnection(stack.env.MONGODB_URI!, { dbName: `billing_charges_test_${randomBytes(6).toString('hex')}` });
  await conn.asPromise();
  models = billingModels(conn);
  await Promise.all([...Object.values(models).map((model) => model.init()), sandboxChargeModel(conn).init()]);
  sandbox = createSandboxProvider(conn);
});

afterAll(async () => {
  await conn?.dropDatabase();
  await conn?.close();
});

let sequence = 0;

/** An OPEN 120.00 TRY invoice (100 + 20 % KDV) of a new organisation with `token` on file (or no card). */
async function openInvoice(token: string | null, provider = 'sandbox') {
  const organizationId = `org_${randomUUID()}`;
  sequence += 1;
  const now = new Date();
  const invoice = await models.Invoice.create({
    organizationId,
    key: `test/${organizationId}`,
    series: 'TST2026',
    sequence,
    number: `TST2026${String(sequence).padStart(9, '0')}`,
    status: 'OPEN',
    currency: 'TRY',
    lines: [],
    subtotal: { amountMinor: 10_000, currency: 'TRY' },
    taxRateBasisPoints: 2_000,
    tax: { amountMinor: 2_000, currency: 'TRY' },
    total: { amountMinor: 12_000, currency: 'TRY' },
    collectionMethod: 'CARD_AUTO',
    issuedAt: now,
    dueAt: now,
    statusHistory: [{ from: 'DRAFT', to: 'OPEN', at: now, reason: 'issued' }],
  });
  await models.BillingAccount.create({ _id: organizationId, paymentMethod: token ? { provider, token, addedAt: now } : null });
  return String(invoice._id);
}

const deps = (overrides: Partial<ChargeInvoiceDeps> = {}): ChargeInvoiceDeps => ({ models, provider: sandbox, timeoutMs: TIMEOUT_MS, ...overrides });
const ledger = (invoiceId: string) => sandboxChargeModel(conn).find({ idempotencyKey: { $regex: `^${invoiceId}/` } }).sort({ idempotencyKey: 1 }).lean();
const attempts = (invoiceId: string) => models.PaymentAttempt.find({ invoiceId }).sort({ attempt: 1 }).lean();
const invoiceOf = (invoiceId: string) => models.Invoice.findById(invoiceId).lean();

describe('sandbox card collection (BIL-5)', () => {
  it('charges sandbox_ok once: the invoice is paid, and repeating the attempt replays it without a second charge', async () => {
    const invoiceId = await openInvoice(SANDBOX_TOKENS.ok);

    const first = await chargeInvoice(deps(), { invoiceId, attempt: 1 });
    expect(first).toMatchObject({ status: 'PAID', paymentId: expect.stringMatching(/^sbx_/) });
    const paymentId = (first as { paymentId: string }).paymentId;

    const invoice = await invoiceOf(invoiceId);
    expect(invoice).toMatchObject({ status: 'PAID', paymentReference: paymentId });
    expect(invoice!.statusHistory.at(-1)).toMatchObject({ from: 'OPEN', to: 'PAID' });

    // a retried activity, and the workflow's next attempt after a lost answer
    expect(await chargeInvoice(deps(), { invoiceId, attempt: 1 })).toEqual({ status: 'PAID', paymentId });
    expect(await chargeInvoice(deps(), { invoiceId, attempt: 2 })).toEqual({ status: 'ALREADY_PAID' });

    const charges = await ledger(invoiceId);
    expect(charges).toHaveLength(1);
    expect(charges[0]).toMatchObject({ idempotencyKey: `${invoiceId}/attempt/1`, token: SANDBOX_TOKENS.ok, status: 'SUCCEEDED', providerPaymentId: paymentId });
    expect(charges[0]!.amount).toEqual({ amountMinor: 12_000, currency: 'TRY' });
    expect(await attempts(invoiceId)).toMatchObject([{ attempt: 1, status: 'SUCCEEDED', providerPaymentId: paymentId, provider: 'sandbox' }]);
  });

  it('charges once when the same attempt runs concurrently', async () => {
    const invoiceId = await openInvoice(SANDBOX_TOKENS.ok);

    const results = await Promise.allSettled(Array.from({ length: 4 }, () => chargeInvoice(deps(), { invoiceId, attempt: 1 })));

    const paid = results.filter((r) => r.status === 'fulfilled').map((r) => (r as PromiseFulfilledResult<unknown>).value);
    const busy = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason);
    expect(paid.length).toBeGreaterThanOrEqual(1);
    // the others were told to retry: another call held the attempt
    for (const reason of busy) expect(reason).toBeInstanceOf(PaymentAttemptBusyError);
    const charges = await ledger(invoiceId);
    expect(charges).toHaveLength(1);
    for (const outcome of paid) expect(outcome).toEqual({ status: 'PAID', paymentId: charges[0]!.providerPaymentId });
    expect(await attempts(invoiceId)).toHaveLength(1);
    // their retries replay the one result
    expect(await chargeInvoice(deps(), { invoiceId, attempt: 1 })).toEqual({ status: 'PAID', paymentId: charges[0]!.providerPaymentId });
  });

  it('declines sandbox_decline with a decline code and leaves the invoice open', async () => {
    const invoiceId = await openInvoice(SANDBOX_TOKENS.decline);

    expect(await chargeInvoice(deps(), { invoiceId, attempt: 1 })).toEqual({ status: 'DECLINED', declineCode: 'card_declined' });
    expect(await chargeInvoice(deps(), { invoiceId, attempt: 1 })).toEqual({ status: 'DECLINED', declineCode: 'card_declined' });

    expect((await invoiceOf(invoiceId))!.status).toBe('OPEN');
    expect(await attempts(invoiceId)).toMatchObject([{ attempt: 1, status: 'DECLINED', declineCode: 'card_declined' }]);
    expect(await ledger(invoiceId)).toHaveLength(1);
  });

  it('sandbox_decline_once declines attempt 1 and pays attempt 2 (dunning retry, BIL-6)', async () => {
    const invoiceId = await openInvoice(SANDBOX_TOKENS.declineOnce);

    expect(await chargeInvoice(deps(), { invoiceId, attempt: 1 })).toEqual({ status: 'DECLINED', declineCode: 'card_declined' });
    const second = await chargeInvoice(deps(), { invoiceId, attempt: 2 });
    expect(second).toMatchObject({ status: 'PAID' });

    expect((await invoiceOf(invoiceId))!.status).toBe('PAID');
    expect(await attempts(invoiceId)).toMatchObject([
      { attempt: 1, status: 'DECLINED' },
      { attempt: 2, status: 'SUCCEEDED' },
    ]);
    expect((await ledger(invoiceId)).map((c) => c.status)).toEqual(['DECLINED', 'SUCCEEDED']);
  });

  it('a provider that never answers: PROVIDER_UNAVAILABLE, attempt UNKNOWN, nothing charged', async () => {
    const invoiceId = await openInvoice(SANDBOX_TOKENS.timeout);

    expect(await chargeInvoice(deps({ timeoutMs: 100 }), { invoiceId, attempt: 1 })).toEqual({ status: 'PROVIDER_UNAVAILABLE' });

    expect(await attempts(invoiceId)).toMatchObject([{ attempt: 1, status: 'UNKNOWN' }]);
    expect(await ledger(invoiceId)).toHaveLength(0);
    expect((await invoiceOf(invoiceId))!.status).toBe('OPEN');

    // the customer's card works again by the next attempt: attempt 1 is looked up (nothing), attempt 2 charges
    await models.BillingAccount.updateOne({ _id: (await invoiceOf(invoiceId))!.organizationId }, { $set: { 'paymentMethod.token': SANDBOX_TOKENS.ok } });
    expect(await chargeInvoice(deps({ timeoutMs: 100 }), { invoiceId, attempt: 2 })).toMatchObject({ status: 'PAID' });
    expect((await ledger(invoiceId)).map((c) => c.idempotencyKey)).toEqual([`${invoiceId}/attempt/2`]);
    expect(await attempts(invoiceId)).toMatchObject([
      { attempt: 1, status: 'UNKNOWN' },
      { attempt: 2, status: 'SUCCEEDED' },
    ]);
  });

  it('a provider that charged but answered too late is reconciled to PAID by lookup, with one charge', async () => {
    const invoiceId = await openInvoice(SANDBOX_TOKENS.ok);
    const slow = createSandboxProvider(conn, { delayMs: 1_000 });

    const outcome = await chargeInvoice(deps({ provider: slow, timeoutMs: 100 }), { invoiceId, attempt: 1 });

    const charges = await ledger(invoiceId);
    expect(charges).toHaveLength(1);
    expect(outcome).toEqual({ status: 'PAID', paymentId: charges[0]!.providerPaymentId });
    expect(await attempts(invoiceId)).toMatchObject([{ attempt: 1, status: 'SUCCEEDED' }]);
    expect((await invoiceOf(invoiceId))!.status).toBe('PAID');
  });
});

describe('reconciliation before charging again (BIL-5)', () => {
  it('finds that an earlier attempt was charged (worker crashed before hearing back) and charges nothing new', async () => {
    const invoiceId = await openInvoice(SANDBOX_TOKENS.ok);
    const key1 = chargeIdempotencyKey(invoiceId, 1);
    const invoice = (await invoiceOf(invoiceId))!;
    // the provider charged attempt 1; the worker died with the attempt still unknown
    const charged = await sandbox.charge({ token: SANDBOX_TOKENS.ok, amount: invoice.total, idempotencyKey: key1, description: 'x', customerId: invoice.organizationId });
    await models.PaymentAttempt.create({ invoiceId, organizationId: invoice.organizationId, attempt: 1, idempotencyKey: key1, provider: 'sandbox', amount: invoice.total, status: 'UNKNOWN' });

    const outcome = await chargeInvoice(deps(), { invoiceId, attempt: 2 });

    expect(charged.status).toBe('SUCCEEDED');
    expect(outcome).toEqual({ status: 'PAID', paymentId: (charged as { providerPaymentId: string }).providerPaymentId });
    expect(await ledger(invoiceId)).toHaveLength(1);
    expect(await attempts(invoiceId)).toMatchObject([{ attempt: 1, status: 'SUCCEEDED' }]);
    expect((await invoiceOf(invoiceId))!.status).toBe('PAID');
  });

  it('takes over an attempt whose call crashed before reaching the provider, and charges it once', async () => {
    const invoiceId = await openInvoice(SANDBOX_TOKENS.ok);
    const invoice = (await invoiceOf(invoiceId))!;
    await models.PaymentAttempt.create({
      invoiceId, organizationId: invoice.organizationId, attempt: 1, idempotencyKey: chargeIdempotencyKey(invoiceId, 1), provider: 'sandbox', amount: invoice.total, status: 'PENDING',
    });

    // still within its claim: another call may be charging it right now
    await expect(chargeInvoice(deps(), { invoiceId, attempt: 1 })).rejects.toBeInstanceOf(PaymentAttemptBusyError);
    await expect(chargeInvoice(deps(), { invoiceId, attempt: 2 })).rejects.toBeInstanceOf(PaymentAttemptBusyError);
    expect(await ledger(invoiceId)).toHaveLength(0);

    // once the claim has run out, the retry takes it over
    expect(await chargeInvoice(deps({ claimTtlMs: 0 }), { invoiceId, attempt: 1 })).toMatchObject({ status: 'PAID' });
    expect(await ledger(invoiceId)).toHaveLength(1);
  });

  it('a provider error after the charge went through: the attempt turns UNKNOWN, the error propagates, the retry finds the charge', async () => {
    const invoiceId = await openInvoice(SANDBOX_TOKENS.ok);
    const flaky: PaymentProvider = {
      name: 'sandbox',
      async charge(request) {
        await sandbox.charge(request);
        throw new Error('socket hang up');
      },
      lookup: (key) => sandbox.lookup(key),
      refund: (request) => sandbox.refund(request),
    };

    await expect(chargeInvoice(deps({ provider: flaky }), { invoiceId, attempt: 1 })).rejects.toThrow('socket hang up');
    expect(await attempts(invoiceId)).toMatchObject([{ attempt: 1, status: 'UNKNOWN' }]);

    const retried = await chargeInvoice(deps({ provider: flaky }), { invoiceId, attempt: 1 });
    const charges = await ledger(invoiceId);
    expect(charges).toHaveLength(1);
    expect(retried).toEqual({ status: 'PAID', paymentId: charges[0]!.providerPaymentId });
  });
});

describe('what cannot be charged', () => {
  it('NO_PAYMENT_METHOD without a card on file, or with a card of another provider', async () => {
    const withoutCard = await openInvoice(null);
    expect(await chargeInvoice(deps(), { invoiceId: withoutCard, attempt: 1 })).toEqual({ status: 'NO_PAYMENT_METHOD' });
    const iyzicoCard = await openInvoice('cuk:ctk', 'iyzico');
    expect(await chargeInvoice(deps(), { invoiceId: iyzicoCard, attempt: 1 })).toEqual({ status: 'NO_PAYMENT_METHOD' });
    expect(await models.PaymentAttempt.countDocuments({ invoiceId: { $in: [withoutCard, iyzicoCard] } })).toBe(0);
  });

  it('a missing invoice is a non-retryable BillingNotFound', async () => {
    for (const invoiceId of ['665f1c2a9b1e4a0012345678', 'not-an-id']) {
      const error = await chargeInvoice(deps(), { invoiceId, attempt: 1 }).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'ApplicationFailure', type: BILLING_NOT_FOUND, nonRetryable: true });
    }
  });
});
