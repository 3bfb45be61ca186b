import { Types } from 'mongoose';
import { buildRequestContext, createTranslator, storedBytes, localeFromAcceptLanguage, type Locale, type Logger, type RequestContext, type SubgraphDefinition, type TokenVerifier } from '@omurga/shared';
import { organizationTicketAccess, type TicketAccess } from './access.ts';
import { detectAttachmentType } from './magic-bytes.ts';
import type { AttachmentChunkDoc, AttachmentDoc, SupportModels, TicketDoc } from './models.ts';
import { fail, type Failure } from './tickets.ts';

/**
 * Ticket attachments (SUP-1) live in the database as chunked documents:
 * `ticket_attachments` holds the metadata, `ticket_attachment_chunks` the
 * content in 255 KB pieces. The type is detected from the content.
 */
export const CHUNK_SIZE = 255 * 1024;
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
export const ATTACHMENT_PATH = '/support/attachments/:id';
export const attachmentDownloadPath = (id: string) => `/support/attachments/${id}`;

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function decodeBase64(content: string): Buffer | null {
  const compact = content.replace(/\s+/g, '');
  if (compact.length % 4 !== 0 || !BASE64.test(compact)) return null;
  return Buffer.from(compact, 'base64');
}

function safeFileName(name: string): string {
  return name.replace(/[\\/\u0000-\u001f"]/g, '_').trim().slice(0, 200);
}

export async function storeAttachment(
  models: SupportModels,
  ticket: TicketDoc,
  input: { fileName: string; contentBase64: string; uploadedBy: string; fromOperator: boolean },
): Promise<{ ok: true; attachment: AttachmentDoc } | Failure> {
  const fileName = safeFileName(input.fileName);
  if (!fileName) return fail('REQUIRED', ['input', 'fileName']);
  // base64 is 4/3 of the content: refuse an oversized upload before decoding it
  if (input.contentBase64.length > Math.ceil(MAX_ATTACHMENT_BYTES / 3) * 4 + 1024) return fail('ATTACHMENT_TOO_LARGE', ['input', 'contentBase64'], { maxMb: MAX_ATTACHMENT_BYTES / 1024 / 1024 });
  const data = decodeBase64(input.contentBase64);
  if (!data) return fail('INVALID_BASE64', ['input', 'contentBase64']);
  if (data.length > MAX_ATTACHMENT_BYTES) return fail('ATTACHMENT_TOO_LARGE', ['input', 'contentBase64'], { maxMb: MAX_ATTACHMENT_BYTES / 1024 / 1024 });
  const contentType = detectAttachmentType(data);
  if (!contentType) return fail('ATTACHMENT_TYPE_NOT_ALLOWED', ['input', 'contentBase64']);

  const chunkCount = Math.ceil(data.length / CHUNK_SIZE);
  const created = await models.Attachment.create({
    ticketId: ticket._id.toString(),
    organizationId: ticket.organizationId,
    fileName,
    contentType,
    size: data.length,
    chunkCount,
    uploadedBy: input.uploadedBy,
    fromOperator: input.fromOperator,
  });
  const attachmentId = created._id.toString();
  for (let n = 0; n < chunkCount; n++) {
    await models.AttachmentChunk.create({ attachmentId, n, data: data.subarray(n * CHUNK_SIZE, (n + 1) * CHUNK_SIZE) });
  }
  created.complete = true;
  await created.save();
  return { ok: true, attachment: created.toObject() as AttachmentDoc };
}

export async function readAttachment(models: SupportModels, attachment: AttachmentDoc): Promise<Buffer> {
  const chunks = await models.AttachmentChunk.find({ attachmentId: attachment._id.toString() }).sort({ n: 1 }).lean<AttachmentChunkDoc[]>();
  if (chunks.length !== attachment.chunkCount) throw new Error(`attachment ${attachment._id.toString()} has ${chunks.length} of ${attachment.chunkCount} chunks`);
  return Buffer.concat(chunks.map((c) => storedBytes(c.data)));
}


const t = createTranslator({ NOT_FOUND: { tr: 'Dosya bulunamadı.', en: 'File not found.' } });

type App = Parameters<NonNullable<Awaited<ReturnType<SubgraphDefinition<unknown>['setup']>>['routes']>>[0];

export interface AttachmentRouteDeps {
  models: SupportModels;
  verify: TokenVerifier;
  /** the organisations a partner caller referred */
  partnerOrganizations: (ctx: RequestContext) => Promise<readonly string[]>;
  logger: Logger;
}

/**
 * GET /support/attachments/:id: the file, to whoever may read the ticket.
 * Someone outside the organisation gets 404, as for a missing file.
 */
export function attachmentRoute(app: App, deps: AttachmentRouteDeps): void {
  app.get(ATTACHMENT_PATH, async (req, res) => {
    const locale: Locale = localeFromAcceptLanguage(req.get('accept-language'));
    const respond = (status: number, code: string, messageCode = code) => res.status(status).json({ code, message: t(messageCode, locale) });
    let ctx: RequestContext;
    try {
      ctx = await buildRequestContext(req.headers, req.socket.remoteAddress, deps.verify);
    } catch {
      return respond(401, 'UNAUTHENTICATED', 'INVALID_TOKEN');
    }
    if (ctx.principal.kind === 'anonymous') return respond(401, 'UNAUTHENTICATED');
    const id = req.params.id;
    const attachment = typeof id === 'string' && Types.ObjectId.isValid(id) ? await deps.models.Attachment.findById(id).lean<AttachmentDoc>() : null;
    let access: TicketAccess = 'none';
    if (attachment?.complete) access = await organizationTicketAccess(ctx, attachment.organizationId, () => deps.partnerOrganizations(ctx));
    if (!attachment || access === 'none') return respond(404, 'NOT_FOUND');
    try {
      const data = await readAttachment(deps.models, attachment);
      res
        .status(200)
        .set({
          'Content-Type': attachment.contentType,
          'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(attachment.fileName)}`,
          'Cache-Control': 'private, no-store',
          'X-Content-Type-Options': 'nosniff',
        })
        .end(data);
    } catch (error) {
      deps.logger.error({ err: error, attachmentId: id }, 'attachment read failed');
      respond(500, 'INTERNAL_SERVER_ERROR');
    }
  });
}
