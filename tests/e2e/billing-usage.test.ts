// Issue 4 (billing): usage (BIL-9), the prepaid balance [004 §6.2], partner
// commissions (BIL-11) and the billing outbox, against the e2e stack's real
// database (FerretDB unless MONGODB_URI says otherwise) and real Temporal.
import { randomUUID } from 'node:crypto';
import mongoose, { Types, type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { createMailer, loadConfig } from '@omurga/shared';
import { addressKey } from '@omurga/shared/temporal';
import type { SubscriptionStatus } from '../../services/billing/src/workflows/contracts.ts';
import { accruePartnerCommission } from '../../services/billing/src/commissions.ts';
import { createBillingOutbox } from '../../services/billing/src/emails.ts';
import { markInvoicePaid } from '../../services/billing/src/invoices/status.ts';
import { billingModels, type BillingModels } from '../../services/billing/src/models/index.ts';
import {
  markUsageBilled,
  prepaidBalances,
  recordUsage,
  topUpPrepaidBalance,
  topUpProblem,
  usageForPeriod,
  usageOnInvoice,
  type UsagePlan,
} from '../../services/billing/src/usage.ts';
import { uniqueEmail } from '../support/accounts.ts';
import { waitForEmail } from '../support/mail-catcher.ts';

const stack = inject('stack');
let db: Connection;
let models: BillingModels;

beforeAll(async () => {
  db = mongoose.createConnection(stack.env.MONGODB_URI!, { dbName: `billing_usage_${randomUUID().replaceAll('-', '').slice(0, 12)}` });
  await db.asPromise();
  models = billingModels(db);
  // The unique indexes are the idempotency guarantees under test.
  await Promise.all(Object.values(models).map((model) => model.init()));
});

afterAll(async () => {
  await db?.dropDatabase();
  await db?.close();
});

/** $0.0188 a minute [004 §6.1]; telecom passed through from the prepaid balance with a $100 minimum [004 §6.2]. */
const CALL_CENTRE_PLAN: UsagePlan = {
  meters: [
    { code: 'agent-minutes', unitPrices: [{ amountMicros: 18_800, currency: 'USD' }] },
    { code: 'telecom-minutes', prepaid: true, unitPrices: [{ amountMicros: 18_800, currency: 'USD' }] },
  ],
  prepaidMinimums: [{ amountMinor: 100_00, currency: 'USD' }],
};
const NO_MINIMUM_PLAN: UsagePlan = { ...CALL_CENTRE_PLAN, prepaidMinimums: [] };

async function subscription(status: SubscriptionStatus = 'ACTIVE', currency = 'USD') {
  const organizationId = new Types.ObjectId().toString();
  const created = await models.Subscription.create({
    organizationId,
    planCode: 'call-centre',
    currency,
    status,
    planId: new Types.ObjectId(),
    policyId: new Types.ObjectId(),
  });
  return { organizationId, subscriptionId: created._id.toString() };
}

const at = (iso: string) => new Date(iso);
const usage = (sub: { organizationId: string; subscriptionId: string }, meterCode: string, quantity: number, eventId: string = randomUUID(), occurredAt = at('2026-03-10T10:00:00Z')) => ({
  ...sub,
  meterCode,
  quantity,
  eventId,
  occurredAt,
});
const ledger = () => db.collection('prepaid_entries');
const balanceOf = async (organizationId: string) => (await prepaidBalances(models, organizationId)).find((b) => b.currency === 'USD')?.amountMicros ?? 0;
const MARCH = [at('2026-03-01T00:00:00Z'), at('2026-04-01T00:00:00Z')] as const;

describe('BIL-9 usage records', () => {
  it('counts an event id once, however often it is sent', async () => {
    const sub = await subscription();
    const first = await recordUsage(models, usage(sub, 'agent-minutes', 42, 'call-1'), CALL_CENTRE_PLAN);
    const again = await recordUsage(models, usage(sub, 'agent-minutes', 42, 'call-1'), CALL_CENTRE_PLAN);
    expect(first).toMatchObject({ ok: true, duplicate: false, record: { meterCode: 'agent-minutes', quantity: 42, eventId: 'call-1' } });
    expect(again).toMatchObject({ ok: true, duplicate: true });
    expect(again.ok && first.ok && again.record._id.equals(first.record._id)).toBe(true);
    expect(await usageForPeriod(models, sub.subscriptionId, ...MARCH)).toEqual([{ meterCode: 'agent-minutes', quantity: 42, prepaidDebitMicros: 0 }]);
  });

  it('counts concurrent duplicates of one event once', async () => {
    const sub = await subscription();
    const results = await Promise.all(Array.from({ length: 8 }, () => recordUsage(models, usage(sub, 'agent-minutes', 5, 'burst'), CALL_CENTRE_PLAN)));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.filter((r) => r.ok && !r.duplicate)).toHaveLength(1);
    expect(await models.UsageRecord.countDocuments({ subscriptionId: sub.subscriptionId })).toBe(1);
  });

  it.each([0, -3, 1.5, Number.NaN])('refuses the quantity %s', async (quantity) => {
    const sub = await subscription();
    expect(await recordUsage(models, usage(sub, 'agent-minutes', quantity), CALL_CENTRE_PLAN)).toEqual({ ok: false, code: 'INVALID_QUANTITY' });
  });

  it('refuses a meter that is not on the plan', async () => {
    const sub = await subscription();
    expect(await recordUsage(models, usage(sub, 'sms', 1), CALL_CENTRE_PLAN)).toEqual({ ok: false, code: 'UNKNOWN_METER' });
  });

  it('refuses usage on a suspended, canceled, unknown or another organisation\'s subscription', async () => {
    for (const status of ['SUSPENDED', 'CANCELED', 'TERMINATED'] as const) {
      const sub = await subscription(status);
      expect(await recordUsage(models, usage(sub, 'agent-minutes', 1), CALL_CENTRE_PLAN), status).toEqual({ ok: false, code: 'SUBSCRIPTION_NOT_ACTIVE' });
    }
    const sub = await subscription();
    const foreign = { ...sub, organizationId: new Types.ObjectId().toString() };
    expect(await recordUsage(models, usage(foreign, 'agent-minutes', 1), CALL_CENTRE_PLAN)).toEqual({ ok: false, code: 'SUBSCRIPTION_NOT_ACTIVE' });
    const unknown = { ...sub, subscriptionId: new Types.ObjectId().toString() };
    expect(await recordUsage(models, usage(unknown, 'agent-minutes', 1), CALL_CENTRE_PLAN)).toEqual({ ok: false, code: 'SUBSCRIPTION_NOT_ACTIVE' });
    expect(await recordUsage(models, usage({ ...sub, subscriptionId: 'not-an-id' }, 'agent-minutes', 1), CALL_CENTRE_PLAN)).toEqual({ ok: false, code: 'SUBSCRIPTION_NOT_ACTIVE' });
  });

  it('still returns a recorded event after the subscription was suspended (a retry is not a new event)', async () => {
    const sub = await subscription();
    expect((await recordUsage(models, usage(sub, 'agent-minutes', 3, 'before-suspension'), CALL_CENTRE_PLAN)).ok).toBe(true);
    await models.Subscription.updateOne({ _id: sub.subscriptionId }, { $set: { status: 'SUSPENDED' } });
    expect(await recordUsage(models, usage(sub, 'agent-minutes', 3, 'before-suspension'), CALL_CENTRE_PLAN)).toMatchObject({ ok: true, duplicate: true });
  });

  it('totals unbilled usage per meter over [from, to), then bills it exactly once', async () => {
    const sub = await subscription();
    await topUpPrepaidBalance(models, sub.organizationId, { amountMinor: 200_00, currency: 'USD' });
    const events: [string, number, string][] = [
      ['agent-minutes', 10, '2026-03-01T00:00:00Z'], // the first instant belongs to the period
      ['agent-minutes', 15, '2026-03-31T23:59:59Z'],
      ['telecom-minutes', 7, '2026-03-15T12:00:00Z'],
      ['agent-minutes', 1000, '2026-04-01T00:00:00Z'], // the end does not
      ['agent-minutes', 2000, '2026-02-28T23:59:59Z'],
    ];
    for (const [meter, quantity, when] of events) {
      expect((await recordUsage(models, usage(sub, meter, quantity, undefined, at(when)), CALL_CENTRE_PLAN)).ok).toBe(true);
    }
    const march = [
      { meterCode: 'agent-minutes', quantity: 25, prepaidDebitMicros: 0 },
      { meterCode: 'telecom-minutes', quantity: 7, prepaidDebitMicros: 7 * 18_800 },
    ];
    expect(await usageForPeriod(models, sub.subscriptionId, ...MARCH)).toEqual(march);

    const invoiceId = new Types.ObjectId();
    expect(await markUsageBilled(models, sub.subscriptionId, ...MARCH, invoiceId)).toBe(3);
    expect(await usageForPeriod(models, sub.subscriptionId, ...MARCH)).toEqual([]);
    expect(await usageOnInvoice(models, invoiceId)).toEqual(march);
    expect(await markUsageBilled(models, sub.subscriptionId, ...MARCH, new Types.ObjectId())).toBe(0);
    // The records outside the period are still waiting for their own invoices.
    expect(await usageForPeriod(models, sub.subscriptionId, at('2026-01-01T00:00:00Z'), at('2026-05-01T00:00:00Z'))).toEqual([
      { meterCode: 'agent-minutes', quantity: 3000, prepaidDebitMicros: 0 },
    ]);
  });
});

