import {
  DateTimeScalar,
  canAccessOrganization,
  newestFirstPage,
  requireOrganizationAccess,
  withId,
  type PageArgs,
  type Resolvers,
  type SubgraphContext,
} from '@omurga/shared';
import type { SupportLoaders } from './loaders.ts';
import type { SupportModels, TicketDoc } from './models.ts';

type Ctx = SubgraphContext<SupportLoaders>;

export function supportResolvers(models: SupportModels): Resolvers {
  const findVisible = async (id: string, ctx: Ctx) => {
    const ticket = await ctx.loaders.ticket.load(id);
    // Another organisation's ticket is indistinguishable from a missing one.
    return ticket && canAccessOrganization(ctx, ticket.organizationId) ? withId(ticket) : null;
  };
  return {
    DateTime: DateTimeScalar,
    Query: {
      ticket: (_: unknown, { id }: { id: string }, ctx: Ctx) => findVisible(id, ctx),
    },
    Organization: {
      tickets: async ({ id }: { id: string }, args: PageArgs, ctx: Ctx) => {
        requireOrganizationAccess(ctx, id);
        return newestFirstPage<TicketDoc>(models.Ticket, { organizationId: id }, args, ctx.locale);
      },
    },
    Ticket: {
      __resolveReference: ({ id }: { id: string }, ctx: Ctx) => findVisible(id, ctx),
      organization: (ticket: TicketDoc) => ({ __typename: 'Organization', id: ticket.organizationId }),
      messages: (ticket: TicketDoc, _: unknown, ctx: Ctx) =>
        ticket.messages
          .filter((m) => !m.internal || ctx.principal.kind === 'operator')
          .map((m) => ({ ...m, id: m._id.toString() })),
    },
  };
}
