import { createHash } from 'node:crypto';
import { isEntityId, withId, type Resolvers } from '@omurga/shared';
import { DOCUMENT_SIGNALS, documentRequestWorkflowId } from '@omurga/shared/contracts';
import type { AccountsDeps, Ctx } from '../deps.ts';
import type { DocumentRequestDoc } from '../models.ts';
import { MANAGERS, requireMemberRole } from './access.ts';
import { failure } from './payloads.ts';

const MAX_FILE_MB = 5;
const ACCEPTED_TYPES = new Set(['application/pdf', 'image/png', 'image/jpeg']);

/** ACC-7: the customer's side of a document request. Suspension never blocks it. */
export function documentResolvers(deps: AccountsDeps): Resolvers {
  const { models, temporal, logger } = deps;
  return {
    Mutation: {
      submitDocument: async (
        _: unknown,
        args: { requestId: string; kind: string; fileName: string; contentType: string; contentBase64: string },
        ctx: Ctx,
      ) => {
        const request = isEntityId(args.requestId) ? await models.DocumentRequest.findById(args.requestId).lean<DocumentRequestDoc>() : null;
        // An unknown request and someone else's request look the same.
        await requireMemberRole(deps, ctx, request?.organizationId.toString() ?? '', MANAGERS);
        if (!request) return failure(ctx.locale, 'REQUEST_CLOSED', ['requestId']);
        if (request.status === 'SUBMITTED' || request.status === 'WITHDRAWN') return failure(ctx.locale, 'REQUEST_CLOSED', ['requestId']);
        if (!request.kinds.includes(args.kind as never)) return failure(ctx.locale, 'DOCUMENT_NOT_REQUESTED', ['kind']);
        if (!ACCEPTED_TYPES.has(args.contentType)) return failure(ctx.locale, 'UNSUPPORTED_FILE_TYPE', ['contentType']);
        const content = Buffer.from(args.contentBase64, 'base64');
        if (content.length === 0) return failure(ctx.locale, 'REQUIRED', ['contentBase64']);
        if (content.length > MAX_FILE_MB * 1024 * 1024) return failure(ctx.locale, 'FILE_TOO_LARGE', ['contentBase64'], { max: MAX_FILE_MB });
        const fileName = args.fileName.trim().replace(/[\\/\0]/g, '_').slice(0, 200) || 'document';
        const principal = ctx.principal as { userId: string };
        const file = await models.DocumentFile.create({ organizationId: request.organizationId, content });
        const upload = {
          kind: args.kind,
          fileId: file._id,
          fileName,
          contentType: args.contentType,
          size: content.length,
          sha256: createHash('sha256').update(content).digest('hex'),
          uploadedBy: principal.userId,
          uploadedAt: new Date(),
        };
        const pushed = await models.DocumentRequest.findOneAndUpdate(
          { _id: request._id, status: { $in: ['PENDING', 'EXPIRED'] } },
          { $push: { uploads: upload } },
          { new: true },
        ).lean<DocumentRequestDoc>();
        if (!pushed) return failure(ctx.locale, 'REQUEST_CLOSED', ['requestId']);
        // Judged on the stored uploads, so two kinds uploaded at once still complete the request.
        const uploadedKinds = new Set(pushed.uploads.map((u) => u.kind));
        const complete = pushed.kinds.every((kind) => uploadedKinds.has(kind));
        const closed = complete
          ? await models.DocumentRequest.updateOne({ _id: request._id, status: { $in: ['PENDING', 'EXPIRED'] } }, { $set: { status: 'SUBMITTED' } })
          : null;
        const updated = complete ? { ...pushed, status: 'SUBMITTED' as const } : pushed;
        if (closed?.modifiedCount) {
          // The workflow cancels the pending suspension, or lifts it if the deadline has passed.
          await temporal.workflow
            .getHandle(documentRequestWorkflowId(args.requestId))
            .signal(DOCUMENT_SIGNALS.submitted)
            .catch((error: unknown) => logger.error({ err: error, requestId: args.requestId }, 'could not signal the document workflow'));
        }
        return { request: withId(updated), userErrors: [] };
      },
    },
  };
}
