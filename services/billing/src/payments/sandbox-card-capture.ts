import { randomBytes } from 'node:crypto';
import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';
import type { CardCaptureResult, CardCaptureSession, CardCaptureStart, HostedCardCapture } from './card-capture.ts';

/**
 * The sandbox provider's hosted card page (issue 15): what iyzico's checkout
 * form does, served by billing itself under /card-capture/sandbox/<token>
 * (sandbox-card-page.ts). The card number is checked and dropped at once:
 * this "provider" keeps only a label (brand and last four digits) and issues
 * a token the sandbox PaymentProvider charges. Its sessions live in billing's
 * database so a restart does not lose them, as a provider's would not.
 */
export const SANDBOX_CARDS = {
  /** succeeds after 3-D Secure */
  visa: '4111111111111111',
  /** succeeds after 3-D Secure */
  mastercard: '5555555555554444',
  /** the issuer declines it before 3-D Secure */
  declined: '4000000000000002',
} as const;
/** the one-time code the sandbox's 3-D Secure step accepts */
export const SANDBOX_3DS_CODE = '123456';
/** tokens of cards captured through the sandbox page: the sandbox PaymentProvider charges them successfully */
export const SANDBOX_CAPTURED_TOKEN_PREFIX = 'sandbox_card_';
export const SANDBOX_3DS_MAX_ATTEMPTS = 3;
const SESSION_MINUTES = 15;

const sandboxCardSessionSchema = new Schema(
  {
    token: { type: String, required: true },
    sessionId: { type: String, required: true },
    callbackUrl: { type: String, required: true },
    /** FORM → THREE_DS → CAPTURED, or FAILED */
    status: { type: String, enum: ['FORM', 'THREE_DS', 'CAPTURED', 'FAILED'], required: true },
    locale: { type: String, default: 'tr' },
    cardLabel: { type: String, default: null },
    cardToken: { type: String, default: null },
    failure: { type: String, default: null },
    threeDsAttempts: { type: Number, default: 0 },
    expiresAt: { type: Date, required: true },
  },
  { timestamps: true, collection: 'sandbox_card_sessions' },
);
sandboxCardSessionSchema.index({ token: 1 }, { unique: true });

export type SandboxCardSessionDoc = InferSchemaType<typeof sandboxCardSessionSchema>;

export function sandboxCardSessionModel(db: Connection): Model<SandboxCardSessionDoc> {
  return (db.models.SandboxCardSession as Model<SandboxCardSessionDoc> | undefined) ?? db.model('SandboxCardSession', sandboxCardSessionSchema);
}

/** The Luhn check digit rule every card number satisfies. */
export function passesLuhn(digits: string): boolean {
  if (!/^\d{12,19}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

export function cardBrand(digits: string): string {
  if (digits.startsWith('4')) return 'VISA';
  if (/^5[1-5]/.test(digits) || /^2[2-7]/.test(digits)) return 'MASTERCARD';
  if (/^3[47]/.test(digits)) return 'AMEX';
  if (digits.startsWith('9792')) return 'TROY';
  return 'CARD';
}

/** `publicBaseUrl` is where browsers reach the platform (PUBLIC_APP_URL); the page is proxied to billing from there. */
export function createSandboxCardCapture(db: Connection, publicBaseUrl: string): HostedCardCapture {
  const sessions = sandboxCardSessionModel(db);
  const base = publicBaseUrl.replace(/\/+$/, '');
  return {
    provider: 'sandbox',
    async start(request: CardCaptureStart): Promise<CardCaptureSession> {
      const token = randomBytes(16).toString('hex');
      const expiresAt = new Date(Date.now() + SESSION_MINUTES * 60_000);
      await sessions.create({ token, sessionId: request.sessionId, callbackUrl: request.callbackUrl, status: 'FORM', locale: request.locale, expiresAt });
      return { token, pageUrl: `${base}/card-capture/sandbox/${token}`, expiresAt };
    },
    async result(token: string): Promise<CardCaptureResult> {
      const session = await sessions.findOne({ token }).lean();
      if (!session) return { status: 'FAILED', reason: 'unknown_session' };
      if (session.status === 'CAPTURED' && session.cardToken) return { status: 'CAPTURED', paymentMethodToken: session.cardToken, cardLabel: session.cardLabel ?? null };
      if (session.status === 'FAILED') return { status: 'FAILED', reason: session.failure ?? 'failed' };
      if (session.expiresAt.getTime() <= Date.now()) return { status: 'FAILED', reason: 'expired' };
      return { status: 'PENDING' };
    },
  };
}

/** A new token for a captured sandbox card. */
export function sandboxCardToken(): string {
  return `${SANDBOX_CAPTURED_TOKEN_PREFIX}${randomBytes(12).toString('hex')}`;
}
