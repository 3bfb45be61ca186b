import type { DataSubject, ErasureLine, PersonalDataActivities, ServiceErasureReport } from '@omurga/shared/contracts';
import { rememberingReports } from '@omurga/shared';
import { SUPPORT_DATA_INVENTORY } from './data-inventory.ts';
import type { SupportModels } from './models.ts';

/**
 * KVKK erasure and export of what support holds (CON-5 ACCESS, CON-6, CON-9).
 * An erased organisation's tickets go entirely, with their files; a person
 * who leaves an organisation that stays is taken out of its tickets: their
 * messages, ticket subjects, ratings and files are erased, the conversation
 * with everyone else stays. Every step only touches what is not erased yet.
 */

export const ERASED_TEXT = '[silindi / erased]';
export const ERASED_AUTHOR = 'erased';

const line = (collection: string, description: string, count: number): ErasureLine => ({ collection, description, count });

async function deleteAttachments(models: SupportModels, filter: Record<string, unknown>): Promise<number> {
  const attachments = await models.Attachment.find(filter, { _id: 1 }).lean();
  const ids = attachments.map((a) => a._id.toString());
  if (ids.length === 0) return 0;
  await models.AttachmentChunk.deleteMany({ attachmentId: { $in: ids } });
  return (await models.Attachment.deleteMany({ _id: { $in: ids } })).deletedCount;
}

async function eraseOrganizations(models: SupportModels, organizationIds: string[]): Promise<ErasureLine[]> {
  if (organizationIds.length === 0) return [];
  const files = await deleteAttachments(models, { organizationId: { $in: organizationIds } });
  const [tickets, decisions] = await Promise.all([
    models.Ticket.deleteMany({ organizationId: { $in: organizationIds } }),
    models.AbuseDecision.deleteMany({ organizationId: { $in: organizationIds } }),
  ]);
  return [
    line('tickets', 'tickets with their conversations', tickets.deletedCount),
    line('ticket_attachments', 'files sent with tickets', files),
    line('abuse_decisions', 'decisions on flagged messages', decisions.deletedCount),
  ];
}

const MAX_RACES = 20;

/**
 * Rewrites one ticket without the person, guarded by its version (__v), so a
 * reply or note written meanwhile is never overwritten: on a lost race the
 * ticket is read again. Returns how many of the person's messages it erased.
 */
async function erasePersonFromTicket(models: SupportModels, ticketId: unknown, userId: string): Promise<{ opened: boolean; messages: number }> {
  for (let race = 0; race < MAX_RACES; race++) {
    const ticket = await models.Ticket.findById(ticketId).lean();
    if (!ticket) return { opened: false, messages: 0 };
    const opened = ticket.openedBy === userId;
    const messages = ticket.messages.filter((m) => m.authorId === userId).length;
    const version = (ticket as { __v?: number }).__v ?? 0;
    const result = await models.Ticket.updateOne(
      { _id: ticket._id, __v: version },
      {
        $set: {
          messages: ticket.messages.map((m) => (m.authorId === userId ? { ...m, body: ERASED_TEXT, authorId: ERASED_AUTHOR } : m)),
          events: ticket.events.map((e) => (e.actorId === userId ? { ...e, actorId: null } : e)),
          ...(opened ? { openedBy: ERASED_AUTHOR, openerEmail: null, subject: ERASED_TEXT, rating: ticket.rating ? { ...ticket.rating, comment: null } : null } : {}),
        },
        $inc: { __v: 1 },
      },
    );
    if (result.modifiedCount === 1) return { opened, messages };
  }
  throw new Error(`ticket ${String(ticketId)} kept changing while the person was erased from it`);
}

async function erasePerson(models: SupportModels, userId: string, email: string | null): Promise<ErasureLine[]> {
  const tickets = await models.Ticket.find(
    { $or: [{ openedBy: userId }, { 'messages.authorId': userId }, ...(email ? [{ openerEmail: email }] : [])] },
    { _id: 1 },
  ).lean();
  let messages = 0;
  let opened = 0;
  for (const ticket of tickets) {
    const erased = await erasePersonFromTicket(models, ticket._id, userId);
    messages += erased.messages;
    if (erased.opened) opened++;
  }
  const files = await deleteAttachments(models, { uploadedBy: userId });
  return [
    line('tickets', 'tickets the person opened (subject, contact, rating comment)', opened),
    line('tickets', 'messages the person wrote', messages),
    line('ticket_attachments', 'files the person sent', files),
  ];
}

