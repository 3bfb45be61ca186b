import { z } from 'zod';

// A provider token is opaque, but a card number must never be stored [000 §6.8, 003 §6.4.4-5].
const CARD_NUMBER = /(?:\d[ -]?){13,19}/;
const paymentToken = z.string().trim().min(3).max(200);

/** Why a payment method token is refused (a userError code), or null when it may be stored. */
export function paymentTokenProblem(token: string): 'CARD_NUMBER_NOT_ACCEPTED' | 'INVALID_PAYMENT_TOKEN' | null {
  if (CARD_NUMBER.test(token)) return 'CARD_NUMBER_NOT_ACCEPTED';
  return paymentToken.safeParse(token).success ? null : 'INVALID_PAYMENT_TOKEN';
}
