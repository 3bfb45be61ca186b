/**
 * Hosted card capture (issue 15): the customer types the card on the payment
 * provider's own page, never on Omurga's, and Omurga keeps only the token the
 * provider returns [000 §6.8, 003 §6.4.4-5]. A session is started with a
 * callback URL; the provider sends the customer's browser back there with the
 * session token, and the outcome is then asked of the provider by that token,
 * never read from what the browser posted.
 */
export interface CardCaptureStart {
  /** Omurga's session id: iyzico's conversationId / basketId */
  sessionId: string;
  organizationId: string;
  /** where the provider sends the browser back, with the token */
  callbackUrl: string;
  locale: 'tr' | 'en';
  /** the organisation's stored token, so the new card joins the same card wallet */
  existingToken?: string | null;
}

export interface CardCaptureSession {
  /** the provider's session token */
  token: string;
  /** the hosted page to send the customer to */
  pageUrl: string;
  expiresAt: Date;
}

export type CardCaptureResult =
  | { status: 'CAPTURED'; paymentMethodToken: string; cardLabel: string | null }
  | { status: 'FAILED'; reason: string }
  | { status: 'PENDING' };

export interface HostedCardCapture {
  /** the PaymentProvider this belongs to: its tokens are charged by it */
  readonly provider: string;
  start(request: CardCaptureStart): Promise<CardCaptureSession>;
  result(token: string, sessionId: string): Promise<CardCaptureResult>;
}

/** A provider's session token as it may appear in a URL: iyzico's are UUIDs, the sandbox's hex. */
export const CAPTURE_TOKEN = /^[A-Za-z0-9-]{16,100}$/;

/** The public path the provider sends the browser back to (web front → gateway → billing). */
export const CARD_CAPTURE_CALLBACK_PATH = '/card-capture/callback';
