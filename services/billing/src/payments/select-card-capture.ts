import type { Connection } from 'mongoose';
import type { HostedCardCapture } from './card-capture.ts';
import { createIyzicoCardCapture } from './iyzico-card-capture.ts';
import { createSandboxCardCapture } from './sandbox-card-capture.ts';

/**
 * The hosted card capture of the configured provider (issue 15), whose
 * settings selectPaymentProvider has already checked: iyzico's checkout form
 * (IYZICO_CARD_VERIFICATION_AMOUNT_MINOR, default 100 = 1.00 TRY), or the
 * sandbox's own page, reached by browsers at `publicBaseUrl`.
 */
export function selectCardCapture(provider: string, env: NodeJS.ProcessEnv, db: Connection, publicBaseUrl: string, warn?: (message: string) => void): HostedCardCapture {
  if (provider !== 'iyzico') return createSandboxCardCapture(db, publicBaseUrl);
  const amount = Number(env.IYZICO_CARD_VERIFICATION_AMOUNT_MINOR ?? 100);
  if (!Number.isSafeInteger(amount) || amount < 1) throw new Error('payment provider configuration: IYZICO_CARD_VERIFICATION_AMOUNT_MINOR must be a positive integer');
  return createIyzicoCardCapture({
    apiKey: env.IYZICO_API_KEY!,
    secretKey: env.IYZICO_SECRET_KEY!,
    baseUrl: env.IYZICO_BASE_URL ?? 'https://sandbox-api.iyzipay.com',
    verificationAmountMinor: amount,
    ...(warn ? { warn } : {}),
  });
}
