import { createHash } from 'node:crypto';

/**
 * An e-mail address as it may appear in idempotency keys and workflow IDs:
 * a short hash, so the address itself is not copied into records that
 * outlive an erasure (billing's e-mail log, Temporal's visibility store).
 */
export const addressKey = (email: string): string => createHash('sha256').update(email.trim().toLowerCase(), 'utf8').digest('hex').slice(0, 16);
