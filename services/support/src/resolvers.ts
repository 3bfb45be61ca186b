import {
  DateTimeScalar,
  forbidden,
  isEntityId,
  isDurationAtMost,
  newestFirstPage,
  requireAuthenticated,
  requireOperator,
  userError,
  withId,
  type PageArgs,
  type Resolvers,
  type SubgraphContext,
} from '@omurga/shared';
import { AGENT_ROLES, actorId, isAgent, organizationTicketAccess, type TicketAccess } from './access.ts';
import { attachmentDownloadPath, storeAttachment } from './attachments.ts';
import type { SupportLoaders } from './loaders.ts';
import { convertToDataSubjectRequest } from './ticket-conversion.ts';
import { t } from './messages.ts';
import { ticketWorkflowId } from './workflows/contracts.ts';
import {
  ABUSE_DECISIONS,
  type AbuseDecisionDoc,
  type AnnouncementDoc,
  type AttachmentDoc,
  type CannedResponseDoc,
  type SlaPolicyDoc,
  type TicketDoc,
  type TicketMessageDoc,
} from './models.ts';
import {
  addInternalNote,
  assignTicket,
  changeTicket,
  closeTicket,
  holdTicket,
  openTicket,
  rateTicket,
  reply,
  type Actor,
  type Failure,
  type OpenTicketArgs,
  type Result,
  type TicketDeps,
} from './tickets.ts';

type Ctx = SubgraphContext<SupportLoaders>;

const CANNED_TITLE_MAX = 200;
const NOTE_MAX = 2000;

function userErrors(ctx: Ctx, failure: Failure) {
  return [userError(t, ctx.locale, failure.code, failure.field, failure.params)];
}

function ticketPayload(ctx: Ctx, result: Result) {
  return result.ok ? { ticket: withId(result.ticket), userErrors: [] } : { ticket: null, userErrors: userErrors(ctx, result) };
}

const notFound = (ctx: Ctx) => ({ ticket: null, userErrors: [userError(t, ctx.locale, 'TICKET_NOT_FOUND', ['ticketId'])] });

function actorOf(ctx: Ctx, email: string | null = null): Actor {
  return { id: actorId(ctx), agent: isAgent(ctx), locale: ctx.locale, email };
}

