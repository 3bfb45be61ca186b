import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { WebhookSettings } from './settings.ts';

/**
 * Signing secrets at rest: AES-256-GCM under WEBHOOK_SECRET_KEYS (the first
 * key encrypts, every key decrypts, so a key is rotated by putting a new one
 * first), bound to the endpoint, so a ciphertext copied to another endpoint
 * does not open. The platform must sign with the secret, so it cannot be hashed.
 */
export function sealSecret(keys: WebhookSettings['secretKeys'], endpointId: string, secret: string): string {
  const { id, key } = keys[0]!;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(endpointId));
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return [id, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), sealed.toString('base64url')].join('.');
}

export function openSecret(keys: WebhookSettings['secretKeys'], endpointId: string, ciphertext: string): string {
  const [id, iv, tag, sealed] = ciphertext.split('.');
  const entry = keys.find((candidate) => candidate.id === id);
  if (!entry || !iv || !tag || sealed === undefined) throw new Error(`webhook secret sealed under unknown key ${id}`);
  const decipher = createDecipheriv('aes-256-gcm', entry.key, Buffer.from(iv, 'base64url')).setAAD(Buffer.from(endpointId));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(sealed, 'base64url')), decipher.final()]).toString('utf8');
}

/** A new Standard Webhooks secret: `whsec_` and 32 random bytes in base64. */
export const newSigningSecret = () => `whsec_${randomBytes(32).toString('base64')}`;
