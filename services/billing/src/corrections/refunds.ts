import { setTimeout as sleep } from 'node:timers/promises';
import { isDuplicateKeyError } from '@omurga/shared';
import type { BillingModels, InvoiceDoc, PaymentAttemptDoc, RefundDoc } from '../models/index.ts';
import { withTimeout, type PaymentProvider, type RefundResult } from '../payments/provider.ts';
import { planRefund } from './creditable.ts';
import { auditCorrection, holdOnInvoice, releaseHold, sameRequest, type CorrectionActor, type CorrectionFailure } from './holds.ts';

export interface RefundInput {
  invoiceId: string;
  /** default: all of the payment not yet refunded */
  amountMinor?: number | null;
  reason: string;
  idempotencyKey: string;
}

export interface RefundDeps {
  models: BillingModels;
  provider: PaymentProvider;
  timeoutMs: number;
}

type RefundHold = InvoiceDoc['refundHolds'][number];
const FINAL = new Set(['SUCCEEDED', 'FAILED']);

/**
 * Gives back (part of) an invoice's card payment through the payment provider
 * (issue 15): an operator's decision [000 §4.9, 003 §7.4]. Never twice, never
 * more than was paid:
 * 1. The amount is held on the invoice under the request's key (one
 *    conditional update), so refunds together never exceed the payment.
 * 2. One refund row per key (unique index): of two requests with one key,
 *    one asks the provider; the other waits for its answer and repeats it.
 * 3. The provider gets the same key, and answers a repeat with its first result.
 * A failed refund releases its hold; one whose outcome is unknown (timeout)
 * keeps it, and the same request later asks the provider again with the same key.
 */
export async function refundInvoicePayment(deps: RefundDeps, input: RefundInput, actor: CorrectionActor): Promise<{ ok: true; refund: RefundDoc; invoice: InvoiceDoc } | CorrectionFailure> {
  const { models, provider } = deps;
  const key = `refund/${input.invoiceId}/${input.idempotencyKey}`;
  const request = JSON.stringify({ amountMinor: input.amountMinor ?? null });
  // the card payment that paid the invoice, through the configured provider
  const payment = await models.PaymentAttempt.findOne({ invoiceId: input.invoiceId, status: 'SUCCEEDED', provider: provider.name }).lean<PaymentAttemptDoc>();

  const held = await holdOnInvoice<RefundHold>(models, input.invoiceId, 'refundHolds', (invoice) => {
    const existing = sameRequest(invoice.refundHolds, key, request);
    if (existing === 'reused') return { ok: false, code: 'IDEMPOTENCY_KEY_REUSED', field: ['idempotencyKey'] };
    if (existing) return { ok: true, hold: existing, existing: true };
    if (invoice.status !== 'PAID') return { ok: false, code: 'INVOICE_NOT_REFUNDABLE', field: ['invoiceId'] };
    if (!payment?.providerPaymentId) return { ok: false, code: 'REFUND_NOT_BY_CARD', field: ['invoiceId'] };
    const plan = planRefund(payment.amount.amountMinor, (invoice.refundHolds ?? []).map((h) => h.amountMinor), input.amountMinor);
    if (!plan.ok) return plan;
    return { ok: true, existing: false, hold: { key, request, amountMinor: plan.amountMinor, at: new Date() } as RefundHold };
  });
  if (!held.ok) return held;
  const { hold, invoice } = held;
  if (!payment?.providerPaymentId) return { ok: false, code: 'REFUND_NOT_BY_CARD', field: ['invoiceId'] };
  const paid = payment;

  let row = await claimRefundRow(deps, { invoice, paid, hold, key, actor, reason: input.reason });
  if (row.status === 'PENDING' && row.claimed) {
    row = await askProvider(deps, row.refund, paid, input.reason);
    if (row.refund.status === 'FAILED') {
      await releaseHold(models, invoice._id, 'refundHolds', key);
    }
    if (FINAL.has(row.refund.status)) {
      await auditCorrection(models, {
        action: `REFUND_${row.refund.status}`,
        invoice,
        targetId: row.refund._id.toString(),
        actor,
        reason: input.reason,
        detail: { amount: row.refund.amount, method: row.refund.method, providerRefundId: row.refund.providerRefundId, failureCode: row.refund.failureCode },
        at: new Date(),
      });
    }
  } else if (row.status === 'PENDING') {
    row = { ...row, refund: await awaitSettled(deps, row.refund) };
  }
  return { ok: true, refund: row.refund, invoice: (await models.Invoice.findById(invoice._id).lean<InvoiceDoc>())! };
}

