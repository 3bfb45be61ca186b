import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';
import { isDuplicateKeyError } from '@omurga/shared';
import { moneySchema } from '../models/common.ts';
import { parseChargeIdempotencyKey, type ChargeRequest, type PaymentProvider, type ProviderResult, type RefundRequest, type RefundResult } from './provider.ts';
import { refundMethod } from './refund-method.ts';
import { SANDBOX_CAPTURED_TOKEN_PREFIX } from './sandbox-card-capture.ts';

/**
 * The sandbox provider's test tokens (BIL-5): deterministic outcomes for
 * local runs and tests, standing in for the payment institution's network.
 */
export const SANDBOX_TOKENS = {
  /** always succeeds */
  ok: 'sandbox_ok',
  /** always declines with card_declined */
  decline: 'sandbox_decline',
  /** declines attempt 1 of each invoice (from the idempotency key), later attempts succeed */
  declineOnce: 'sandbox_decline_once',
  /** never answers and records nothing */
  timeout: 'sandbox_timeout',
} as const;

export const SANDBOX_DECLINE_CODE = 'card_declined';
export const SANDBOX_INVALID_TOKEN_CODE = 'invalid_token';

/**
 * The sandbox's ledger, in the billing database so that idempotency survives
 * restarts and tests can count charges. One row per idempotency key: the
 * first request decides the result, every repeat reads it back.
 */
const sandboxChargeSchema = new Schema(
  {
    idempotencyKey: { type: String, required: true },
    token: { type: String, required: true },
    amount: { type: moneySchema, required: true },
    status: { type: String, enum: ['SUCCEEDED', 'DECLINED'], required: true },
    providerPaymentId: { type: String, default: null },
    declineCode: { type: String, default: null },
    createdAt: { type: Date, required: true },
  },
  { collection: 'sandbox_charges' },
);
sandboxChargeSchema.index({ idempotencyKey: 1 }, { unique: true });

export type SandboxChargeDoc = InferSchemaType<typeof sandboxChargeSchema>;

/** The sandbox's refunds, one row per idempotency key like its charges. */
const sandboxRefundSchema = new Schema(
  {
    idempotencyKey: { type: String, required: true },
    providerPaymentId: { type: String, required: true },
    amount: { type: moneySchema, required: true },
    method: { type: String, enum: ['CANCEL', 'REFUND'], required: true },
    providerRefundId: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'sandbox_refunds' },
);
sandboxRefundSchema.index({ idempotencyKey: 1 }, { unique: true });
sandboxRefundSchema.index({ providerPaymentId: 1 });

export type SandboxRefundDoc = InferSchemaType<typeof sandboxRefundSchema>;

export function sandboxRefundModel(db: Connection): Model<SandboxRefundDoc> {
  return (db.models.SandboxRefund as Model<SandboxRefundDoc> | undefined) ?? db.model('SandboxRefund', sandboxRefundSchema);
}

/** The ledger model on `db` (registered once per connection). */
export function sandboxChargeModel(db: Connection): Model<SandboxChargeDoc> {
  return (db.models.SandboxCharge as Model<SandboxChargeDoc> | undefined) ?? db.model('SandboxCharge', sandboxChargeSchema);
}

export interface SandboxOptions {
  /**
   * Answer this long after the ledger row is written, so a test can stop the
   * worker after the provider charged but before the worker heard back.
   */
  delayMs?: number;
}

