import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A URL-safe random secret (256 bits by default). */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * SHA-256 of a high-entropy secret. Tokens and API keys carry 256 random bits,
 * so a fast hash is enough at rest (argon2 is for low-entropy passwords).
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}