describe('BIL-9 prepaid balance with a minimum [004 §6.2]', () => {
  it('tops up per currency, in micros', async () => {
    const sub = await subscription();
    expect(await prepaidBalances(models, sub.organizationId)).toEqual([]);
    expect(await topUpPrepaidBalance(models, sub.organizationId, { amountMinor: 100_00, currency: 'USD' })).toEqual({ currency: 'USD', amountMicros: 100_000_000 });
    expect(await topUpPrepaidBalance(models, sub.organizationId, { amountMinor: 1, currency: 'USD' })).toEqual({ currency: 'USD', amountMicros: 100_010_000 });
    await topUpPrepaidBalance(models, sub.organizationId, { amountMinor: 500_00, currency: 'TRY' });
    expect(await prepaidBalances(models, sub.organizationId)).toEqual([
      { currency: 'TRY', amountMicros: 500_000_000 },
      { currency: 'USD', amountMicros: 100_010_000 },
    ]);
    // A top-up with a key (the payment's id) counts once however often it is reported.
    expect(await topUpPrepaidBalance(models, sub.organizationId, { amountMinor: 10_00, currency: 'USD' }, 'payment-7')).toEqual({ currency: 'USD', amountMicros: 110_010_000 });
    expect(await topUpPrepaidBalance(models, sub.organizationId, { amountMinor: 10_00, currency: 'USD' }, 'payment-7')).toEqual({ currency: 'USD', amountMicros: 110_010_000 });
    await expect(topUpPrepaidBalance(models, sub.organizationId, { amountMinor: 0, currency: 'USD' })).rejects.toThrow(RangeError);
    await expect(topUpPrepaidBalance(models, sub.organizationId, { amountMinor: 100, currency: 'EUR' })).rejects.toThrow(RangeError);
  });

  it('[004 §6.2] one rule for every top-up, the operator\'s transfer and the customer\'s card purchase: the subscription\'s currency, a positive amount within the invoice bounds', async () => {
    const sub = await subscription('ACTIVE', 'USD');
    expect(await topUpProblem(models, sub.organizationId, { amountMinor: 100_00, currency: 'USD' })).toBeNull();
    expect(await topUpProblem(models, sub.organizationId, { amountMinor: 100_00, currency: 'TRY' })).toEqual({ code: 'CURRENCY_MISMATCH', field: ['amount', 'currency'] });
    expect(await topUpProblem(models, sub.organizationId, { amountMinor: 100, currency: 'EUR' })).toEqual({ code: 'UNSUPPORTED_CURRENCY', field: ['amount', 'currency'] });
    expect(await topUpProblem(models, sub.organizationId, { amountMinor: 0, currency: 'USD' })).toEqual({ code: 'MUST_BE_POSITIVE', field: ['amount', 'amountMinor'] });
    expect(await topUpProblem(models, sub.organizationId, { amountMinor: 1e12, currency: 'USD' })).toEqual({ code: 'TOO_LARGE', field: ['amount', 'amountMinor'] });
    // A canceled subscription's currency no longer binds; without a live one any supported currency is taken.
    const ended = await subscription('CANCELED', 'USD');
    expect(await topUpProblem(models, ended.organizationId, { amountMinor: 100_00, currency: 'TRY' })).toBeNull();
  });

  it('debits while the balance is at the minimum or above, then refuses until a top-up; a refused event can be sent again', async () => {
    const sub = await subscription();
    expect(await recordUsage(models, usage(sub, 'telecom-minutes', 1), CALL_CENTRE_PLAN)).toEqual({ ok: false, code: 'PREPAID_BALANCE_BELOW_MINIMUM' });

    await topUpPrepaidBalance(models, sub.organizationId, { amountMinor: 100_00, currency: 'USD' });
    const first = await recordUsage(models, usage(sub, 'telecom-minutes', 100, 'call-a'), CALL_CENTRE_PLAN);
    expect(first).toMatchObject({ ok: true, record: { prepaidDebitMicros: 1_880_000 } });
    expect(await balanceOf(sub.organizationId)).toBe(98_120_000); // $98.12: below the minimum now

    expect(await recordUsage(models, usage(sub, 'telecom-minutes', 1, 'call-b'), CALL_CENTRE_PLAN)).toEqual({ ok: false, code: 'PREPAID_BALANCE_BELOW_MINIMUM' });
    expect(await models.UsageRecord.exists({ subscriptionId: sub.subscriptionId, eventId: 'call-b' })).toBeNull();
    // Postpaid meters are not held back by the prepaid balance.
    expect((await recordUsage(models, usage(sub, 'agent-minutes', 60), CALL_CENTRE_PLAN)).ok).toBe(true);

    await topUpPrepaidBalance(models, sub.organizationId, { amountMinor: 5_00, currency: 'USD' });
    expect(await recordUsage(models, usage(sub, 'telecom-minutes', 1, 'call-b'), CALL_CENTRE_PLAN)).toMatchObject({ ok: true, duplicate: false });
    expect(await recordUsage(models, usage(sub, 'telecom-minutes', 1, 'call-b'), CALL_CENTRE_PLAN)).toMatchObject({ ok: true, duplicate: true });
    expect(await balanceOf(sub.organizationId)).toBe(103_120_000 - 18_800);
  });

  it('never lets the balance go negative, even without a minimum', async () => {
    const sub = await subscription();
    await topUpPrepaidBalance(models, sub.organizationId, { amountMinor: 1_00, currency: 'USD' });
    expect(await recordUsage(models, usage(sub, 'telecom-minutes', 60), NO_MINIMUM_PLAN)).toEqual({ ok: false, code: 'PREPAID_BALANCE_BELOW_MINIMUM' }); // $1.128
    expect((await recordUsage(models, usage(sub, 'telecom-minutes', 50), NO_MINIMUM_PLAN)).ok).toBe(true); // $0.94
    expect(await balanceOf(sub.organizationId)).toBe(60_000);
  });

  it('debits concurrent events atomically: exactly as many as the balance covers', async () => {
    const sub = await subscription();
    await topUpPrepaidBalance(models, sub.organizationId, { amountMinor: 1_88, currency: 'USD' }); // ten 10-minute calls
    const results = await Promise.all(Array.from({ length: 16 }, () => recordUsage(models, usage(sub, 'telecom-minutes', 10), NO_MINIMUM_PLAN)));
    expect(results.filter((r) => r.ok)).toHaveLength(10);
    expect(results.filter((r) => !r.ok && r.code === 'PREPAID_BALANCE_BELOW_MINIMUM')).toHaveLength(6);
    expect(await balanceOf(sub.organizationId)).toBe(0);
    // One ledger entry per movement, numbered without gaps, each balance following from the one before.
    const entries = await ledger().find({ organizationId: sub.organizationId }).sort({ seq: 1 }).toArray();
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
    expect(entries.map((e) => e.balanceMicros)).toEqual(Array.from({ length: 11 }, (_, i) => 1_880_000 - i * 188_000));
  });

  it('concurrent duplicates of a prepaid event debit once', async () => {
    const sub = await subscription();
    await topUpPrepaidBalance(models, sub.organizationId, { amountMinor: 150_00, currency: 'USD' });
    const results = await Promise.all(Array.from({ length: 8 }, () => recordUsage(models, usage(sub, 'telecom-minutes', 100, 'same-call'), CALL_CENTRE_PLAN)));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(await balanceOf(sub.organizationId)).toBe(150_000_000 - 1_880_000);
    expect(await ledger().countDocuments({ key: `usage/${sub.subscriptionId}/same-call` })).toBe(1);
  });

  it('a crash after the debit and before the record is written debits once when the event is sent again', async () => {
    const sub = await subscription();
    await topUpPrepaidBalance(models, sub.organizationId, { amountMinor: 150_00, currency: 'USD' });
    const create = vi.spyOn(models.UsageRecord, 'create').mockRejectedValueOnce(new Error('process killed'));
    try {
      await expect(recordUsage(models, usage(sub, 'telecom-minutes', 100, 'crashed-call'), CALL_CENTRE_PLAN)).rejects.toThrow('process killed');
    } finally {
      create.mockRestore();
    }
    expect(await balanceOf(sub.organizationId)).toBe(148_120_000);

    expect(await recordUsage(models, usage(sub, 'telecom-minutes', 100, 'crashed-call'), CALL_CENTRE_PLAN)).toMatchObject({ ok: true, duplicate: false, record: { prepaidDebitMicros: 1_880_000 } });
    expect(await balanceOf(sub.organizationId)).toBe(148_120_000);
    expect(await ledger().countDocuments({ organizationId: sub.organizationId })).toBe(2); // the top-up and one debit
  });
});

