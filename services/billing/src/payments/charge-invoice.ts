import { ApplicationFailure } from '@temporalio/common';
import { Types } from 'mongoose';
import { isDuplicateKeyError } from '@omurga/shared';
import { BILLING_INVALID_STATE, BILLING_NOT_FOUND, type ChargeOutcome } from '../workflows/contracts.ts';
import { canTransitionInvoice, markInvoicePaid } from '../invoices/status.ts';
import type { BillingModels, InvoiceDoc, InvoiceStatus } from '../models/index.ts';
import { ProviderTimeoutError, chargeIdempotencyKey, withTimeout, type PaymentProvider, type ProviderResult } from './provider.ts';

export interface ChargeInvoiceDeps {
  models: BillingModels;
  provider: PaymentProvider;
  /** how long to wait for each provider call before the outcome counts as unknown */
  timeoutMs: number;
  now?: () => Date;
  /**
   * How long a PENDING attempt belongs to the call that is charging it. A
   * PENDING attempt older than this was left by a crashed call and is taken
   * over. Default 2 × timeoutMs + 30 s (a charge and a lookup, plus slack).
   */
  claimTtlMs?: number;
}

/**
 * Another call is charging this invoice right now (the same attempt, or an
 * earlier one whose outcome is not known yet). Retryable: by the time the
 * activity runs again that call has finished.
 */
export class PaymentAttemptBusyError extends Error {
  override readonly name = 'PaymentAttemptBusyError';
  constructor(idempotencyKey: string) {
    super(`payment attempt ${idempotencyKey} is being charged by another call`);
  }
}

type AttemptStatus = 'PENDING' | 'SUCCEEDED' | 'DECLINED' | 'UNKNOWN';
interface AttemptRow {
  _id: Types.ObjectId;
  idempotencyKey: string;
  attempt: number;
  status: string;
  providerPaymentId?: string | null;
  declineCode?: string | null;
  updatedAt?: Date;
}

/**
 * Collects an invoice by card (BIL-5). Attempt rows move PENDING (a call is
 * charging it) → SUCCEEDED | DECLINED, or → UNKNOWN (no call is charging it
 * and the provider's outcome is not known) → reconciled by lookup later.
 *
 * 1. A repeat of an attempt that already finished returns its first outcome.
 * 2. A PAID invoice → ALREADY_PAID.
 * 3. Earlier attempts in PENDING / UNKNOWN are looked up at the provider
 *    first. One the provider did charge is recorded and the invoice marked
 *    paid, and the result is PAID with that payment's id: the money was
 *    collected by card, so the workflow treats it like this attempt
 *    succeeding (and tells the customer so). No new charge is made.
 * 4. No usable payment method (none stored, or one of another provider) →
 *    NO_PAYMENT_METHOD.
 * 5. The attempt row is inserted (unique idempotency key) or taken over, and
 *    the provider is charged with `<invoiceId>/attempt/<n>` under a timeout.
 *    A timeout marks the attempt UNKNOWN and looks it up at once: found →
 *    settled as usual, not found → PROVIDER_UNAVAILABLE. Any other provider
 *    error marks it UNKNOWN and propagates, so the activity retries with the
 *    same key (and looks it up before charging again).
 */
