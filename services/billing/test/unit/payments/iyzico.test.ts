// BIL-5: the iyzico adapter against a local server that answers with iyzico-shaped
// responses (fixtures/); no network. Checks what the adapter sends (signed
// request, exact amount strings, conversationId = idempotency key, stored-card
// token fields only [000 §6.8]) and how it maps the answers.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IyzicoApiError, createIyzicoProvider, iyzicoAmount, parseIyzicoToken, placeholderIyzicoCustomer } from '../../../src/payments/iyzico.ts';
import { ProviderTimeoutError, chargeIdempotencyKey, withTimeout, type ChargeRequest, type PaymentProvider, type RefundRequest } from '../../../src/payments/provider.ts';

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, 'fixtures', `${name}.json`), 'utf8');

const API_KEY = 'sandbox-test-api-key';
const SECRET_KEY = 'sandbox-test-secret-key';
const INVOICE_ID = '665f1c2a9b1e4a0012345678';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  body: Record<string, any>;
}

/** Answers each path with the next fixture queued for it; a path with nothing queued hangs. */
class FakeIyzico {
  readonly received: Received[] = [];
  private readonly queues = new Map<string, string[]>();
  private server!: Server;
  url = '';

  answer(pathname: '/payment/auth' | '/payment/detail' | '/payment/cancel' | '/payment/refund', ...fixtures: string[]) {
    this.queues.set(pathname, [...(this.queues.get(pathname) ?? []), ...fixtures.map(fixture)]);
  }

  requestsTo(pathname: string) {
    return this.received.filter((r) => r.path === pathname);
  }

