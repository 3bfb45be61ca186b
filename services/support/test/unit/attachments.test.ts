import { describe, expect, it } from 'vitest';
import { decodeBase64 } from '../../src/attachments.ts';
import { detectAttachmentType } from '../../src/magic-bytes.ts';

const bytes = (...values: number[]) => Uint8Array.from(values);

describe('attachment type by magic bytes (SUP-1)', () => {
  it('recognises PDF, PNG and JPEG by their signatures', () => {
    expect(detectAttachmentType(Buffer.from('%PDF-1.7\n%âãÏÓ\n', 'latin1'))).toBe('application/pdf');
    expect(detectAttachmentType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13))).toBe('image/png');
    expect(detectAttachmentType(bytes(0xff, 0xd8, 0xff, 0xe0, 0, 16))).toBe('image/jpeg');
  });

  it('accepts UTF-8 text (Turkish included) as plain text', () => {
    expect(detectAttachmentType(Buffer.from('Sunucu günlüğü:\r\n\tHata: bağlantı reddedildi\n'))).toBe('text/plain');
  });

  it('refuses executables, archives, truncated signatures and binary noise whatever they claim to be', () => {
    expect(detectAttachmentType(Buffer.from('MZ\x90\x00\x03\x00', 'latin1'))).toBeNull(); // PE executable
    expect(detectAttachmentType(bytes(0x50, 0x4b, 0x03, 0x04, 0x14, 0x00))).toBeNull(); // zip
    expect(detectAttachmentType(bytes(0x89, 0x50, 0x4e, 0x47))).toBeNull(); // half a PNG signature
    expect(detectAttachmentType(bytes(0xc3, 0x28))).toBeNull(); // invalid UTF-8
    expect(detectAttachmentType(new Uint8Array())).toBeNull();
  });

  it('decodes strict base64 only', () => {
    expect(decodeBase64('aGVsbG8=')?.toString()).toBe('hello');
    expect(decodeBase64('aGVs\nbG8=')?.toString()).toBe('hello');
    expect(decodeBase64('aGVsbG8')).toBeNull();
    expect(decodeBase64('not base64!')).toBeNull();
  });
});

describe('attachment size limit (SUP-1)', () => {
  it('refuses more than 10 MB before decoding or storing anything', async () => {
    const { storeAttachment, MAX_ATTACHMENT_BYTES } = await import('../../src/attachments.ts');
    const noDatabase = new Proxy({}, { get: () => { throw new Error('the database must not be touched'); } });
    const ticket = { _id: { toString: () => 'a'.repeat(24) }, organizationId: 'o' } as never;
    const oversized = Buffer.alloc(MAX_ATTACHMENT_BYTES + 3, 0x41).toString('base64');
    const result = await storeAttachment(noDatabase as never, ticket, { fileName: 'big.txt', contentBase64: oversized, uploadedBy: 'u', fromOperator: false });
    expect(result).toMatchObject({ ok: false, code: 'ATTACHMENT_TOO_LARGE' });
  });
});
