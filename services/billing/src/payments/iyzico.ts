import { createRequire } from 'node:module';
import { parseChargeIdempotencyKey, type ChargeRequest, type PaymentProvider, type ProviderResult, type RefundRequest, type RefundResult } from './provider.ts';
import { refundMethod } from './refund-method.ts';

/**
 * The iyzico adapter (BIL-5): a licensed Turkish payment institution that
 * stores the card and hands Omurga a token [003 §6.4.4-5]. A charge is a
 * non-3DS payment with a stored card (`POST /payment/auth` with
 * `paymentCard: { cardUserKey, cardToken }`); the idempotency key travels as
 * the payment's `conversationId`, and a lookup is `POST /payment/detail` by
 * `paymentConversationId`.
 *
 * Token format: `<cardUserKey>:<cardToken>`, the two values iyzico's card
 * storage returns when a card is registered (the card user key identifies the
 * customer's card wallet, the card token one card in it).
 *
 * iyzico does not deduplicate requests itself (its payment services are
 * "non-idempotent"; conversationId only matches requests to responses), so
 * `charge` first looks the key up and replays a payment iyzico already has.
 * That check is not atomic against two simultaneous requests with one key;
 * chargeInvoice's claim on the attempt row prevents those.
 */

/** What iyzico requires to know about the buyer. See placeholderIyzicoCustomer. */
export interface IyzicoCustomer {
  name: string;
  surname: string;
  email: string;
  /** TCKN of the buyer; iyzico accepts 11111111111 where it is not collected (e.g. corporate buyers) */
  identityNumber: string;
  /** billing address: street, city and country as free text */
  address: string;
  city: string;
  country: string;
  zipCode?: string;
  /** the buyer's IP; a merchant-initiated renewal has none, so the merchant's */
  ip: string;
  gsmNumber?: string;
}

/**
 * Compliant placeholders for the buyer fields iyzico makes mandatory, used
 * until the organisation's billing profile (accounts) is passed in through
 * IyzicoOptions.customer. The buyer id is always the real organisation id.
 */
export function placeholderIyzicoCustomer(customerId: string): IyzicoCustomer {
  return {
    name: 'Omurga',
    surname: 'Müşterisi',
    email: `billing+${customerId.replace(/[^A-Za-z0-9._-]/g, '')}@omurga.invalid`,
    identityNumber: '11111111111',
    address: 'Kayıtlı fatura adresi',
    city: 'Istanbul',
    country: 'Turkey',
    ip: '127.0.0.1',
  };
}

export interface IyzicoOptions {
  apiKey: string;
  secretKey: string;
  /** https://sandbox-api.iyzipay.com or https://api.iyzipay.com */
  baseUrl: string;
  locale?: 'tr' | 'en';
  /** the merchant's IP, which iyzico requires on cancels and refunds (an operator's decision, made on the merchant's side) */
  merchantIp?: string;
  /** the buyer details for an organisation; placeholders by default */
  customer?: (customerId: string) => IyzicoCustomer | Promise<IyzicoCustomer>;
}

/** iyzico answered with an error that says nothing about the card (system or authentication error): retry, do not decline. */
export class IyzicoApiError extends Error {
  override readonly name = 'IyzicoApiError';
  readonly errorCode: string | null;
  constructor(message: string, errorCode: string | null) {
    super(message);
    this.errorCode = errorCode;
  }
}

/**
 * Failures on iyzico's or the merchant's side, never the customer's card:
 * 1 and 2 "System error occurred", 1000 "Geçersiz imza" (invalid signature),
 * 1001 "api bilgileri bulunamadı" (unknown API key). Every other failure of a
 * payment is a decline (bank errors 10xxx, card-storage errors 3xxx, ...).
 */
const NOT_A_DECLINE_CODES = new Set(['1', '2', '1000', '1001']);

/** The currencies iyzico settles that Omurga bills in, with their minor-unit digits. */
const CURRENCY_DIGITS: Record<string, number> = { TRY: 2, USD: 2, EUR: 2, GBP: 2 };

/** 12000 TRY → '120.00': exact (BigInt), never through a float. */
export function iyzicoAmount(amountMinor: number, currency: string): string {
  const digits = CURRENCY_DIGITS[currency];
  if (digits === undefined) throw new RangeError(`iyzico: unsupported currency ${currency}`);
  if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0) throw new RangeError(`iyzico: amount must be a positive integer of minor units, got ${amountMinor}`);
  const scale = 10n ** BigInt(digits);
  const minor = BigInt(amountMinor);
  return `${minor / scale}.${(minor % scale).toString().padStart(digits, '0')}`;
}

