import type { Money } from '../workflows/contracts.ts';

/**
 * The card-payment boundary (BIL-5). Omurga keeps only the provider's token
 * of a card, never the card itself [000 §6.8, 003 §6.4.4-5]; every charge
 * carries an idempotency key, and a provider must answer a repeated key with
 * the stored result of the first request instead of charging again.
 */
export interface ChargeRequest {
  /** the provider's token for the stored card (format is the provider's) */
  token: string;
  amount: Money;
  /** see chargeIdempotencyKey */
  idempotencyKey: string;
  description: string;
  /** the organisation being charged */
  customerId: string;
}

export type ProviderResult =
  | { status: 'SUCCEEDED'; providerPaymentId: string }
  | { status: 'DECLINED'; declineCode: string; message?: string };

/**
 * Money back on a payment the provider made (issue 15). An operator's
 * decision, never automatic [000 §4.9, 003 §7.4]. A provider must answer a
 * repeated key with the first request's result and never refund twice.
 */
export interface RefundRequest {
  /** the payment's id as `charge` returned it */
  providerPaymentId: string;
  /** what the payment was for, in full: a provider may cancel (void) a whole payment on its day instead of refunding it */
  payment: Money & { paidAt: Date };
  amount: Money;
  idempotencyKey: string;
  reason: string;
}

export type RefundResult =
  | { status: 'SUCCEEDED'; providerRefundId: string; method: 'CANCEL' | 'REFUND' }
  | { status: 'FAILED'; failureCode: string; message?: string };

export interface PaymentProvider {
  /** stored with each payment attempt and matched against BillingAccount.paymentMethod.provider */
  readonly name: string;
  charge(request: ChargeRequest): Promise<ProviderResult>;
  /** What the provider recorded for this key, or null when it never received (or never finished) that charge. */
  lookup(idempotencyKey: string): Promise<ProviderResult | null>;
  refund(request: RefundRequest): Promise<RefundResult>;
}

/** The provider did not answer within the allowed time: whether it charged is unknown until a lookup says so. */
export class ProviderTimeoutError extends Error {
  override readonly name = 'ProviderTimeoutError';
  readonly provider: string;
  readonly timeoutMs: number;
  constructor(provider: string, timeoutMs: number) {
    super(`payment provider ${provider} did not answer within ${timeoutMs} ms`);
    this.provider = provider;
    this.timeoutMs = timeoutMs;
  }
}

/**
 * Runs `call` and rejects with ProviderTimeoutError when it has not settled
 * within `timeoutMs`. The call itself cannot be cancelled; its late answer is
 * dropped (and a late rejection is swallowed, so it is never unhandled).
 */
export function withTimeout<T>(call: () => Promise<T>, timeoutMs: number, provider: string): Promise<T> {
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new RangeError(`timeoutMs must be positive, got ${timeoutMs}`);
  let pending: Promise<T>;
  try {
    pending = call();
  } catch (error) {
    return Promise.reject(error);
  }
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new ProviderTimeoutError(provider, timeoutMs)), timeoutMs);
    pending.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

const KEY_PATTERN = /^([^/\s]+)\/attempt\/([1-9]\d*)$/;

/**
 * The idempotency key of collection attempt `attempt` (1-based) of an invoice:
 * `<invoiceId>/attempt/<n>`. An invoice belongs to one subscription period,
 * so this is the "key per subscription period and attempt" of BIL-5.
 */
export function chargeIdempotencyKey(invoiceId: string, attempt: number): string {
  const key = `${invoiceId}/attempt/${attempt}`;
  if (!Number.isSafeInteger(attempt) || !KEY_PATTERN.test(key)) {
    throw new RangeError(`no idempotency key for invoice ${JSON.stringify(invoiceId)} attempt ${attempt}`);
  }
  return key;
}

/** The invoice and attempt of a key made by chargeIdempotencyKey, or null for any other string. */
export function parseChargeIdempotencyKey(key: string): { invoiceId: string; attempt: number } | null {
  const match = KEY_PATTERN.exec(key);
  if (!match) return null;
  const attempt = Number(match[2]);
  return Number.isSafeInteger(attempt) ? { invoiceId: match[1]!, attempt } : null;
}