describe('BIL-11 partner commissions', () => {
  let sequence = 0;
  async function invoice(subtotalMinor: number, status: 'OPEN' | 'PAID' = 'OPEN') {
    sequence += 1;
    const tax = Math.round(subtotalMinor * 0.2); // fixture only; invoices compute KDV with money.ts
    const currency = 'TRY';
    return models.Invoice.create({
      organizationId: new Types.ObjectId().toString(),
      key: `test/${randomUUID()}`,
      series: 'TST2026',
      sequence,
      number: `TST2026${String(sequence).padStart(9, '0')}`,
      status,
      currency,
      subtotal: { amountMinor: subtotalMinor, currency },
      taxRateBasisPoints: 2000,
      tax: { amountMinor: tax, currency },
      total: { amountMinor: subtotalMinor + tax, currency },
      collectionMethod: 'CARD_AUTO',
      issuedAt: new Date(),
      dueAt: new Date(),
    });
  }

  it('accrues on the paid invoice\'s subtotal without KDV, rounded half away from zero, once', async () => {
    const partnerId = new Types.ObjectId().toString();
    const open = await invoice(123_45); // ₺123.45 + ₺24.69 KDV
    expect(await accruePartnerCommission(models, { invoiceId: open._id, partnerId, rateBasisPoints: 1000 })).toEqual({ accrued: false, reason: 'INVOICE_NOT_PAID' });

    expect(await markInvoicePaid(models, open._id, { at: new Date(), reference: 'test', reason: 'PAID_BY_CARD' })).toBe(true);
    const accrued = await accruePartnerCommission(models, { invoiceId: open._id.toString(), partnerId, rateBasisPoints: 1000 });
    expect(accrued).toMatchObject({
      accrued: true,
      commission: { partnerId, invoiceNumber: open.number, organizationId: open.organizationId, basis: { amountMinor: 123_45, currency: 'TRY' }, rateBasisPoints: 1000, amount: { amountMinor: 12_35, currency: 'TRY' } },
    });
    expect(await accruePartnerCommission(models, { invoiceId: open._id, partnerId, rateBasisPoints: 1000 })).toEqual({ accrued: false, reason: 'ALREADY_ACCRUED' });
    expect(await models.PartnerCommission.countDocuments({ invoiceId: open._id })).toBe(1);
  });

  it('rounds below half down, and accrues once under concurrent calls', async () => {
    const paid = await invoice(9_99, 'PAID');
    const partnerId = new Types.ObjectId().toString();
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => accruePartnerCommission(models, { invoiceId: paid._id, partnerId, rateBasisPoints: 1234 })));
    expect(outcomes.filter((o) => o.accrued)).toHaveLength(1);
    const row = await models.PartnerCommission.findOne({ invoiceId: paid._id }).lean();
    expect(row!.amount).toEqual({ amountMinor: 1_23, currency: 'TRY' }); // 999 × 12.34 % = 123.2766
  });

  it('accrues nothing for an unknown invoice or a zero subtotal', async () => {
    const partnerId = new Types.ObjectId().toString();
    expect(await accruePartnerCommission(models, { invoiceId: new Types.ObjectId(), partnerId, rateBasisPoints: 1000 })).toEqual({ accrued: false, reason: 'INVOICE_NOT_FOUND' });
    expect(await accruePartnerCommission(models, { invoiceId: 'nope', partnerId, rateBasisPoints: 1000 })).toEqual({ accrued: false, reason: 'INVOICE_NOT_FOUND' });
    const free = await invoice(0, 'PAID');
    expect(await accruePartnerCommission(models, { invoiceId: free._id, partnerId, rateBasisPoints: 1000 })).toEqual({ accrued: false, reason: 'NOTHING_TO_ACCRUE' });
  });
});

