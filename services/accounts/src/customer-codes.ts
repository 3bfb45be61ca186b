import { isDuplicateKeyError } from '@omurga/shared';
import { randomInt } from 'node:crypto';

// No 0/O, 1/I/L: codes are read out over the phone to support (ACC-3).
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** A human-readable customer code such as `MUS-7K3M-9QX2`; random, so codes do not reveal customer counts. */
export function newCustomerCode(): string {
  const pick = () => ALPHABET[randomInt(ALPHABET.length)];
  const group = () => Array.from({ length: 4 }, pick).join('');
  return `MUS-${group()}-${group()}`;
}

/** Partner codes customers type at sign-up, e.g. `SO-4HQ7ZK` (Satış Ortağı). */
export function newPartnerCode(): string {
  return `SO-${Array.from({ length: 6 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('')}`;
}

/** Retries `create` with fresh codes while a unique index reports a collision. */
export async function withUniqueCode<T>(generate: () => string, create: (code: string) => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await create(generate());
    } catch (error) {
      if (!isDuplicateKeyError(error) || attempt >= attempts) throw error;
    }
  }
}
