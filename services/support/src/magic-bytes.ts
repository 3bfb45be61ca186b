/**
 * Attachment types are decided by content, never by the declared type or
 * file name: the allow-list is PDF, PNG, JPEG and plain UTF-8 text.
 */
export type AllowedAttachmentType = 'application/pdf' | 'image/png' | 'image/jpeg' | 'text/plain';

const startsWith = (data: Uint8Array, bytes: readonly number[]) => data.length >= bytes.length && bytes.every((b, i) => data[i] === b);

const PDF = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];

/** The detected type, or null when the content is not on the allow-list. */
export function detectAttachmentType(data: Uint8Array): AllowedAttachmentType | null {
  if (data.length === 0) return null;
  if (startsWith(data, PDF)) return 'application/pdf';
  if (startsWith(data, PNG)) return 'image/png';
  if (startsWith(data, JPEG)) return 'image/jpeg';
  return isPlainText(data) ? 'text/plain' : null;
}

/** Valid UTF-8 without control characters other than tab, CR, LF and form feed. */
function isPlainText(data: Uint8Array): boolean {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return false;
  }
  return !/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text);
}
