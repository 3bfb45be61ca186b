// One-click unsubscribe links for commercial messages (CON-3, ETK art. 8): the
// link carries a token signed with HMAC-SHA256, so the public `unsubscribe`
// mutation needs no sign-in. Tokens do not expire (a withdrawal must always
// work); issuedAt is kept for the record.
//
// Secret: CONSENT_UNSUBSCRIBE_SECRET. The default is a development constant;
// production must set its own (anyone holding the secret can withdraw consents).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { consentChoiceSchema, type ConsentChannel, type ConsentPurpose } from './consent-ledger.ts';

export const DEV_UNSUBSCRIBE_SECRET = 'omurga-dev-unsubscribe-secret-change-me';

export function unsubscribeSecret(env: NodeJS.ProcessEnv = process.env): string {
  return env.CONSENT_UNSUBSCRIBE_SECRET || DEV_UNSUBSCRIBE_SECRET;
}

const payloadSchema = consentChoiceSchema.extend({
  v: z.literal(1),
  userId: z.string().min(1),
  issuedAt: z.iso.datetime(),
});
export type UnsubscribeRequest = z.infer<typeof payloadSchema>;

const sign = (body: string, secret: string) => createHmac('sha256', secret).update(body).digest();

/** `<base64url payload>.<base64url HMAC-SHA256 of the payload part>` */
export function createUnsubscribeToken(
  userId: string,
  channel: ConsentChannel,
  purpose: ConsentPurpose,
  options: { secret?: string; now?: Date } = {},
): string {
  const payload: UnsubscribeRequest = { v: 1, userId, channel, purpose, issuedAt: (options.now ?? new Date()).toISOString() };
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${sign(body, options.secret ?? unsubscribeSecret()).toString('base64url')}`;
}

/** The token's request when its signature and contents are valid; otherwise null. */
export function verifyUnsubscribeToken(token: string, secret = unsubscribeSecret()): UnsubscribeRequest | null {
  const [body, signature, ...rest] = token.split('.');
  if (!body || !signature || rest.length > 0) return null;
  const expected = sign(body, secret);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const parsed = payloadSchema.safeParse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The link a sender puts in a commercial message. */
export function unsubscribeLink(
  config: { publicAppUrl: string },
  userId: string,
  channel: ConsentChannel,
  purpose: ConsentPurpose,
  options: { secret?: string; now?: Date } = {},
): string {
  const base = config.publicAppUrl.replace(/\/$/, '');
  return `${base}/unsubscribe?token=${encodeURIComponent(createUnsubscribeToken(userId, channel, purpose, options))}`;
}