interface ClaimedRow {
  refund: RefundDoc;
  status: string;
  /** this call is the one to ask the provider */
  claimed: boolean;
}

async function claimRefundRow(
  { models, provider, timeoutMs }: RefundDeps,
  { invoice, paid, hold, key, actor, reason }: { invoice: InvoiceDoc; paid: PaymentAttemptDoc; hold: RefundHold; key: string; actor: CorrectionActor; reason: string },
): Promise<ClaimedRow> {
  try {
    const created = await models.Refund.create({
      organizationId: invoice.organizationId,
      invoiceId: invoice._id,
      key,
      provider: provider.name,
      providerPaymentId: paid.providerPaymentId!,
      amount: { amountMinor: hold.amountMinor, currency: paid.amount.currency },
      status: 'PENDING',
      requested: { ...actor, reason, at: hold.at },
    });
    return { refund: created.toObject() as RefundDoc, status: 'PENDING', claimed: true };
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
  }
  // Another request with this key: an UNKNOWN outcome, or a PENDING one its caller abandoned, is asked again (same key).
  const staleBefore = new Date(Date.now() - 2 * timeoutMs - 30_000);
  const taken = await models.Refund.findOneAndUpdate(
    { key, $or: [{ status: 'UNKNOWN' }, { status: 'PENDING', updatedAt: { $lte: staleBefore } }] },
    { $set: { status: 'PENDING' } },
    { returnDocument: 'after' },
  ).lean<RefundDoc>();
  if (taken) return { refund: taken, status: 'PENDING', claimed: true };
  const current = (await models.Refund.findOne({ key }).lean<RefundDoc>())!;
  return { refund: current, status: current.status, claimed: false };
}

async function askProvider({ models, provider, timeoutMs }: RefundDeps, refund: RefundDoc, paid: PaymentAttemptDoc, reason: string): Promise<ClaimedRow> {
  let result: RefundResult;
  try {
    result = await withTimeout(
      () =>
        provider.refund({
          providerPaymentId: refund.providerPaymentId,
          payment: { ...paid.amount, paidAt: paid.settledAt ?? paid.createdAt },
          amount: { amountMinor: refund.amount.amountMinor, currency: refund.amount.currency },
          idempotencyKey: refund.key,
          reason,
        }),
      timeoutMs,
      provider.name,
    );
  } catch {
    // No answer (a timeout, a broken connection, a provider error): the refund may or may not
    // have been made, so the hold stays and the same request asks again with the same key.
    await models.Refund.updateOne({ _id: refund._id, status: 'PENDING' }, { $set: { status: 'UNKNOWN' } });
    const unknown = (await models.Refund.findById(refund._id).lean<RefundDoc>())!;
    return { refund: unknown, status: unknown.status, claimed: true };
  }
  const set =
    result.status === 'SUCCEEDED'
      ? { status: 'SUCCEEDED', method: result.method, providerRefundId: result.providerRefundId, failureCode: null, settledAt: new Date() }
      : { status: 'FAILED', failureCode: result.failureCode, settledAt: new Date() };
  await models.Refund.updateOne({ _id: refund._id, status: 'PENDING' }, { $set: set });
  const settled = (await models.Refund.findById(refund._id).lean<RefundDoc>())!;
  return { refund: settled, status: settled.status, claimed: true };
}

/** A concurrent request with the same key is asking the provider: wait for its answer (or give the state as it is). */
async function awaitSettled({ models, timeoutMs }: RefundDeps, refund: RefundDoc): Promise<RefundDoc> {
  const until = Date.now() + timeoutMs + 2_000;
  let current = refund;
  while (current.status === 'PENDING' && Date.now() < until) {
    await sleep(50);
    current = (await models.Refund.findById(refund._id).lean<RefundDoc>())!;
  }
  return current;
}