describe('billing outbox over SMTP, inside the lifecycle activity (issue 16)', () => {
  it('delivers once per key and address, in the recipient\'s language, with the invoice facts', async () => {
    const mailer = createMailer(loadConfig({ ...process.env, ...stack.env }));
    try {
      const plan = await models.Plan.create({ code: `omni-${randomUUID().slice(0, 6)}`, version: 1, name: 'Omnichannel Pro', policyCode: 'saas' });
      const created = await models.Subscription.create({
        organizationId: new Types.ObjectId().toString(),
        planCode: plan.code,
        currency: 'TRY',
        status: 'PAST_DUE',
        planId: plan._id,
        policyId: new Types.ObjectId(),
      });
      const inv = await models.Invoice.create({
        organizationId: created.organizationId,
        subscriptionId: created._id,
        key: `test/${randomUUID()}`,
        series: 'EML2026',
        sequence: 1,
        number: 'EML2026000000001',
        status: 'OPEN',
        currency: 'TRY',
        subtotal: { amountMinor: 1000_00, currency: 'TRY' },
        taxRateBasisPoints: 2000,
        tax: { amountMinor: 200_00, currency: 'TRY' },
        total: { amountMinor: 1200_00, currency: 'TRY' },
        collectionMethod: 'CARD_AUTO',
        issuedAt: new Date(),
        dueAt: new Date(),
      });
      const email = uniqueEmail('muhasebe');
      const outbox = createBillingOutbox({ models, mailer, logger: { warn: () => {}, error: () => {} } as never });
      const input = {
        kind: 'PAYMENT_FAILED' as const,
        key: `invoice/${inv._id.toString()}/attempt/1`,
        subscriptionId: created._id.toString(),
        invoiceId: inv._id.toString(),
        to: [{ email, locale: 'tr' as const }],
        params: { nextAttemptAt: '2026-03-18T11:30:00.000Z' },
      };
      await outbox.send(input);
      const mail = await waitForEmail(stack.mailCatcherUrl, (m) => m.to.some((a) => a.address === email));
      expect(mail.subject).toBe('Ödeme alınamadı: EML2026000000001');
      expect(mail.text).toContain('1.200,00 ₺');

      await outbox.send(input); // a retried activity, after the e-mail went out
      const caught = (await (await fetch(`${stack.mailCatcherUrl}/email`)).json()) as { to: { address: string }[] }[];
      expect(caught.filter((m) => m.to.some((a) => a.address === email))).toHaveLength(1);
      expect(await models.BillingEmail.find({ key: `${input.key}/${addressKey(email)}` }, { _id: 0, kind: 1, to: 1, subject: 1 }).lean()).toEqual([
        { kind: 'PAYMENT_FAILED', to: [email], subject: 'Ödeme alınamadı: EML2026000000001' },
      ]);
    } finally {
      mailer.close();
    }
  });
});