export function createSandboxProvider(db: Connection, options: SandboxOptions = {}): PaymentProvider {
  const charges = sandboxChargeModel(db);
  const refunds = sandboxRefundModel(db);
  // The unique indexes must exist before two requests with one key can race.
  let ready: Promise<unknown> | undefined;
  const indexed = () => (ready ??= Promise.all([charges.init(), refunds.init()]));
  const delayMs = options.delayMs ?? 0;

  async function answer<T>(result: T): Promise<T> {
    // unref: a pending sandbox answer must not keep a stopping process alive
    if (delayMs > 0) await sleep(delayMs, undefined, { ref: false });
    return result;
  }

  return {
    name: 'sandbox',

    async charge(request: ChargeRequest): Promise<ProviderResult> {
      // Never settles and holds no timer or socket: the caller's timeout decides.
      if (request.token === SANDBOX_TOKENS.timeout) return new Promise<ProviderResult>(() => {});
      await indexed();
      const decided = decide(request);
      let recorded = false;
      try {
        await charges.create({
          idempotencyKey: request.idempotencyKey,
          token: request.token,
          amount: { amountMinor: request.amount.amountMinor, currency: request.amount.currency },
          status: decided.status,
          providerPaymentId: decided.status === 'SUCCEEDED' ? decided.providerPaymentId : null,
          declineCode: decided.status === 'DECLINED' ? decided.declineCode : null,
          createdAt: new Date(),
        });
        recorded = true;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
      if (recorded) return answer(decided);
      // a repeat of the key: the first request's result, never a second charge
      const stored = await charges.findOne({ idempotencyKey: request.idempotencyKey }).lean();
      if (!stored) throw new Error(`sandbox: charge ${request.idempotencyKey} vanished`);
      if (stored.token !== request.token || stored.amount.amountMinor !== request.amount.amountMinor || stored.amount.currency !== request.amount.currency) {
        // what a real provider does with a reused key: refuse, never charge the new parameters
        throw new Error(`sandbox: idempotency key ${request.idempotencyKey} was already used with a different card or amount`);
      }
      return answer(toResult(stored));
    },

    async lookup(idempotencyKey: string): Promise<ProviderResult | null> {
      const stored = await charges.findOne({ idempotencyKey }).lean();
      return stored ? toResult(stored) : null;
    },

    async refund(request: RefundRequest): Promise<RefundResult> {
      await indexed();
      const repeated = await refunds.findOne({ idempotencyKey: request.idempotencyKey }).lean();
      if (repeated) return replayRefund(repeated, request);
      const payment = await charges.findOne({ providerPaymentId: request.providerPaymentId, status: 'SUCCEEDED' }).lean();
      if (!payment) return { status: 'FAILED', failureCode: 'payment_not_found', message: 'No such sandbox payment.' };
      if (payment.amount.currency !== request.amount.currency) return { status: 'FAILED', failureCode: 'currency_mismatch' };
      const earlier = await refunds.find({ providerPaymentId: request.providerPaymentId }).lean();
      const refunded = earlier.reduce((sum, row) => sum + row.amount.amountMinor, 0);
      if (refunded + request.amount.amountMinor > payment.amount.amountMinor) {
        return { status: 'FAILED', failureCode: 'amount_exceeds_payment', message: 'The refunds would exceed the payment (sandbox).' };
      }
      const method = earlier.length ? 'REFUND' : refundMethod({ ...payment.amount, paidAt: payment.createdAt }, request.amount, new Date());
      try {
        await refunds.create({
          idempotencyKey: request.idempotencyKey,
          providerPaymentId: request.providerPaymentId,
          amount: { amountMinor: request.amount.amountMinor, currency: request.amount.currency },
          method,
          providerRefundId: `sbx_rf_${randomBytes(12).toString('hex')}`,
          createdAt: new Date(),
        });
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
      // the row that holds the key, ours or a concurrent request's: one refund per key
      const stored = await refunds.findOne({ idempotencyKey: request.idempotencyKey }).lean();
      if (!stored) throw new Error(`sandbox: refund ${request.idempotencyKey} vanished`);
      return answer(replayRefund(stored, request)) as Promise<RefundResult>;
    },
  };
}

function decide(request: ChargeRequest): ProviderResult {
  const succeeded = (): ProviderResult => ({ status: 'SUCCEEDED', providerPaymentId: `sbx_${randomBytes(12).toString('hex')}` });
  const declined = (declineCode: string, message: string): ProviderResult => ({ status: 'DECLINED', declineCode, message });
  switch (request.token) {
    case SANDBOX_TOKENS.ok:
      return succeeded();
    case SANDBOX_TOKENS.decline:
      return declined(SANDBOX_DECLINE_CODE, 'The card was declined (sandbox).');
    case SANDBOX_TOKENS.declineOnce: {
      const key = parseChargeIdempotencyKey(request.idempotencyKey);
      if (!key) throw new Error(`sandbox: ${SANDBOX_TOKENS.declineOnce} needs an <invoiceId>/attempt/<n> key, got ${request.idempotencyKey}`);
      return key.attempt === 1 ? declined(SANDBOX_DECLINE_CODE, 'The card was declined on the first attempt (sandbox).') : succeeded();
    }
    default:
      // a card captured through the sandbox's hosted page (issue 15) pays like sandbox_ok
      if (request.token.startsWith(SANDBOX_CAPTURED_TOKEN_PREFIX)) return succeeded();
      return declined(SANDBOX_INVALID_TOKEN_CODE, 'Unknown sandbox token.');
  }
}

function toResult(stored: SandboxChargeDoc): ProviderResult {
  if (stored.status === 'SUCCEEDED' && stored.providerPaymentId) return { status: 'SUCCEEDED', providerPaymentId: stored.providerPaymentId };
  return { status: 'DECLINED', declineCode: stored.declineCode ?? SANDBOX_DECLINE_CODE };
}

function replayRefund(stored: SandboxRefundDoc, request: RefundRequest): RefundResult {
  if (stored.providerPaymentId !== request.providerPaymentId || stored.amount.amountMinor !== request.amount.amountMinor || stored.amount.currency !== request.amount.currency) {
    throw new Error(`sandbox: idempotency key ${request.idempotencyKey} was already used for another refund`);
  }
  return { status: 'SUCCEEDED', providerRefundId: stored.providerRefundId, method: stored.method as 'CANCEL' | 'REFUND' };
}
