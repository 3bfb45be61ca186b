import { Webhook } from 'standardwebhooks';
import { openSecret } from './secret-box.ts';
import type { WebhookSettings } from './settings.ts';

/**
 * Standard Webhooks headers: `webhook-id` (the event id, the same on every
 * retry and redelivery, for deduplication), `webhook-timestamp` (seconds) and
 * `webhook-signature`, one `v1,<base64 HMAC-SHA256>` per live secret, so
 * receivers keep verifying through a rotation's grace period.
 */
export function signatureHeaders(
  settings: WebhookSettings,
  endpoint: { _id: { toString(): string }; secrets: { ciphertext: string; expiresAt?: Date | null }[] },
  eventId: string,
  at: Date,
  body: string,
): Record<string, string> {
  const live = endpoint.secrets.filter((secret) => !secret.expiresAt || secret.expiresAt > at);
  const signatures = live.map((secret) => new Webhook(openSecret(settings.secretKeys, endpoint._id.toString(), secret.ciphertext)).sign(eventId, at, body));
  return { 'webhook-id': eventId, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': signatures.join(' ') };
}
