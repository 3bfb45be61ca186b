import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { DataConverter, Payload, PayloadCodec } from '@temporalio/common';
// A CommonJS module whose exports Node cannot name statically: import it whole.
import proto from '@temporalio/proto';
import { DEV_TEMPORAL_PAYLOAD_KEYS } from '../config.ts';

/**
 * Every payload the platform hands Temporal (workflow and activity inputs,
 * results, signals, queries, memos) is encrypted with AES-256-GCM before it
 * leaves the process, so Temporal's database and anyone reading histories
 * through its API see no personal data (KVKK art. 12: technical measures);
 * only the platform's processes and the codec endpoint (the Temporal UI's
 * "remote codec", served by the worker) can read them.
 *
 * Keys come from TEMPORAL_PAYLOAD_KEYS as `id:base64key[,id:base64key…]`: the
 * first encrypts, all decrypt, so a key is rotated by putting a new one first
 * and dropping the old one once no open history needs it. Payloads written
 * without encryption (before it was enabled) are read as they are.
 */

export const ENCRYPTED_ENCODING = 'binary/encrypted';
const KEY_ID_METADATA = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface PayloadKey {
  id: string;
  key: Buffer;
}

export class PayloadKeyError extends Error {
  override name = 'PayloadKeyError';
}

/** Parses `id:base64key[,…]`; every key must be 32 bytes (AES-256) and every id distinct. */
export function parsePayloadKeys(spec: string): PayloadKey[] {
  const keys = spec
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const colon = part.indexOf(':');
      if (colon <= 0) throw new PayloadKeyError('each payload key must read id:base64key');
      const id = part.slice(0, colon);
      const key = Buffer.from(part.slice(colon + 1), 'base64');
      if (key.length !== 32) throw new PayloadKeyError(`payload key ${id} must be 32 bytes (base64 of 32 random bytes)`);
      return { id, key };
    });
  if (keys.length === 0) throw new PayloadKeyError('no payload key given');
  if (new Set(keys.map((k) => k.id)).size !== keys.length) throw new PayloadKeyError('payload key ids must be distinct');
  return keys;
}

const utf8 = (text: string) => new TextEncoder().encode(text);
const text = (bytes: Uint8Array | null | undefined) => (bytes ? new TextDecoder().decode(bytes) : '');
const { Payload: PayloadProto } = proto.temporal.api.common.v1;
/** The bytes as a plain Uint8Array (protobuf hands out Buffers), without copying. */
const view = (bytes: Uint8Array) => new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** A payload as JSON (metadata values and data in base64): the codec endpoint's wire form (Temporal's remote codec protocol). */
export interface PayloadJson {
  metadata?: Record<string, string> | null;
  data?: string | null;
}

export function payloadToJson(payload: Payload): PayloadJson {
  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries(payload.metadata ?? {})) metadata[k] = Buffer.from(v).toString('base64');
  return { metadata, data: payload.data ? Buffer.from(payload.data).toString('base64') : '' };
}

export function payloadFromJson(json: PayloadJson): Payload {
  const metadata: Record<string, Uint8Array> = {};
  for (const [k, v] of Object.entries(json.metadata ?? {})) metadata[k] = new Uint8Array(Buffer.from(v, 'base64'));
  return { metadata, data: new Uint8Array(Buffer.from(json.data ?? '', 'base64')) };
}

export class EncryptionCodec implements PayloadCodec {
  private readonly byId: Map<string, Buffer>;
  private readonly current: PayloadKey;

  constructor(keys: PayloadKey[]) {
    if (keys.length === 0) throw new PayloadKeyError('no payload key given');
    this.current = keys[0]!;
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
      cipher.setAAD(Buffer.from(this.current.id));
      // The payload's protobuf encoding, as Temporal's own encryption sample does: about 30 bytes more than the payload.
      const sealed = Buffer.concat([cipher.update(PayloadProto.encode(payload).finish()), cipher.final()]);
      return {
        metadata: { encoding: utf8(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: utf8(this.current.id) },
        data: new Uint8Array(Buffer.concat([iv, sealed, cipher.getAuthTag()])),
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (text(payload.metadata?.encoding) !== ENCRYPTED_ENCODING) return payload;
      const keyId = text(payload.metadata?.[KEY_ID_METADATA]);
      const key = this.byId.get(keyId);
      if (!key) throw new PayloadKeyError(`payload encrypted with unknown key ${JSON.stringify(keyId)}`);
      const bytes = Buffer.from(payload.data ?? new Uint8Array());
      if (bytes.length < IV_BYTES + TAG_BYTES) throw new PayloadKeyError('encrypted payload is truncated');
      const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(keyId));
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
      const plain = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]);
      const decoded = PayloadProto.decode(plain);
      const metadata = Object.fromEntries(Object.entries(decoded.metadata).map(([k, v]) => [k, view(v)]));
      return { metadata, data: view(decoded.data) };
    });
  }
}

const isLocalAddress = (address: string) => /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$/.test(address);

/**
 * The data converter of every client and worker that talks to the platform's
 * Temporal namespace. Failure messages and stack traces go into the encrypted
 * part too (they can quote an address from an SMTP or duplicate-key error).
 * The built-in local key is refused for a Temporal server that is not local.
 */
/** Bundled into the workflow code with the workflows (workflows/src/workflow-bundle.ts). */
export const FAILURE_CONVERTER_PATH = fileURLToPath(new URL('./failure-converter.ts', import.meta.url));

export function platformDataConverter(config: { temporal: { address: string; payloadKeys: string } }): DataConverter {
  if (config.temporal.payloadKeys === DEV_TEMPORAL_PAYLOAD_KEYS && !isLocalAddress(config.temporal.address)) {
    throw new PayloadKeyError(`TEMPORAL_PAYLOAD_KEYS must be set for a Temporal server that is not local (${config.temporal.address}); the built-in key is for local runs`);
  }
  return {
    payloadCodecs: [new EncryptionCodec(parsePayloadKeys(config.temporal.payloadKeys))],
    failureConverterPath: FAILURE_CONVERTER_PATH,
  };
}