/** `<cardUserKey>:<cardToken>` → its parts, or null when the token is not in that format. */
export function parseIyzicoToken(token: string): { cardUserKey: string; cardToken: string } | null {
  const separator = token.indexOf(':');
  if (separator <= 0 || separator === token.length - 1) return null;
  const cardUserKey = token.slice(0, separator);
  const cardToken = token.slice(separator + 1);
  return cardToken.includes(':') ? null : { cardUserKey, cardToken };
}

/** iyzico's buyer object for an organisation (`id`) described by `customer`. */
export function iyzicoBuyer(id: string, customer: IyzicoCustomer) {
  return {
    id,
    name: customer.name,
    surname: customer.surname,
    gsmNumber: customer.gsmNumber,
    email: customer.email,
    identityNumber: customer.identityNumber,
    registrationAddress: customer.address,
    ip: customer.ip,
    city: customer.city,
    country: customer.country,
    zipCode: customer.zipCode,
  };
}

/** iyzico's billing address of `customer`. */
export function iyzicoBillingAddress(customer: IyzicoCustomer) {
  return { contactName: `${customer.name} ${customer.surname}`, city: customer.city, country: customer.country, address: customer.address, zipCode: customer.zipCode };
}

// The iyzipay SDK is CommonJS without types; this is the part of it used here.
type IyzipayCallback = (error: Error | null, body: unknown) => void;
interface IyzipayClient {
  payment: {
    create(request: Record<string, unknown>, callback: IyzipayCallback): void;
    retrieve(request: Record<string, unknown>, callback: IyzipayCallback): void;
  };
  cancel: { create(request: Record<string, unknown>, callback: IyzipayCallback): void };
  refund: { create(request: Record<string, unknown>, callback: IyzipayCallback): void };
}
type IyzipayConstructor = new (config: { apiKey: string; secretKey: string; uri: string }) => IyzipayClient;
const Iyzipay = createRequire(import.meta.url)('iyzipay') as IyzipayConstructor;

/** The fields of iyzico's payment and payment-detail responses that the adapter reads. */
interface IyzicoResponse {
  status?: unknown;
  errorCode?: unknown;
  errorMessage?: unknown;
  paymentId?: unknown;
  paymentStatus?: unknown;
  paymentTransactionId?: unknown;
  itemTransactions?: unknown;
}

