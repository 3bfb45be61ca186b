// Issue 15: hosted card capture. iyzico's Checkout Form against a local server
// answering iyzico-shaped responses (no network): what the adapter sends to
// start a session, and how it reads the outcome by token into a stored-card
// token. And the sandbox page's card checks.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createIyzicoCardCapture } from '../../../src/payments/iyzico-card-capture.ts';
import { cardBrand, passesLuhn, SANDBOX_CARDS } from '../../../src/payments/sandbox-card-capture.ts';
import { IyzicoApiError } from '../../../src/payments/iyzico.ts';

const INITIALIZE = '/payment/iyzipos/checkoutform/initialize/auth/ecom';
const RETRIEVE = '/payment/iyzipos/checkoutform/auth/ecom/detail';
const CANCEL = '/payment/cancel';

/** Answers each path with the next body queued for it. */
class FakeCheckoutForm {
  readonly received: { path: string; body: Record<string, any> }[] = [];
  private readonly queues = new Map<string, unknown[]>();
  private server!: Server;
  url = '';
  answer(path: string, ...bodies: unknown[]) {
    this.queues.set(path, [...(this.queues.get(path) ?? []), ...bodies]);
  }
  bodiesTo(path: string) {
    return this.received.filter((r) => r.path === path).map((r) => r.body);
  }
  async start() {
    this.server = createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk) => (raw += chunk));
      req.on('end', () => {
        this.received.push({ path: req.url ?? '', body: JSON.parse(raw) });
        const next = this.queues.get(req.url ?? '')?.shift();
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(next ?? { status: 'failure', errorCode: '1', errorMessage: 'System error' }));
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

let iyzico: FakeCheckoutForm;
let warnings: string[];
const capture = () => createIyzicoCardCapture({ apiKey: 'k', secretKey: 's', baseUrl: iyzico.url, warn: (m) => warnings.push(m) });
const start = { sessionId: '665f1c2a9b1e4a0012345678', organizationId: '665f1c2a9b1e4a00aaaaaaaa', callbackUrl: 'https://app.example.com/card-capture/callback', locale: 'tr' as const };

beforeEach(async () => {
  iyzico = new FakeCheckoutForm();
  warnings = [];
  await iyzico.start();
});
afterEach(() => iyzico.stop());

describe('iyzico Checkout Form card capture (issue 15)', () => {
  it('starts a 3-D Secure session for a small verification amount, with the wallet of the stored card', async () => {
    iyzico.answer(INITIALIZE, { status: 'success', token: '077aff05-1e9b-44aa-aa11-c268bb8b3826', paymentPageUrl: 'https://sandbox-cpp.iyzipay.com?token=077aff05', tokenExpireTime: 1800 });
    const session = await capture().start({ ...start, existingToken: 'cuk_wallet:ctk_old' });
    expect(session.token).toBe('077aff05-1e9b-44aa-aa11-c268bb8b3826');
    expect(session.pageUrl).toBe('https://sandbox-cpp.iyzipay.com?token=077aff05');
    expect(session.expiresAt.getTime()).toBeGreaterThan(Date.now() + 1_700_000);
    const [body] = iyzico.bodiesTo(INITIALIZE);
    expect(body).toMatchObject({
      conversationId: start.sessionId,
      basketId: start.sessionId,
      price: '1.0',
      paidPrice: '1.0',
      currency: 'TRY',
      callbackUrl: start.callbackUrl,
      forceThreeDS: 1,
      cardUserKey: 'cuk_wallet',
      buyer: { id: start.organizationId },
    });
    expect(JSON.stringify(body)).not.toContain('ctk_old');
  });

  it('an initialisation error is thrown, not taken for a session', async () => {
    iyzico.answer(INITIALIZE, { status: 'failure', errorCode: '1001', errorMessage: 'api bilgileri bulunamadı' });
    await expect(capture().start(start)).rejects.toBeInstanceOf(IyzicoApiError);
  });

  it('a stored card becomes <cardUserKey>:<cardToken>; the verification payment is cancelled', async () => {
    iyzico.answer(RETRIEVE, { status: 'success', paymentStatus: 'SUCCESS', paymentId: '25149157', cardUserKey: 'cuk_new', cardToken: 'ctk_new', lastFourDigits: '0008', cardAssociation: 'MASTER_CARD' });
    iyzico.answer(CANCEL, { status: 'success', paymentId: '25149157' });
    const result = await capture().result('077aff05-1e9b-44aa-aa11-c268bb8b3826', start.sessionId);
    expect(result).toEqual({ status: 'CAPTURED', paymentMethodToken: 'cuk_new:ctk_new', cardLabel: 'MASTER CARD •••• 0008' });
    expect(iyzico.bodiesTo(RETRIEVE)[0]).toMatchObject({ token: '077aff05-1e9b-44aa-aa11-c268bb8b3826', conversationId: start.sessionId });
    expect(iyzico.bodiesTo(CANCEL)[0]).toMatchObject({ paymentId: '25149157' });
    expect(warnings).toEqual([]);
  });

  it('a failed 3-D Secure, a card not stored, an unfinished form, a cancel refused', async () => {
    iyzico.answer(RETRIEVE, { status: 'success', paymentStatus: 'FAILURE', mdStatus: '0' });
    expect(await capture().result('t'.repeat(20), start.sessionId)).toEqual({ status: 'FAILED', reason: '3ds_md_0' });
    iyzico.answer(RETRIEVE, { status: 'success', paymentStatus: 'SUCCESS', paymentId: '1' });
    iyzico.answer(CANCEL, { status: 'failure', errorCode: '5092', errorMessage: 'already cancelled' });
    expect(await capture().result('t'.repeat(20), start.sessionId)).toEqual({ status: 'FAILED', reason: 'card_not_stored' });
    expect(warnings).toHaveLength(1);
    iyzico.answer(RETRIEVE, { status: 'success', paymentStatus: 'INIT_THREEDS' });
    expect(await capture().result('t'.repeat(20), start.sessionId)).toEqual({ status: 'PENDING' });
    iyzico.answer(RETRIEVE, { status: 'failure', errorCode: '1', errorMessage: 'System error' });
    await expect(capture().result('t'.repeat(20), start.sessionId)).rejects.toBeInstanceOf(IyzicoApiError);
  });
});

describe('sandbox hosted page checks', () => {
  it('Luhn and brands of the test cards', () => {
    expect(Object.values(SANDBOX_CARDS).every(passesLuhn)).toBe(true);
    expect(passesLuhn('4111111111111112')).toBe(false);
    expect(passesLuhn('41111')).toBe(false);
    expect([cardBrand(SANDBOX_CARDS.visa), cardBrand(SANDBOX_CARDS.mastercard), cardBrand('9792000000000001')]).toEqual(['VISA', 'MASTERCARD', 'TROY']);
  });
});