export async function eraseSubject(models: SupportModels, subject: DataSubject): Promise<ServiceErasureReport> {
  const erased =
    subject.kind === 'PERSON'
      ? [...(await eraseOrganizations(models, subject.organizationIds)), ...(await erasePerson(models, subject.userId, subject.email))]
      : await eraseOrganizations(models, [subject.organizationId]);
  return { service: 'support', erased: erased.filter((l) => l.count > 0), kept: [] };
}

type TicketRow = Awaited<ReturnType<SupportModels['Ticket']['find']>>[number] & { _id: { toString(): string }; createdAt?: Date };

/**
 * A ticket as its customer sees it (SUP-7): no internal notes, and none of the
 * agents' fields (assignee, abuse flag, event log, KVKK link, authors' ids).
 */
export function customerTicketView(ticket: TicketRow, onlyMessagesOf?: string) {
  return {
    id: ticket._id.toString(),
    number: ticket.number,
    organizationId: ticket.organizationId,
    subject: ticket.subject,
    department: ticket.department,
    priority: ticket.priority,
    status: ticket.status,
    subscriptionId: ticket.subscriptionId ?? null,
    resourceId: ticket.resourceId ?? null,
    openedAt: ticket.createdAt ?? null,
    closedAt: ticket.closedAt ?? null,
    rating: ticket.rating ?? null,
    messages: ticket.messages
      .filter((m) => !m.internal && (onlyMessagesOf === undefined || m.authorId === onlyMessagesOf))
      .map((m) => ({ body: m.body, fromSupport: m.fromOperator, at: m.createdAt })),
  };
}

/**
 * What support holds about the subject, as the customer sees it: an
 * organisation's tickets; a person's own tickets (and organisations that are
 * them) plus only their own messages in colleagues' tickets.
 */
export async function exportSubject(models: SupportModels, subject: DataSubject): Promise<Record<string, unknown>> {
  const whole = subject.kind === 'PERSON'
    ? await models.Ticket.find({ $or: [{ openedBy: subject.userId }, { organizationId: { $in: subject.organizationIds } }] }).lean()
    : await models.Ticket.find({ organizationId: subject.organizationId }).lean();
  const wholeIds = new Set(whole.map((t) => t._id.toString()));
  const others = subject.kind === 'PERSON'
    ? (await models.Ticket.find({ 'messages.authorId': subject.userId }).lean()).filter((t) => !wholeIds.has(t._id.toString()))
    : [];
  const attachments = await models.Attachment.find(
    { ticketId: { $in: [...wholeIds] }, complete: true },
    { _id: 1, ticketId: 1, fileName: 1, contentType: 1, size: 1, createdAt: 1 },
  ).lean();
  const data = {
    tickets: whole.map((t) => customerTicketView(t as TicketRow)),
    messagesInOtherTickets: subject.kind === 'PERSON' ? others.map((t) => customerTicketView(t as TicketRow, subject.userId)) : [],
    attachments,
  };
  return JSON.parse(JSON.stringify(data)) as Record<string, unknown>;
}

/** Periodic destruction (CON-7): tickets closed more than two years ago, with their files. */
export async function destroyExpired(models: SupportModels, now: Date): Promise<ServiceErasureReport> {
  const twoYearsAgo = new Date(now.getTime() - 2 * 365 * 86_400_000);
  const old = await models.Ticket.find({ status: 'CLOSED', closedAt: { $lt: twoYearsAgo } }, { _id: 1 }).lean();
  const ids = old.map((t) => t._id.toString());
  const files = ids.length > 0 ? await deleteAttachments(models, { ticketId: { $in: ids } }) : 0;
  const tickets = ids.length > 0 ? (await models.Ticket.deleteMany({ _id: { $in: ids } })).deletedCount : 0;
  const decisions = (await models.AbuseDecision.deleteMany({ at: { $lt: twoYearsAgo } })).deletedCount;
  return {
    service: 'support',
    erased: [
      line('tickets', 'tickets closed more than two years ago', tickets),
      line('ticket_attachments', 'their files', files),
      line('abuse_decisions', 'abuse decisions older than two years', decisions),
    ].filter((l) => l.count > 0),
    kept: [],
  };
}

/** support's side of CON-5/6/7/9, served on its own task queue. */
export function supportPersonalDataActivities(models: SupportModels): PersonalDataActivities {
  return rememberingReports<PersonalDataActivities>(models.Ticket.db, {
    exportPersonalData: async ({ subject }) => ({ service: 'support', data: await exportSubject(models, subject) }),
    erasePersonalData: ({ subject }) => eraseSubject(models, subject),
    dataInventory: async () => [...SUPPORT_DATA_INVENTORY],
    destroyExpiredPersonalData: ({ now }) => destroyExpired(models, new Date(now)),
  });
}
