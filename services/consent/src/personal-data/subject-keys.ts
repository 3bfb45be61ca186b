import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { isDuplicateKeyError, storedBytes } from '@omurga/shared';
import type { PersonalDataModels } from './models.ts';

/**
 * Crypto-shredding for details inside append-only records (CON-2, CON-3,
 * CON-6): `seal` encrypts a value with the person's own key (AES-256-GCM),
 * `open` decrypts it, `shred` destroys the key. After shredding, sealed values
 * read as null and nothing new is sealed for that person.
 */
export interface SubjectKeys {
  seal(userId: string, value: string | null): Promise<string | null>;
  /** Seals several values of one person with a single key look-up. */
  sealEach(userId: string, values: readonly (string | null)[]): Promise<(string | null)[]>;
  open(userId: string, sealed: string | null): Promise<string | null>;
  /** true when this call destroyed the key (false: there was none, or it was already destroyed) */
  shred(userId: string): Promise<boolean>;
  /** true once the person's key was destroyed (the person is erased) */
  isShredded(userId: string): Promise<boolean>;
}

const PREFIX = 'sk1';


export function subjectKeys(models: Pick<PersonalDataModels, 'SubjectKey'>): SubjectKeys {
  const { SubjectKey } = models;

  async function keyOf(userId: string, create: boolean): Promise<Buffer | null> {
    const found = await SubjectKey.findById(userId).lean();
    if (found) return found.key ? storedBytes(found.key) : null;
    if (!create) return null;
    try {
      await SubjectKey.create({ _id: userId, key: randomBytes(32) });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error; // someone else created it first: use theirs
    }
    return keyOf(userId, false);
  }

  const encrypt = (key: Buffer, value: string) => {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
    return [PREFIX, iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join(':');
  };

  async function sealEach(userId: string, values: readonly (string | null)[]): Promise<(string | null)[]> {
    if (values.every((v) => v === null)) return values.map(() => null);
    const key = await keyOf(userId, true);
    // erased person: keep nothing identifying
    return values.map((value) => (value === null || !key ? null : encrypt(key, value)));
  }

  return {
    sealEach,
    seal: async (userId, value) => (await sealEach(userId, [value]))[0] ?? null,
    async open(userId, sealed) {
      if (sealed === null) return null;
      const [prefix, iv, tag, body] = sealed.split(':');
      if (prefix !== PREFIX || !iv || !tag || body === undefined) return sealed; // written before sealing existed
      const key = await keyOf(userId, false);
      if (!key) return null;
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
    },
    async isShredded(userId) {
      return (await SubjectKey.exists({ _id: userId, shreddedAt: { $ne: null } })) !== null;
    },
    async shred(userId) {
      const existing = await SubjectKey.exists({ _id: userId });
      if (!existing) {
        // No key yet: leave a destroyed one so nothing identifying is sealed for this person later.
        try {
          await SubjectKey.create({ _id: userId, key: null, shreddedAt: new Date() });
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
          return this.shred(userId);
        }
        return false;
      }
      const result = await SubjectKey.updateOne({ _id: userId, key: { $ne: null } }, { $set: { key: null, shreddedAt: new Date() } });
      return result.modifiedCount > 0;
    },
  };
}
