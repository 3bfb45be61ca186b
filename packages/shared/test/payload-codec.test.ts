// KVKK art. 12 (technical measures), CON-6: what the platform hands Temporal is
// encrypted with AES-256-GCM (workflows/src/payload-codec.ts), so Temporal's
// database and its API hold no readable personal data.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { DEV_TEMPORAL_PAYLOAD_KEYS } from '@omurga/shared';
import { ENCRYPTED_ENCODING, EncryptionCodec, parsePayloadKeys, PayloadKeyError, platformDataConverter } from '../src/temporal/payload-codec.ts';

const key = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? new Uint8Array()).toString('utf8');

const PERSON = { email: 'ayse.yilmaz@example.com.tr', name: 'Ayşe Yılmaz' };
const payloadOf = (value: unknown): Payload => defaultPayloadConverter.toPayload(value);

describe('the Temporal payload codec', () => {
  it('encrypts a payload so neither its data nor its metadata can be read, and decodes it back exactly', async () => {
    const codec = new EncryptionCodec(parsePayloadKeys(key('k1')));
    const original = payloadOf(PERSON);
    const [sealed] = await codec.encode([original]);
    expect(text(sealed!.metadata!.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(text(sealed!.metadata!['encryption-key-id'])).toBe('k1');
    expect(text(sealed!.data)).not.toContain(PERSON.email);
    expect(text(sealed!.data)).not.toContain('json/plain');
    const [opened] = await codec.decode([sealed!]);
    expect(opened).toEqual(original);
    expect(defaultPayloadConverter.fromPayload(opened!)).toEqual(PERSON);
  });

  it('uses a fresh IV for every payload: the same value never encrypts to the same bytes', async () => {
    const codec = new EncryptionCodec(parsePayloadKeys(key('k1')));
    const [a, b] = await codec.encode([payloadOf(PERSON), payloadOf(PERSON)]);
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
  });

  it('reads payloads written before encryption was enabled as they are', async () => {
    const codec = new EncryptionCodec(parsePayloadKeys(key('k1')));
    const plain = payloadOf({ legacy: true });
    expect(await codec.decode([plain])).toEqual([plain]);
  });

  it('rotates keys: the first encrypts, the others still decrypt; a key that was dropped is named in the error', async () => {
    const oldKey = key('2026-01');
    const newKey = key('2026-07');
    const [old] = await new EncryptionCodec(parsePayloadKeys(oldKey)).encode([payloadOf(PERSON)]);
    const rotated = new EncryptionCodec(parsePayloadKeys(`${newKey},${oldKey}`));
    expect(defaultPayloadConverter.fromPayload((await rotated.decode([old!]))[0]!)).toEqual(PERSON);
    const [fresh] = await rotated.encode([payloadOf(PERSON)]);
    expect(text(fresh!.metadata!['encryption-key-id'])).toBe('2026-07');

    const withoutOld = new EncryptionCodec(parsePayloadKeys(newKey));
    await expect(withoutOld.decode([old!])).rejects.toThrow(new PayloadKeyError('payload encrypted with unknown key "2026-01"'));
  });

  it('refuses a payload that was tampered with, or one labelled with another key id', async () => {
    const codec = new EncryptionCodec(parsePayloadKeys(key('k1')));
    const [sealed] = await codec.encode([payloadOf(PERSON)]);
    const flipped = Buffer.from(sealed!.data!);
    flipped[20] = flipped[20]! ^ 0x01;
    await expect(codec.decode([{ ...sealed!, data: new Uint8Array(flipped) }])).rejects.toThrow();

    // The key id is authenticated too: the same key bytes under another id do not open it.
    const bytes = randomBytes(32).toString('base64');
    const aliases = new EncryptionCodec(parsePayloadKeys(`k2:${bytes},k3:${bytes}`));
    const [other] = await aliases.encode([payloadOf(PERSON)]);
    expect(defaultPayloadConverter.fromPayload((await aliases.decode([other!]))[0]!)).toEqual(PERSON);
    const relabelled = { ...other!, metadata: { ...other!.metadata, 'encryption-key-id': new TextEncoder().encode('k3') } };
    await expect(aliases.decode([relabelled])).rejects.toThrow();
    await expect(codec.decode([{ ...sealed!, data: new Uint8Array(4) }])).rejects.toThrow(new PayloadKeyError('encrypted payload is truncated'));
  });

  it('adds only a few dozen bytes, so a payload near Temporal\'s 2 MB limit still fits', async () => {
    const codec = new EncryptionCodec(parsePayloadKeys(key('k1')));
    const large = payloadOf({ part: 'x'.repeat(1_500_000) });
    const [sealed] = await codec.encode([large]);
    const overhead = sealed!.data!.length - large.data!.length;
    expect(overhead).toBeGreaterThan(0);
    expect(overhead).toBeLessThan(100);
  });

  it('refuses the built-in local key for a Temporal server that is not local', () => {
    const local = { address: '127.0.0.1:7233', payloadKeys: DEV_TEMPORAL_PAYLOAD_KEYS };
    expect(platformDataConverter({ temporal: local }).payloadCodecs).toHaveLength(1);
    expect(() => platformDataConverter({ temporal: { ...local, address: 'temporal.prod.internal:7233' } })).toThrow(/TEMPORAL_PAYLOAD_KEYS must be set/);
    expect(platformDataConverter({ temporal: { address: 'temporal.prod.internal:7233', payloadKeys: key('prod') } }).payloadCodecs).toHaveLength(1);
  });

  it('accepts only well-formed key lists: id:base64 of 32 bytes, distinct ids', () => {
    expect(parsePayloadKeys(DEV_TEMPORAL_PAYLOAD_KEYS).map((k) => k.id)).toEqual(['dev']);
    expect(() => parsePayloadKeys('')).toThrow(PayloadKeyError);
    expect(() => parsePayloadKeys(randomBytes(32).toString('base64'))).toThrow(/id:base64key/);
    expect(() => parsePayloadKeys(`short:${randomBytes(16).toString('base64')}`)).toThrow(/32 bytes/);
    const k = randomBytes(32).toString('base64');
    expect(() => parsePayloadKeys(`a:${k},a:${k}`)).toThrow(/distinct/);
  });
});