export function createIyzicoProvider(options: IyzicoOptions): PaymentProvider {
  const client = new Iyzipay({ apiKey: options.apiKey, secretKey: options.secretKey, uri: options.baseUrl });
  const locale = options.locale ?? 'tr';
  const customerOf = options.customer ?? placeholderIyzicoCustomer;

  const call = (method: 'create' | 'retrieve' | 'cancel' | 'refund', request: Record<string, unknown>) =>
    new Promise<IyzicoResponse>((resolve, reject) => {
      const send = method === 'cancel' || method === 'refund' ? client[method].create.bind(client[method]) : client.payment[method].bind(client.payment);
      send(request, (error, body) => {
        if (error) return reject(error);
        if (typeof body !== 'object' || body === null) return reject(new IyzicoApiError(`iyzico: unreadable ${method} response`, null));
        resolve(body as IyzicoResponse);
      });
    });

  async function lookup(idempotencyKey: string): Promise<ProviderResult | null> {
    const response = await call('retrieve', { locale, conversationId: idempotencyKey, paymentConversationId: idempotencyKey });
    if (response.status !== 'success') {
      throwIfNotADecline(response);
      // any other failure: iyzico has no payment under this conversationId
      return null;
    }
    if (response.paymentStatus === 'FAILURE') return declined(response);
    // 3DS states (INIT_THREEDS, CALLBACK_THREEDS) are payments that never completed
    if (response.paymentStatus !== undefined && response.paymentStatus !== 'SUCCESS') return null;
    return succeeded(response);
  }

  async function charge(request: ChargeRequest): Promise<ProviderResult> {
    const card = parseIyzicoToken(request.token);
    if (!card) return { status: 'DECLINED', declineCode: 'invalid_token', message: 'not an iyzico <cardUserKey>:<cardToken> token' };
    const price = iyzicoAmount(request.amount.amountMinor, request.amount.currency);

    const earlier = await lookup(request.idempotencyKey);
    if (earlier) return earlier;

    const customer = await customerOf(request.customerId);
    const basketId = parseChargeIdempotencyKey(request.idempotencyKey)?.invoiceId ?? request.idempotencyKey;
    const address = iyzicoBillingAddress(customer);
    const response = await call('create', {
      locale,
      conversationId: request.idempotencyKey,
      price,
      paidPrice: price,
      currency: request.amount.currency,
      installment: '1',
      basketId,
      paymentChannel: 'WEB',
      paymentGroup: 'SUBSCRIPTION',
      paymentCard: card,
      buyer: iyzicoBuyer(request.customerId, customer),
      // a virtual (service) basket needs no shipping address
      billingAddress: address,
      basketItems: [{ id: basketId, name: request.description, category1: 'Software subscription', itemType: 'VIRTUAL', price }],
    });
    if (response.status === 'success') return succeeded(response);
    throwIfNotADecline(response);
    return declined(response);
  }

  /**
   * iyzico's documented ways back: `POST /payment/cancel` (paymentId) voids a
   * whole payment on its day; `POST /payment/refund` returns an amount of one
   * basket item's transaction (paymentTransactionId, read from the payment's
   * detail; Omurga's payments have one item). The key travels as the
   * conversationId. iyzico does not deduplicate: the caller (refundInvoice)
   * lets one request per key through.
   */
  async function refund(request: RefundRequest): Promise<RefundResult> {
    const method = refundMethod(request.payment, request.amount, new Date());
    const common = { locale, conversationId: request.idempotencyKey, ip: options.merchantIp ?? '127.0.0.1', reason: 'other', description: request.reason.slice(0, 200) };
    let response: IyzicoResponse;
    if (method === 'CANCEL') {
      response = await call('cancel', { ...common, paymentId: request.providerPaymentId });
    } else {
      const payment = await call('retrieve', { locale, conversationId: request.idempotencyKey, paymentId: request.providerPaymentId });
      if (payment.status !== 'success') {
        throwIfNotADecline(payment);
        return failed(payment);
      }
      const item = Array.isArray(payment.itemTransactions) ? (payment.itemTransactions[0] as { paymentTransactionId?: unknown } | undefined) : undefined;
      const transactionId = item?.paymentTransactionId;
      if (typeof transactionId !== 'string' && typeof transactionId !== 'number') throw new IyzicoApiError('iyzico: payment without a transaction to refund', null);
      response = await call('refund', {
        ...common,
        paymentTransactionId: String(transactionId),
        price: iyzicoAmount(request.amount.amountMinor, request.amount.currency),
        currency: request.amount.currency,
      });
    }
    if (response.status !== 'success') {
      throwIfNotADecline(response);
      return failed(response);
    }
    const id = response.paymentTransactionId ?? response.paymentId;
    if ((typeof id !== 'string' && typeof id !== 'number') || id === '') throw new IyzicoApiError(`iyzico: ${method.toLowerCase()} answered without an id`, null);
    return { status: 'SUCCEEDED', providerRefundId: String(id), method };
  }

  return { name: 'iyzico', charge, lookup, refund };
}

function failed(response: IyzicoResponse): RefundResult {
  const code = typeof response.errorCode === 'string' && response.errorCode ? response.errorCode : 'refund_failed';
  return typeof response.errorMessage === 'string' ? { status: 'FAILED', failureCode: code, message: response.errorMessage } : { status: 'FAILED', failureCode: code };
}

function succeeded(response: IyzicoResponse): ProviderResult {
  const id = response.paymentId;
  if ((typeof id !== 'string' && typeof id !== 'number') || id === '') throw new IyzicoApiError('iyzico: successful payment without a paymentId', null);
  return { status: 'SUCCEEDED', providerPaymentId: String(id) };
}

function declined(response: IyzicoResponse): ProviderResult {
  const code = typeof response.errorCode === 'string' && response.errorCode ? response.errorCode : 'declined';
  return typeof response.errorMessage === 'string'
    ? { status: 'DECLINED', declineCode: code, message: response.errorMessage }
    : { status: 'DECLINED', declineCode: code };
}

function throwIfNotADecline(response: IyzicoResponse) {
  if (response.status !== 'failure') throw new IyzicoApiError(`iyzico: unexpected status ${String(response.status)}`, null);
  const code = typeof response.errorCode === 'string' ? response.errorCode : null;
  if (code === null || NOT_A_DECLINE_CODES.has(code)) {
    const message = typeof response.errorMessage === 'string' ? response.errorMessage : 'error without a code';
    throw new IyzicoApiError(`iyzico: ${message}${code ? ` (${code})` : ''}`, code);
  }
}
