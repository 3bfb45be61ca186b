import { createRequire } from 'node:module';
import type { CardCaptureResult, CardCaptureSession, CardCaptureStart, HostedCardCapture } from './card-capture.ts';
import { IyzicoApiError, iyzicoAmount, iyzicoBillingAddress, iyzicoBuyer, parseIyzicoToken, placeholderIyzicoCustomer, type IyzicoOptions } from './iyzico.ts';

/**
 * Hosted card capture through iyzico's Checkout Form (issue 15), as iyzico
 * documents it: `POST /payment/iyzipos/checkoutform/initialize/auth/ecom`
 * starts a session (forceThreeDS, the organisation's cardUserKey so the card
 * joins its wallet) and answers its token and paymentPageUrl; iyzico posts
 * the token to callbackUrl when the customer is done; `POST
 * /payment/iyzipos/checkoutform/auth/ecom/detail` with the token tells the
 * outcome, with cardUserKey and cardToken when the card was stored. The form
 * takes a payment, so the card is verified with a small amount
 * (`verificationAmountMinor`, 1.00 TRY by default) that is cancelled
 * (`POST /payment/cancel`) as soon as the card is stored. The stored token is
 * `<cardUserKey>:<cardToken>`, the format the iyzico PaymentProvider charges.
 * Card storage must be enabled on the merchant account.
 */
export interface IyzicoCardCaptureOptions extends IyzicoOptions {
  verificationAmountMinor?: number;
  /** told when the verification payment could not be cancelled (an operator refunds it); the card stays stored */
  warn?: (message: string) => void;
}

type Callback = (error: Error | null, body: unknown) => void;
interface CheckoutClient {
  checkoutFormInitialize: { create(request: Record<string, unknown>, callback: Callback): void };
  checkoutForm: { retrieve(request: Record<string, unknown>, callback: Callback): void };
  cancel: { create(request: Record<string, unknown>, callback: Callback): void };
}
const Iyzipay = createRequire(import.meta.url)('iyzipay') as new (config: { apiKey: string; secretKey: string; uri: string }) => CheckoutClient;

type Body = Record<string, unknown>;
const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);

export function createIyzicoCardCapture(options: IyzicoCardCaptureOptions): HostedCardCapture {
  const client = new Iyzipay({ apiKey: options.apiKey, secretKey: options.secretKey, uri: options.baseUrl });
  const customerOf = options.customer ?? placeholderIyzicoCustomer;
  const amount = iyzicoAmount(options.verificationAmountMinor ?? 100, 'TRY');
  const call = (run: (callback: Callback) => void) =>
    new Promise<Body>((resolve, reject) =>
      run((error, body) => {
        if (error) return reject(error);
        if (typeof body !== 'object' || body === null) return reject(new IyzicoApiError('iyzico: unreadable checkout form response', null));
        resolve(body as Body);
      }),
    );
  const failureOf = (body: Body) => new IyzicoApiError(`iyzico: ${text(body.errorMessage) ?? 'checkout form error'}${text(body.errorCode) ? ` (${String(body.errorCode)})` : ''}`, text(body.errorCode));

  return {
    provider: 'iyzico',

    async start(request: CardCaptureStart): Promise<CardCaptureSession> {
      const customer = await customerOf(request.organizationId);
      const cardUserKey = request.existingToken ? parseIyzicoToken(request.existingToken)?.cardUserKey : undefined;
      const body = await call((callback) =>
        client.checkoutFormInitialize.create(
          {
            locale: request.locale,
            conversationId: request.sessionId,
            price: amount,
            paidPrice: amount,
            currency: 'TRY',
            basketId: request.sessionId,
            paymentGroup: 'SUBSCRIPTION',
            callbackUrl: request.callbackUrl,
            forceThreeDS: 1,
            enabledInstallments: [1],
            ...(cardUserKey ? { cardUserKey } : {}),
            buyer: iyzicoBuyer(request.organizationId, customer),
            billingAddress: iyzicoBillingAddress(customer),
            basketItems: [{ id: 'CARD_VERIFICATION', name: 'Card verification (cancelled at once)', category1: 'Software subscription', itemType: 'VIRTUAL', price: amount }],
          },
          callback,
        ),
      );
      const token = text(body.token);
      const pageUrl = text(body.paymentPageUrl);
      if (body.status !== 'success' || !token || !pageUrl) throw failureOf(body);
      const seconds = typeof body.tokenExpireTime === 'number' ? body.tokenExpireTime : 1_800;
      return { token, pageUrl, expiresAt: new Date(Date.now() + seconds * 1_000) };
    },

    async result(token: string, sessionId: string): Promise<CardCaptureResult> {
      const body = await call((callback) => client.checkoutForm.retrieve({ locale: 'tr', conversationId: sessionId, token }, callback));
      if (body.status !== 'success') {
        if (text(body.errorCode) === null || ['1', '2', '1000', '1001'].includes(String(body.errorCode))) throw failureOf(body);
        return { status: 'FAILED', reason: String(body.errorCode) };
      }
      if (body.paymentStatus === 'FAILURE') return { status: 'FAILED', reason: text(body.mdStatus) ? `3ds_md_${String(body.mdStatus)}` : 'declined' };
      if (body.paymentStatus !== 'SUCCESS') return { status: 'PENDING' };
      const paymentId = text(body.paymentId) ?? (typeof body.paymentId === 'number' ? String(body.paymentId) : null);
      // The verification payment is given back at once. A repeated callback finds it cancelled already,
      // which iyzico answers with an error: the card is stored either way, so that is only reported.
      if (paymentId) {
        const cancelled = await call((callback) => client.cancel.create({ locale: 'tr', conversationId: `${sessionId}/verification`, paymentId, ip: '127.0.0.1', reason: 'other', description: 'card verification' }, callback));
        if (cancelled.status !== 'success') options.warn?.(`iyzico: card verification payment ${paymentId} not cancelled: ${failureOf(cancelled).message}`);
      }
      const cardUserKey = text(body.cardUserKey);
      const cardToken = text(body.cardToken);
      if (!cardUserKey || !cardToken) return { status: 'FAILED', reason: 'card_not_stored' };
      const association = text(body.cardAssociation)?.replace(/_/g, ' ') ?? 'CARD';
      const last4 = text(body.lastFourDigits);
      return { status: 'CAPTURED', paymentMethodToken: `${cardUserKey}:${cardToken}`, cardLabel: last4 ? `${association} •••• ${last4}` : association };
    },
  };
}