export function supportResolvers(deps: TicketDeps): Resolvers {
  const { models } = deps;

  const accessTo = (ctx: Ctx, organizationId: string): Promise<TicketAccess> =>
    organizationTicketAccess(ctx, organizationId, () => ctx.loaders.partnerOrganizations());

  /** The ticket if the caller may read it; another organisation's ticket is indistinguishable from a missing one. */
  const findVisible = async (id: string, ctx: Ctx) => {
    const ticket = await ctx.loaders.ticket.load(id);
    if (!ticket || (await accessTo(ctx, ticket.organizationId)) === 'none') return null;
    return withId(ticket);
  };

  /**
   * Runs a change on a ticket the caller may write: FORBIDDEN for a reader
   * (READ_ONLY), TICKET_NOT_FOUND for anything the caller cannot see.
   */
  const withWritable = async (ctx: Ctx, ticketId: string, run: (ticket: TicketDoc) => Promise<Result>) => {
    requireAuthenticated(ctx);
    const ticket = isEntityId(ticketId) ? await ctx.loaders.ticket.load(ticketId) : null;
    const access = ticket ? await accessTo(ctx, ticket.organizationId) : 'none';
    if (!ticket || access === 'none') return notFound(ctx);
    if (access !== 'write') throw forbidden(ctx.locale);
    return ticketPayload(ctx, await run(ticket));
  };

  /** Agent-only changes. */
  const asAgent = async (ctx: Ctx, ticketId: string, run: () => Promise<Result>) => {
    requireOperator(ctx, ...AGENT_ROLES);
    return ticketPayload(ctx, await run());
  };

  const agentOnly = <T>(ctx: Ctx, value: T, otherwise: T): T => (isAgent(ctx) ? value : otherwise);

  const localized = (ctx: Ctx, tr: string, en: string) => (ctx.locale === 'en' ? en : tr);

  const cannedInput = (ctx: Ctx, input: { title: string; bodyTr: string; bodyEn: string }) => {
    const errors = [];
    if (!input.title.trim()) errors.push(userError(t, ctx.locale, 'REQUIRED', ['input', 'title']));
    else if (input.title.length > CANNED_TITLE_MAX) errors.push(userError(t, ctx.locale, 'TOO_LONG', ['input', 'title'], { max: CANNED_TITLE_MAX }));
    if (!input.bodyTr.trim()) errors.push(userError(t, ctx.locale, 'REQUIRED', ['input', 'bodyTr']));
    if (!input.bodyEn.trim()) errors.push(userError(t, ctx.locale, 'REQUIRED', ['input', 'bodyEn']));
    return errors;
  };

  return {
    DateTime: DateTimeScalar,
    Query: {
      ticket: (_: unknown, { id }: { id: string }, ctx: Ctx) => findVisible(id, ctx),
      supportTickets: (_: unknown, args: PageArgs & { status?: string | null; flaggedForAbuse?: boolean | null; assigneeId?: string | null }, ctx: Ctx) => {
        requireOperator(ctx, ...AGENT_ROLES);
        const filter: Record<string, unknown> = {};
        if (args.status) filter.status = args.status;
        if (args.flaggedForAbuse != null) filter.flaggedForAbuse = args.flaggedForAbuse;
        if (args.assigneeId) filter.assigneeId = args.assigneeId;
        return newestFirstPage<TicketDoc>(models.Ticket, filter, args, ctx.locale);
      },
      cannedResponses: async (_: unknown, __: unknown, ctx: Ctx) => {
        requireOperator(ctx, ...AGENT_ROLES);
        return (await models.CannedResponse.find({ deletedAt: null }).sort({ title: 1 }).lean<CannedResponseDoc[]>()).map(withId);
      },
      announcements: async (_: unknown, { all }: { all?: boolean | null }, ctx: Ctx) => {
        if (all) requireOperator(ctx, ...AGENT_ROLES);
        const now = new Date();
        const filter = all ? {} : { startsAt: { $lte: now }, endsAt: { $gt: now } };
        return (await models.Announcement.find(filter).sort({ startsAt: -1 }).lean<AnnouncementDoc[]>()).map(withId);
      },
      slaPolicies: async (_: unknown, __: unknown, ctx: Ctx) => {
        requireOperator(ctx, ...AGENT_ROLES);
        return models.SlaPolicy.find().sort({ planCode: 1 }).lean<SlaPolicyDoc[]>();
      },
    },
    Organization: {
      tickets: async ({ id }: { id: string }, args: PageArgs, ctx: Ctx) => {
        requireAuthenticated(ctx);
        if ((await accessTo(ctx, id)) === 'none') throw forbidden(ctx.locale);
        return newestFirstPage<TicketDoc>(models.Ticket, { organizationId: id }, args, ctx.locale);
      },
    },
    Ticket: {
      __resolveReference: ({ id }: { id: string }, ctx: Ctx) => findVisible(id, ctx),
      organization: (ticket: TicketDoc) => ({ __typename: 'Organization', id: ticket.organizationId }),
      workflowId: (ticket: { id: string }) => ticketWorkflowId(ticket.id),
      // Internal notes never leave the service for anyone but an agent, whichever path asked (SUP-7).
      messages: (ticket: TicketDoc, _: unknown, ctx: Ctx) =>
        (ticket.messages as TicketMessageDoc[]).filter((m) => !m.internal || isAgent(ctx)).map((m) => ({ ...m, internal: Boolean(m.internal), id: m._id.toString() })),
      attachments: async (ticket: TicketDoc & { id: string }, _: unknown, ctx: Ctx) =>
        (await ctx.loaders.attachments.load(ticket._id.toString())).map((a) => ({ ...withId(a), downloadPath: attachmentDownloadPath(a._id.toString()) })),
      assigneeId: (ticket: TicketDoc, _: unknown, ctx: Ctx) => agentOnly(ctx, ticket.assigneeId ?? null, null),
      flaggedForAbuse: (ticket: TicketDoc, _: unknown, ctx: Ctx) => agentOnly(ctx, Boolean(ticket.flaggedForAbuse), false),
      events: (ticket: TicketDoc, _: unknown, ctx: Ctx) => (isAgent(ctx) ? ticket.events : []),
      abuseDecisions: async (ticket: TicketDoc, _: unknown, ctx: Ctx) =>
        isAgent(ctx) ? models.AbuseDecision.find({ ticketId: ticket._id.toString() }).sort({ at: 1 }).lean<AbuseDecisionDoc[]>() : [],
      slaBreached: (ticket: TicketDoc) => Boolean(ticket.slaBreached),
      // SUP-8: whether someone made a KVKK request is the person's own data: agents and the opener only.
      dataSubjectRequest: (ticket: TicketDoc, _: unknown, ctx: Ctx) =>
        ticket.dataSubjectRequestId && (isAgent(ctx) || (ctx.principal.kind === 'user' && ctx.principal.userId === ticket.openedBy))
          ? { __typename: 'DataSubjectRequest', id: ticket.dataSubjectRequestId }
          : null,
      rating: (ticket: TicketDoc) => (ticket.rating?.rating ? { rating: ticket.rating.rating, comment: ticket.rating.comment ?? null, ratedAt: ticket.rating.ratedAt } : null),
    },
    Announcement: {
      title: (a: AnnouncementDoc, _: unknown, ctx: Ctx) => localized(ctx, a.titleTr, a.titleEn),
      body: (a: AnnouncementDoc, _: unknown, ctx: Ctx) => localized(ctx, a.bodyTr, a.bodyEn),
      extraBusinessTime: (a: AnnouncementDoc, _: unknown, ctx: Ctx) => agentOnly(ctx, a.extraBusinessTime ?? null, null),
    },
    Mutation: {
      openTicket: async (_: unknown, { input }: { input: OpenTicketArgs }, ctx: Ctx) => {
        const principal = requireAuthenticated(ctx);
        // SUP-1: a signed-in customer or a partner for a customer it referred; agents answer, they do not open.
        if (principal.kind !== 'user' && principal.kind !== 'partner') throw forbidden(ctx.locale);
        if ((await accessTo(ctx, input.organizationId)) !== 'write') throw forbidden(ctx.locale);
        let email: string | null = null;
        if (principal.kind === 'user') {
          email = await ctx.loaders.federation.myEmail().catch((error: unknown) => {
            deps.logger.warn({ err: error }, 'accounts did not tell the opener e-mail; no ticket e-mails will go out');
            return null;
          });
        }
        return ticketPayload(ctx, await openTicket(deps, ctx.loaders.federation, actorOf(ctx, email), input));
      },
      replyToTicket: async (_: unknown, args: { ticketId: string; body: string; cannedResponseId?: string | null }, ctx: Ctx) =>
        withWritable(ctx, args.ticketId, async (ticket) => {
          let body = args.body;
          if (args.cannedResponseId) {
            if (!isAgent(ctx)) return { ok: false, code: 'CANNED_RESPONSE_FOR_AGENTS', field: ['cannedResponseId'] };
            const canned = isEntityId(args.cannedResponseId) ? await models.CannedResponse.findOne({ _id: args.cannedResponseId, deletedAt: null }).lean<CannedResponseDoc>() : null;
            if (!canned) return { ok: false, code: 'CANNED_RESPONSE_NOT_FOUND', field: ['cannedResponseId'] };
            const text = ticket.openerLocale === 'en' ? canned.bodyEn : canned.bodyTr;
            body = body.trim() ? `${text}\n\n${body}` : text;
          }
          return reply(deps, actorOf(ctx), args.ticketId, body);
        }),
      closeTicket: (_: unknown, { ticketId }: { ticketId: string }, ctx: Ctx) => withWritable(ctx, ticketId, () => closeTicket(deps, actorOf(ctx), ticketId)),
      addInternalNote: (_: unknown, { ticketId, body }: { ticketId: string; body: string }, ctx: Ctx) =>
        asAgent(ctx, ticketId, () => addInternalNote(deps, actorOf(ctx), ticketId, body)),
      setTicketOnHold: (_: unknown, { ticketId }: { ticketId: string }, ctx: Ctx) => asAgent(ctx, ticketId, () => holdTicket(deps, actorOf(ctx), ticketId, true)),
      resumeTicket: (_: unknown, { ticketId }: { ticketId: string }, ctx: Ctx) => asAgent(ctx, ticketId, () => holdTicket(deps, actorOf(ctx), ticketId, false)),
      assignTicket: (_: unknown, { ticketId, agentId }: { ticketId: string; agentId?: string | null }, ctx: Ctx) =>
        asAgent(ctx, ticketId, () => assignTicket(deps, actorOf(ctx), ticketId, agentId ?? null)),
      rateTicket: (_: unknown, args: { ticketId: string; rating: number; comment?: string | null }, ctx: Ctx) =>
        withWritable(ctx, args.ticketId, async () => {
          // SUP-7: the customer's rating; an agent cannot rate their own work.
          if (ctx.principal.kind !== 'user') throw forbidden(ctx.locale);
          return rateTicket(deps, actorOf(ctx), args.ticketId, args.rating, args.comment ?? null);
        }),
      decideAbuseFlag: (_: unknown, args: { ticketId: string; decision: string; note?: string | null }, ctx: Ctx) => {
        const operator = requireOperator(ctx, ...AGENT_ROLES);
        return asAgent(ctx, args.ticketId, async () => {
          if (!(ABUSE_DECISIONS as readonly string[]).includes(args.decision)) return { ok: false, code: 'INVALID_VALUE', field: ['decision'] };
          if (args.note && args.note.length > NOTE_MAX) return { ok: false, code: 'TOO_LONG', field: ['note'], params: { max: NOTE_MAX } };
          const at = new Date();
          const result = await changeTicket(deps, args.ticketId, (ticket) => {
            if (!ticket.flaggedForAbuse && !ticket.events.some((e) => e.kind === 'ABUSE_FLAGGED')) return { ok: false, code: 'NOT_FLAGGED', field: ['ticketId'] };
            if (args.decision === 'DISMISS') ticket.flaggedForAbuse = false;
            ticket.events.push({ kind: 'ABUSE_DECIDED', at, actorId: operator.userId, detail: args.decision });
          });
          if (!result.ok) return result;
          // The audit record: inserted, never updated or deleted (SUP-5).
          await models.AbuseDecision.create({ ticketId: args.ticketId, organizationId: result.ticket.organizationId, decision: args.decision as AbuseDecisionDoc['decision'], note: args.note ?? null, operatorId: operator.userId, at });
          return result;
        });
      },
      convertTicketToDataSubjectRequest: (_: unknown, { ticketId, kind }: { ticketId: string; kind: string }, ctx: Ctx) =>
        asAgent(ctx, ticketId, () => convertToDataSubjectRequest(deps, actorOf(ctx), ticketId, kind)),

      createCannedResponse: async (_: unknown, { input }: { input: { title: string; bodyTr: string; bodyEn: string } }, ctx: Ctx) => {
        const operator = requireOperator(ctx, ...AGENT_ROLES);
        const errors = cannedInput(ctx, input);
        if (errors.length) return { cannedResponse: null, userErrors: errors };
        const created = await models.CannedResponse.create({ ...input, title: input.title.trim(), createdBy: operator.userId });
        return { cannedResponse: withId(created.toObject()), userErrors: [] };
      },
      updateCannedResponse: async (_: unknown, { id, input }: { id: string; input: { title: string; bodyTr: string; bodyEn: string } }, ctx: Ctx) => {
        requireOperator(ctx, ...AGENT_ROLES);
        const errors = cannedInput(ctx, input);
        if (errors.length) return { cannedResponse: null, userErrors: errors };
        const canned = isEntityId(id) ? await models.CannedResponse.findOne({ _id: id, deletedAt: null }) : null;
        if (!canned) return { cannedResponse: null, userErrors: [userError(t, ctx.locale, 'CANNED_RESPONSE_NOT_FOUND', ['id'])] };
        canned.set({ title: input.title.trim(), bodyTr: input.bodyTr, bodyEn: input.bodyEn });
        await canned.save();
        return { cannedResponse: withId(canned.toObject()), userErrors: [] };
      },
      deleteCannedResponse: async (_: unknown, { id }: { id: string }, ctx: Ctx) => {
        requireOperator(ctx, ...AGENT_ROLES);
        const canned = isEntityId(id) ? await models.CannedResponse.findOne({ _id: id, deletedAt: null }) : null;
        if (!canned) return { cannedResponse: null, userErrors: [userError(t, ctx.locale, 'CANNED_RESPONSE_NOT_FOUND', ['id'])] };
        canned.deletedAt = new Date();
        await canned.save();
        return { cannedResponse: withId(canned.toObject()), userErrors: [] };
      },

      createAnnouncement: async (_: unknown, { input }: { input: Omit<AnnouncementDoc, '_id' | 'createdBy'> }, ctx: Ctx) => {
        const operator = requireOperator(ctx, ...AGENT_ROLES);
        const errors = [];
        for (const key of ['titleTr', 'titleEn', 'bodyTr', 'bodyEn'] as const) {
          if (!input[key].trim()) errors.push(userError(t, ctx.locale, 'REQUIRED', ['input', key]));
        }
        if (new Date(input.endsAt).getTime() <= new Date(input.startsAt).getTime()) errors.push(userError(t, ctx.locale, 'INVALID_WINDOW', ['input', 'endsAt']));
        if (input.extraBusinessTime && !isDurationAtMost(input.extraBusinessTime, 'P1Y')) errors.push(userError(t, ctx.locale, 'INVALID_DURATION', ['input', 'extraBusinessTime']));
        if (errors.length) return { announcement: null, userErrors: errors };
        const created = await models.Announcement.create({ ...input, extraBusinessTime: input.extraBusinessTime || null, createdBy: operator.userId });
        return { announcement: withId(created.toObject()), userErrors: [] };
      },
      setSlaPolicy: async (_: unknown, { input }: { input: { planCode: string; firstResponse: string; nextResponse: string; warnBefore: string } }, ctx: Ctx) => {
        requireOperator(ctx, 'SUPER_ADMIN');
        const errors = [];
        if (!input.planCode.trim()) errors.push(userError(t, ctx.locale, 'REQUIRED', ['input', 'planCode']));
        for (const key of ['firstResponse', 'nextResponse', 'warnBefore'] as const) {
          // at most a year: the SLA clock steps through business hours up to the target
          if (!isDurationAtMost(input[key], 'P1Y')) errors.push(userError(t, ctx.locale, 'INVALID_DURATION', ['input', key]));
        }
        if (errors.length) return { policy: null, userErrors: errors };
        const policy = await models.SlaPolicy.findOneAndUpdate(
          { planCode: input.planCode.trim() },
          { $set: { firstResponse: input.firstResponse, nextResponse: input.nextResponse, warnBefore: input.warnBefore } },
          { upsert: true, new: true },
        ).lean<SlaPolicyDoc>();
        return { policy, userErrors: [] };
      },

      addTicketAttachment: async (_: unknown, { input }: { input: { ticketId: string; fileName: string; contentBase64: string } }, ctx: Ctx) => {
        let attachment: AttachmentDoc | null = null;
        const payload = await withWritable(ctx, input.ticketId, async (ticket) => {
          if (ticket.status === 'CLOSED') return { ok: false, code: 'TICKET_CLOSED', field: ['input', 'ticketId'] };
          const stored = await storeAttachment(models, ticket, { ...input, uploadedBy: actorId(ctx), fromOperator: isAgent(ctx) });
          if (!stored.ok) return stored;
          attachment = stored.attachment;
          return { ok: true, ticket };
        });
        const stored = attachment as AttachmentDoc | null;
        return {
          attachment: stored ? { ...withId(stored), downloadPath: attachmentDownloadPath(stored._id.toString()) } : null,
          userErrors: payload.userErrors,
        };
      },
    },
  };
}