  async start() {
    this.server = createServer((req, res) => {
      let raw = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (raw += chunk));
      req.on('end', () => {
        const pathname = req.url ?? '';
        this.received.push({ path: pathname, headers: req.headers, raw, body: JSON.parse(raw) });
        const next = this.queues.get(pathname)?.shift();
        if (next === undefined) return; // never answers
        res.writeHead(200, { 'content-type': 'application/json' }).end(next);
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop() {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

let iyzico: FakeIyzico;
let provider: PaymentProvider;

beforeEach(async () => {
  iyzico = new FakeIyzico();
  await iyzico.start();
  provider = createIyzicoProvider({ apiKey: API_KEY, secretKey: SECRET_KEY, baseUrl: iyzico.url });
});
afterEach(() => iyzico.stop());

const chargeRequest = (overrides: Partial<ChargeRequest> = {}): ChargeRequest => ({
  token: 'cuk_3hF9pL2wQe:ctk_7Q2mVb8XyZ',
  amount: { amountMinor: 123_456, currency: 'TRY' },
  idempotencyKey: chargeIdempotencyKey(INVOICE_ID, 1),
  description: 'Invoice OMR2026000000042',
  customerId: 'org_7f3a',
  ...overrides,
});

/** The IYZWSv2 header: base64 of apiKey, randomKey and the HMAC-SHA256 of randomKey + path + body. */
function expectSignedWithOurKeys(request: Received) {
  const header = String(request.headers.authorization);
  expect(header.startsWith('IYZWSv2 ')).toBe(true);
  const decoded = Buffer.from(header.slice('IYZWSv2 '.length), 'base64').toString('utf8');
  const parts = Object.fromEntries(decoded.split('&').map((pair) => [pair.slice(0, pair.indexOf(':')), pair.slice(pair.indexOf(':') + 1)]));
  expect(parts.apiKey).toBe(API_KEY);
  const expected = createHmac('sha256', SECRET_KEY).update(`${parts.randomKey}${request.path}${request.raw}`).digest('hex');
  expect(parts.signature).toBe(expected);
}

describe('iyzico charge (BIL-5)', () => {
  it('charges a stored card: looks the key up first, then sends the payment with exact amounts and the card token only', async () => {
    iyzico.answer('/payment/detail', 'payment-detail-not-found');
    iyzico.answer('/payment/auth', 'payment-auth-success');

    const result = await provider.charge(chargeRequest());

    expect(result).toEqual({ status: 'SUCCEEDED', providerPaymentId: '25149157' });
    expect(iyzico.received.map((r) => r.path)).toEqual(['/payment/detail', '/payment/auth']);

    const [detail] = iyzico.requestsTo('/payment/detail');
    expect(detail!.body).toMatchObject({ paymentConversationId: `${INVOICE_ID}/attempt/1`, conversationId: `${INVOICE_ID}/attempt/1` });

    const [auth] = iyzico.requestsTo('/payment/auth');
    const body = auth!.body;
    expect(body).toMatchObject({
      locale: 'tr',
      conversationId: `${INVOICE_ID}/attempt/1`,
      // 123456 kuruş; the iyzipay SDK sends '1234.56' as given and drops trailing zeros ('120.00' → '120.0')
      price: '1234.56',
      paidPrice: '1234.56',
      currency: 'TRY',
      installment: '1',
      basketId: INVOICE_ID,
      paymentGroup: 'SUBSCRIPTION',
      paymentCard: { cardUserKey: 'cuk_3hF9pL2wQe', cardToken: 'ctk_7Q2mVb8XyZ' },
      buyer: { id: 'org_7f3a', identityNumber: '11111111111' },
      billingAddress: { contactName: 'Omurga Müşterisi', country: 'Turkey' },
    });
    // the card itself never leaves Omurga, because Omurga never has it [000 §6.8]
    expect(Object.keys(body.paymentCard).sort()).toEqual(['cardToken', 'cardUserKey']);
    expect(body.basketItems).toEqual([
      { id: INVOICE_ID, name: 'Invoice OMR2026000000042', category1: 'Software subscription', itemType: 'VIRTUAL', price: '1234.56' },
    ]);
    expect(body.shippingAddress).toBeUndefined();
    expectSignedWithOurKeys(auth!);
    expectSignedWithOurKeys(detail!);
  });

  it('sends a whole-lira amount as the decimal the SDK normalises, never a float of kuruş', async () => {
    iyzico.answer('/payment/detail', 'payment-detail-not-found');
    iyzico.answer('/payment/auth', 'payment-auth-success');
    await provider.charge(chargeRequest({ amount: { amountMinor: 12_000, currency: 'TRY' } }));
    const [auth] = iyzico.requestsTo('/payment/auth');
    expect(auth!.body.price).toBe('120.0');
    expect(auth!.body.paidPrice).toBe('120.0');
    expect(auth!.body.basketItems[0].price).toBe('120.0');
  });

  it('maps a bank decline to DECLINED with iyzico\'s error code and message', async () => {
    iyzico.answer('/payment/detail', 'payment-detail-not-found');
    iyzico.answer('/payment/auth', 'payment-auth-failure-10051');
    const result = await provider.charge(chargeRequest({ idempotencyKey: chargeIdempotencyKey(INVOICE_ID, 2) }));
    expect(result).toEqual({ status: 'DECLINED', declineCode: '10051', message: 'Kart limiti yetersiz, yetersiz bakiye' });
  });

  it('replays a payment iyzico already has for the key instead of charging again (iyzico itself is not idempotent)', async () => {
    iyzico.answer('/payment/detail', 'payment-detail-success');
    const result = await provider.charge(chargeRequest());
    expect(result).toEqual({ status: 'SUCCEEDED', providerPaymentId: '25149157' });
    expect(iyzico.requestsTo('/payment/auth')).toHaveLength(0);
  });

  it.each([
    ['a system error', 'payment-auth-system-error', '1'],
    ['an invalid signature (merchant configuration)', 'payment-auth-invalid-signature', '1000'],
  ])('throws on %s instead of declining the customer\'s card', async (_, name, code) => {
    iyzico.answer('/payment/detail', 'payment-detail-not-found');
    iyzico.answer('/payment/auth', name);
    const error = await provider.charge(chargeRequest()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IyzicoApiError);
    expect((error as IyzicoApiError).errorCode).toBe(code);
  });

  it('declines a token that is not <cardUserKey>:<cardToken> without calling iyzico', async () => {
    const result = await provider.charge(chargeRequest({ token: 'sandbox_ok' }));
    expect(result).toMatchObject({ status: 'DECLINED', declineCode: 'invalid_token' });
    expect(iyzico.received).toHaveLength(0);
  });

  it('is cut off by withTimeout when iyzico does not answer', async () => {
    iyzico.answer('/payment/detail', 'payment-detail-not-found');
    // nothing queued for /payment/auth: the server keeps the request open
    const error = await withTimeout(() => provider.charge(chargeRequest()), 300, provider.name).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderTimeoutError);
  });
});

describe('iyzico lookup (BIL-5 reconciliation)', () => {
  it('finds a successful payment by its conversation id', async () => {
    iyzico.answer('/payment/detail', 'payment-detail-success');
    expect(await provider.lookup(`${INVOICE_ID}/attempt/1`)).toEqual({ status: 'SUCCEEDED', providerPaymentId: '25149157' });
    expect(iyzico.received[0]!.body.paymentConversationId).toBe(`${INVOICE_ID}/attempt/1`);
  });

  it('reports a failed payment as DECLINED', async () => {
    iyzico.answer('/payment/detail', 'payment-detail-declined');
    expect(await provider.lookup(`${INVOICE_ID}/attempt/2`)).toEqual({
      status: 'DECLINED',
      declineCode: '10051',
      message: 'Kart limiti yetersiz, yetersiz bakiye',
    });
  });

  it('returns null when iyzico has no payment for the key', async () => {
    iyzico.answer('/payment/detail', 'payment-detail-not-found');
    expect(await provider.lookup(`${INVOICE_ID}/attempt/3`)).toBeNull();
  });

  it('throws on a system error rather than claiming there is no payment', async () => {
    iyzico.answer('/payment/detail', 'payment-auth-system-error');
    await expect(provider.lookup(`${INVOICE_ID}/attempt/1`)).rejects.toBeInstanceOf(IyzicoApiError);
  });
});

describe('iyzico amounts and tokens', () => {
  it('turns minor units into decimal strings exactly (BIL-2)', () => {
    expect(iyzicoAmount(12_000, 'TRY')).toBe('120.00');
    expect(iyzicoAmount(5, 'USD')).toBe('0.05');
    expect(iyzicoAmount(1_999, 'EUR')).toBe('19.99');
    expect(iyzicoAmount(9_007_199_254_740_991, 'TRY')).toBe('90071992547409.91');
  });

  it.each([[0], [-100], [12.5], [Number.NaN]])('refuses the amount %s', (amount) => {
    expect(() => iyzicoAmount(amount, 'TRY')).toThrow(RangeError);
  });

  it('refuses a currency iyzico is not used for here', () => {
    expect(() => iyzicoAmount(100, 'JPY')).toThrow(/unsupported currency JPY/);
  });

  it('parses <cardUserKey>:<cardToken> and nothing else', () => {
    expect(parseIyzicoToken('cuk:ctk')).toEqual({ cardUserKey: 'cuk', cardToken: 'ctk' });
    for (const token of ['', 'cuk', ':ctk', 'cuk:', 'a:b:c']) expect(parseIyzicoToken(token)).toBeNull();
  });

  it('fills buyer placeholders with the real organisation id and a syntactically valid e-mail', () => {
    const customer = placeholderIyzicoCustomer('org/7f 3a');
    expect(customer.email).toBe('billing+org7f3a@omurga.invalid');
    expect(customer.identityNumber).toMatch(/^\d{11}$/);
  });
});

describe('iyzico refunds (issue 15)', () => {
  const refundRequest = (overrides: Partial<RefundRequest> = {}): RefundRequest => ({
    providerPaymentId: '25149157',
    payment: { amountMinor: 123_456, currency: 'TRY', paidAt: new Date() },
    amount: { amountMinor: 123_456, currency: 'TRY' },
    idempotencyKey: `refund/${INVOICE_ID}/op-key-0001`,
    reason: 'Billed twice',
    ...overrides,
  });

  it('the whole payment on its day is cancelled (POST /payment/cancel by paymentId), signed, with the key as conversationId', async () => {
    iyzico.answer('/payment/cancel', 'payment-cancel-success');
    const result = await provider.refund(refundRequest());
    expect(result).toEqual({ status: 'SUCCEEDED', providerRefundId: '25149157', method: 'CANCEL' });
    const [cancel] = iyzico.requestsTo('/payment/cancel');
    expect(cancel!.body).toMatchObject({ paymentId: '25149157', conversationId: `refund/${INVOICE_ID}/op-key-0001`, reason: 'other', description: 'Billed twice' });
    expectSignedWithOurKeys(cancel!);
  });

  it("a part, or a later day, is refunded (POST /payment/refund) on the payment's transaction, read from its detail", async () => {
    iyzico.answer('/payment/detail', 'payment-detail-success');
    iyzico.answer('/payment/refund', 'payment-refund-success');
    const result = await provider.refund(refundRequest({ amount: { amountMinor: 100_50, currency: 'TRY' }, idempotencyKey: `refund/${INVOICE_ID}/op-key-0002` }));
    expect(result).toEqual({ status: 'SUCCEEDED', providerRefundId: '27203418', method: 'REFUND' });
    expect(iyzico.received.map((r) => r.path)).toEqual(['/payment/detail', '/payment/refund']);
    const [refund] = iyzico.requestsTo('/payment/refund');
    expect(refund!.body).toMatchObject({ paymentTransactionId: '27203418', price: '100.5', currency: 'TRY', conversationId: `refund/${INVOICE_ID}/op-key-0002` });
  });

  it("iyzico's refusal is a FAILED refund with its code; a system error is thrown (retry, do not report a refusal)", async () => {
    iyzico.answer('/payment/detail', 'payment-detail-success', 'payment-detail-success');
    iyzico.answer('/payment/refund', 'payment-refund-failure', 'payment-auth-system-error');
    const yesterday = { amountMinor: 123_456, currency: 'TRY', paidAt: new Date(Date.now() - 2 * 86_400_000) };
    expect(await provider.refund(refundRequest({ payment: yesterday }))).toMatchObject({ status: 'FAILED', failureCode: '5093' });
    await expect(provider.refund(refundRequest({ payment: yesterday }))).rejects.toBeInstanceOf(IyzicoApiError);
  });
});
