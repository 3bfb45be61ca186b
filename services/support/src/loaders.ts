import { entityLoader, type Logger, type RequestContext } from '@omurga/shared';
import type { FederationReaderFor } from './federation.ts';
import type { AttachmentDoc, SupportModels, TicketDoc } from './models.ts';
import DataLoader from 'dataloader';

export function supportLoaders(models: SupportModels, readerFor: FederationReaderFor, logger: Logger, ctx: RequestContext) {
  const federation = readerFor(ctx.authorization);
  let partnerOrganizations: Promise<readonly string[]> | undefined;
  return {
    /** the other subgraphs, read with this caller's token */
    federation,
    ticket: entityLoader<TicketDoc>(models.Ticket),
    /** a ticket's attachments, batched across tickets */
    attachments: new DataLoader<string, AttachmentDoc[]>(async (ticketIds) => {
      const rows = await models.Attachment.find({ ticketId: { $in: [...ticketIds] }, complete: true }).sort({ _id: 1 }).lean<AttachmentDoc[]>();
      return ticketIds.map((id) => rows.filter((row) => row.ticketId === id));
    }),
    /** the organisations a partner caller referred, asked of accounts once per request */
    partnerOrganizations(): Promise<readonly string[]> {
      if (ctx.principal.kind !== 'partner') return Promise.resolve([]);
      partnerOrganizations ??= federation.partnerCustomerIds().catch((error: unknown) => {
        logger.warn({ err: error }, 'accounts did not list the partner customers');
        return [];
      });
      return partnerOrganizations;
    },
  };
}
export type SupportLoaders = ReturnType<typeof supportLoaders>;