export async function chargeInvoice(deps: ChargeInvoiceDeps, input: { invoiceId: string; attempt: number }): Promise<ChargeOutcome> {
  const { models, provider, timeoutMs } = deps;
  const now = deps.now ?? (() => new Date());
  const claimTtlMs = deps.claimTtlMs ?? 2 * timeoutMs + 30_000;
  const Attempt = models.PaymentAttempt;

  const invoice = Types.ObjectId.isValid(input.invoiceId) ? await models.Invoice.findById(input.invoiceId).lean<InvoiceDoc>() : null;
  if (!invoice) throw ApplicationFailure.nonRetryable(`invoice ${input.invoiceId} does not exist`, BILLING_NOT_FOUND);
  if (!Number.isSafeInteger(input.attempt) || input.attempt < 1) {
    throw ApplicationFailure.nonRetryable(`attempt must be a positive integer, got ${input.attempt}`, BILLING_INVALID_STATE);
  }
  const key = chargeIdempotencyKey(String(invoice._id), input.attempt);

  const markPaid = (paymentId: string, attempt: number) =>
    markInvoicePaid(models, invoice._id, { at: now(), reference: paymentId, reason: `card payment (attempt ${attempt})` });

  /** Records the provider's answer for an attempt; a concurrent call that settled first wins. */
  async function settle(row: Pick<AttemptRow, '_id' | 'attempt'>, result: ProviderResult): Promise<ChargeOutcome> {
    const set =
      result.status === 'SUCCEEDED'
        ? { status: 'SUCCEEDED', providerPaymentId: result.providerPaymentId, declineCode: null, settledAt: now() }
        : { status: 'DECLINED', declineCode: result.declineCode, settledAt: now() };
    const stored =
      (await Attempt.findOneAndUpdate({ _id: row._id, status: { $in: ['PENDING', 'UNKNOWN'] } }, { $set: set }, { returnDocument: 'after' }).lean<AttemptRow>()) ??
      (await Attempt.findById(row._id).lean<AttemptRow>());
    return finished(stored!);
  }

  /** The outcome of a SUCCEEDED or DECLINED attempt (making sure the invoice shows a success). */
  async function finished(row: AttemptRow): Promise<ChargeOutcome> {
    if (row.status === 'SUCCEEDED') {
      await markPaid(row.providerPaymentId!, row.attempt);
      return { status: 'PAID', paymentId: row.providerPaymentId! };
    }
    return { status: 'DECLINED', declineCode: row.declineCode ?? 'declined' };
  }

  const lookup = (idempotencyKey: string) => withTimeout(() => provider.lookup(idempotencyKey), timeoutMs, provider.name);
  const claimExpired = (row: AttemptRow) => !row.updatedAt || row.updatedAt.getTime() <= Date.now() - claimTtlMs;

  // This attempt and the earlier ones, in one read (the key is the invoice's and the attempt number's).
  const attempts = await Attempt.find({ invoiceId: invoice._id, attempt: { $lte: input.attempt } })
    .sort({ attempt: 1 })
    .lean<AttemptRow[]>();

  // 1. a repeated call of a finished attempt (one that found the invoice void answers that again)
  const existing = attempts.find((row) => row.idempotencyKey === key);
  if (existing && isFinal(existing.status) && existing.declineCode !== INVOICE_VOID_CODE) return finished(existing);

  // 2.
  if (invoice.status === 'PAID') return { status: 'ALREADY_PAID' };
  if (invoice.status === 'VOID') return { status: 'VOIDED' };
  if (!canTransitionInvoice(invoice.status as InvoiceStatus, 'PAID')) {
    throw ApplicationFailure.nonRetryable(`invoice ${invoice.number} is ${invoice.status} and cannot be collected`, BILLING_INVALID_STATE);
  }
  if (invoice.total.amountMinor <= 0) {
    throw ApplicationFailure.nonRetryable(`invoice ${invoice.number} has nothing to collect`, BILLING_INVALID_STATE);
  }

  // 3. earlier attempts, oldest first; a SUCCEEDED one means a crash before the invoice was marked paid
  const earlier = attempts.filter((row) => row.attempt < input.attempt && ['PENDING', 'UNKNOWN', 'SUCCEEDED'].includes(row.status));
  for (const row of earlier) {
    if (row.status === 'SUCCEEDED') return finished(row);
    if (row.status === 'PENDING' && !claimExpired(row)) throw new PaymentAttemptBusyError(row.idempotencyKey);
    let found: ProviderResult | null;
    try {
      found = await lookup(row.idempotencyKey);
    } catch (error) {
      // without an answer a new charge could be a second one: this attempt fails, nothing is charged
      if (error instanceof ProviderTimeoutError) return { status: 'PROVIDER_UNAVAILABLE' };
      throw error;
    }
    if (found?.status === 'SUCCEEDED') return settle(row, found);
    if (found) await settle(row, found);
    else if (row.status === 'PENDING') await Attempt.updateOne({ _id: row._id, status: 'PENDING', updatedAt: row.updatedAt }, { $set: { status: 'UNKNOWN' } });
  }

  // 4.
  const account = await models.BillingAccount.findById(invoice.organizationId).lean();
  const method = account?.paymentMethod;
  if (!method || method.provider !== provider.name) return { status: 'NO_PAYMENT_METHOD' };

  // 5. insert the attempt, or take over one that nobody is charging
  let row: AttemptRow;
  let resumed = false;
  try {
    const created = await Attempt.create({
      invoiceId: invoice._id,
      organizationId: invoice.organizationId,
      attempt: input.attempt,
      idempotencyKey: key,
      provider: provider.name,
      amount: { amountMinor: invoice.total.amountMinor, currency: invoice.total.currency },
      status: 'PENDING' satisfies AttemptStatus,
    });
    row = { _id: created._id, idempotencyKey: key, attempt: input.attempt, status: 'PENDING' };
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    const taken = await Attempt.findOneAndUpdate(
      { idempotencyKey: key, $or: [{ status: 'UNKNOWN' }, { status: 'PENDING', updatedAt: { $lte: new Date(Date.now() - claimTtlMs) } }] },
      { $set: { status: 'PENDING' } },
      { returnDocument: 'after' },
    ).lean<AttemptRow>();
    if (!taken) {
      const current = await Attempt.findOne({ idempotencyKey: key }).lean<AttemptRow>();
      if (current && isFinal(current.status)) return finished(current);
      throw new PaymentAttemptBusyError(key);
    }
    row = taken;
    resumed = true;
  }
  const markUnknown = () => Attempt.updateOne({ _id: row._id, status: 'PENDING' }, { $set: { status: 'UNKNOWN' } });
  // Voided after the check above but before this attempt was claimed (voidInvoice refuses once it is): nothing is charged.
  if (!resumed && (await models.Invoice.findById(invoice._id, { status: 1 }).lean<Pick<InvoiceDoc, 'status'>>())?.status === 'VOID') {
    await Attempt.updateOne({ _id: row._id, status: 'PENDING' }, { $set: { status: 'DECLINED', declineCode: INVOICE_VOID_CODE, settledAt: now() } });
    return { status: 'VOIDED' };
  }

  let result: ProviderResult | null = null;
  if (resumed) {
    // an earlier call may have reached the provider with this key
    try {
      result = await lookup(key);
    } catch (error) {
      await markUnknown();
      if (error instanceof ProviderTimeoutError) return { status: 'PROVIDER_UNAVAILABLE' };
      throw error;
    }
  }
  if (!result) {
    try {
      result = await withTimeout(
        () =>
          provider.charge({
            token: method.token,
            amount: { amountMinor: invoice.total.amountMinor, currency: invoice.total.currency },
            idempotencyKey: key,
            description: `Invoice ${invoice.number}`,
            customerId: invoice.organizationId,
          }),
        timeoutMs,
        provider.name,
      );
    } catch (error) {
      if (!(error instanceof ProviderTimeoutError)) {
        // the provider's error is the one to report; a row left PENDING is taken over after claimTtlMs anyway
        await markUnknown().catch(() => undefined);
        throw error;
      }
      await markUnknown();
      try {
        result = await lookup(key);
      } catch (lookupError) {
        if (lookupError instanceof ProviderTimeoutError) return { status: 'PROVIDER_UNAVAILABLE' };
        throw lookupError;
      }
      // not charged as far as the provider knows; looked up again before any later attempt
      if (!result) return { status: 'PROVIDER_UNAVAILABLE' };
    }
  }
  return settle(row, result);
}

/** The decline code of an attempt that found its invoice voided (issue 15); never sent to the provider. */
export const INVOICE_VOID_CODE = 'invoice_void';

function isFinal(status: string): status is 'SUCCEEDED' | 'DECLINED' {
  return status === 'SUCCEEDED' || status === 'DECLINED';
}
