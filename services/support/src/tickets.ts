import { Types } from 'mongoose';
import { isLocale, type Locale, type Logger } from '@omurga/shared';
import { webhookEventId, type WebhookEvent, type WebhookEventType } from '@omurga/shared/contracts';
import type { TicketEvent, TicketWorkflowInput } from './workflows/contracts.ts';
import type { SupportMailer } from './emails.ts';
import type { FederationReader } from './federation.ts';
import { TICKET_DEPARTMENTS, type SupportModels, type TicketDoc, type TicketStatus } from './models.ts';
import { extensionsAt, slaTargetsFor, type AutoCloseSettings, type TicketClock } from './sla.ts';
import type { DataSubjectRequestConversions } from './ticket-conversion.ts';
import { insertNumbered } from './ticket-numbers.ts';
import { openTicketClock, ticketPolicy, ticketSlaState } from './workflows/ticket-clock.ts';

/** What a ticket operation needs besides the database. */
export interface TicketDeps {
  models: SupportModels;
  clock: TicketClock;
  mailer: SupportMailer;
  logger: Logger;
  autoClose: AutoCloseSettings;
  /** where escalations and abuse flags go (SUP-3, SUP-5); agents' addresses are kept by accounts */
  escalationEmail: string;
  /** the abusive terms found in a customer message */
  findAbusiveTerms: (text: string) => string[];
  /** SUP-6: free installation within this many days of the order */
  installationWindowDays: number;
  /** SUP-8: turns a ticket into a data-subject request (through Temporal) */
  conversions: DataSubjectRequestConversions;
  /** hands an event to accounts for the organisation's (and its partner's) webhooks (issue 15) */
  emitEvent: (event: WebhookEvent) => Promise<unknown>;
}

export type Failure = { ok: false; code: string; field: string[] | null; params?: Record<string, string | number> };
export type Result = { ok: true; ticket: TicketDoc } | Failure;

export const fail = (code: string, field: string[] | null = null, params?: Record<string, string | number>): Failure => ({ ok: false, code, field, params });

export const SUBJECT_MAX = 200;
export const BODY_MAX = 20_000;

export interface OpenTicketArgs {
  organizationId: string;
  subject: string;
  body: string;
  department: string;
  priority: string;
  subscriptionId?: string | null;
  resourceId?: string | null;
}

export interface Actor {
  id: string;
  agent: boolean;
  locale: Locale;
  /** the person's e-mail when known (for a customer opening a ticket) */
  email?: string | null;
}

function validateText(subject: string | null, body: string, root: string[]): Failure | null {
  if (subject !== null) {
    if (!subject.trim()) return fail('REQUIRED', [...root, 'subject']);
    if (subject.length > SUBJECT_MAX) return fail('TOO_LONG', [...root, 'subject'], { max: SUBJECT_MAX });
  }
  const bodyField = subject !== null ? [...root, 'body'] : ['body'];
  if (!body.trim()) return fail('REQUIRED', bodyField);
  if (body.length > BODY_MAX) return fail('TOO_LONG', bodyField, { max: BODY_MAX });
  return null;
}

const DAY_MS = 86_400_000;

/** SUP-6: ordered at most `days` days (of 24 hours) before `now`; an unknown order time never qualifies. */
export function withinInstallationWindow(orderedAt: Date | null, now: Date, days: number): boolean {
  if (!orderedAt) return false;
  const age = now.getTime() - orderedAt.getTime();
  return age >= 0 && age <= days * DAY_MS;
}

/** SUP-6: an installation request names a subscription of the organisation ordered at most N days ago. */
async function checkInstallationWindow(deps: TicketDeps, federation: FederationReader, args: OpenTicketArgs, now: Date): Promise<Failure | null> {
  if (!args.subscriptionId) return fail('SUBSCRIPTION_REQUIRED', ['input', 'subscriptionId']);
  let subscriptions;
  try {
    subscriptions = await federation.subscriptions(args.organizationId);
  } catch (error) {
    deps.logger.warn({ err: error }, 'billing did not answer an installation check');
    return fail('BILLING_UNAVAILABLE', ['input', 'subscriptionId']);
  }
  const subscription = subscriptions.find((s) => s.id === args.subscriptionId);
  if (!subscription) return fail('SUBSCRIPTION_NOT_FOUND', ['input', 'subscriptionId']);
  const days = deps.installationWindowDays;
  if (!withinInstallationWindow(subscription.orderedAt, now, days)) {
    return fail('INSTALLATION_WINDOW_CLOSED', ['input', 'subscriptionId'], { days });
  }
  return null;
}

/** `federation` reads billing with the opener's own token (SUP-3 plan, SUP-6 order date). */
export async function openTicket(deps: TicketDeps, federation: FederationReader, actor: Actor, args: OpenTicketArgs): Promise<Result> {
  const invalid = validateText(args.subject, args.body, ['input']);
  if (invalid) return invalid;
  if (!(TICKET_DEPARTMENTS as readonly string[]).includes(args.department)) {
    return fail('INVALID_DEPARTMENT', ['input', 'department'], { allowed: TICKET_DEPARTMENTS.join(', ') });
  }
  if (args.resourceId && args.resourceId.length > 200) return fail('TOO_LONG', ['input', 'resourceId'], { max: 200 });
  if (args.subscriptionId && !Types.ObjectId.isValid(args.subscriptionId)) return fail('SUBSCRIPTION_NOT_FOUND', ['input', 'subscriptionId']);
  const now = new Date();
  if (args.department === 'INSTALLATION') {
    const closed = await checkInstallationWindow(deps, federation, args, now);
    if (closed) return closed;
  }
  const abusive = actor.agent ? [] : deps.findAbusiveTerms(`${args.subject}\n${args.body}`);

  // The clock's input is stored with the ticket in one insert, so every later event can signal (or restart) it.
  const _id = new Types.ObjectId();
  const { targets, planCode } = await slaTargetsFor(deps.models, federation, args.organizationId, deps.logger);
  const slaInput: TicketWorkflowInput = {
    ticketId: _id.toString(),
    openedAt: now.toISOString(),
    targets,
    extensions: await extensionsAt(deps.models, now),
    autoCloseAfter: deps.autoClose.after,
    autoCloseWarning: deps.autoClose.warning,
  };
  // Read your writes: the due times the clock will record, computed by the clock's own rules, are stored with the ticket.
  const due = ticketSlaState(openTicketClock(now.getTime(), ticketPolicy(slaInput)));
  const ticket = await insertNumbered<TicketDoc>(
    deps.models.Ticket,
    deps.models.TicketNumberClaim,
    {
      _id,
      slaInput,
      organizationId: args.organizationId,
      openedBy: actor.id,
      openerEmail: actor.email ?? null,
      openerLocale: actor.locale,
      subject: args.subject.trim(),
      department: args.department,
      status: 'OPEN',
      priority: args.priority,
      subscriptionId: args.subscriptionId ?? null,
      resourceId: args.resourceId ?? null,
      messages: [{ body: args.body, authorId: actor.id, fromOperator: actor.agent, internal: false, createdAt: now }],
      events: [{ kind: 'OPENED', at: now, actorId: actor.id }, ...(abusive.length ? [{ kind: 'ABUSE_FLAGGED', at: now, actorId: null, detail: abusive.join(', ') }] : [])],
      flaggedForAbuse: abusive.length > 0,
      firstResponseDueAt: due.firstResponseDueAt ? new Date(due.firstResponseDueAt) : null,
      responseDueAt: due.responseDueAt ? new Date(due.responseDueAt) : null,
    },
    now,
  );
  const id = ticket._id.toString();
  // A ticket without its clock would never escalate: a failed start fails the request (the ticket stays, and the next event's signal-with-start starts it).
  await deps.clock.start(slaInput);
  deps.logger.info({ ticketId: id, number: ticket.number, planCode }, 'ticket opened');
  await emitTicketEvent(deps, 'ticket.opened', ticket, [], now);
  if (abusive.length) await notifyAbuse(deps, { ...ticket, slaInput }, abusive);
  return { ok: true, ticket: { ...ticket, slaInput } };
}

/**
 * ticket.opened / ticket.answered for webhooks: ids and states, never the
 * text. A failed hand-over is logged, not raised: the ticket change stands.
 */
async function emitTicketEvent(deps: TicketDeps, type: WebhookEventType, ticket: TicketDoc, key: string[], at: Date): Promise<void> {
  const ticketId = ticket._id.toString();
  const event: WebhookEvent = {
    id: webhookEventId(type, ticketId, ...key),
    type,
    organizationId: ticket.organizationId.toString(),
    occurredAt: at.toISOString(),
    data: { ticketId, number: ticket.number, status: ticket.status, department: ticket.department, priority: ticket.priority },
  };
  try {
    await deps.emitEvent(event);
  } catch (error) {
    deps.logger.error({ err: error, eventId: event.id }, 'webhook event not handed over');
  }
}

async function notifyAbuse(deps: TicketDeps, ticket: TicketDoc, terms: string[], messageKey = 'open'): Promise<void> {
  await deps.mailer.send({
    key: `${ticket._id.toString()}/abuse/${messageKey}`,
    kind: 'ABUSE_FLAGGED',
    to: deps.escalationEmail,
    locale: 'tr',
    params: { number: ticket.number, subject: ticket.subject, terms: terms.join(', ') },
  });
}

const MAX_SAVE_ATTEMPTS = 5;

/**
 * Loads the ticket, applies `change` and saves it under optimistic
 * concurrency; a concurrent save makes it start over from the new state.
 */
export async function changeTicket(
  deps: Pick<TicketDeps, 'models'>,
  ticketId: string,
  change: (ticket: InstanceType<SupportModels['Ticket']>) => Failure | null | void,
): Promise<Result> {
  for (let attempt = 1; ; attempt++) {
    const ticket = Types.ObjectId.isValid(ticketId) ? await deps.models.Ticket.findById(ticketId) : null;
    if (!ticket) return fail('TICKET_NOT_FOUND', ['ticketId']);
    const refused = change(ticket);
    if (refused) return refused;
    try {
      await ticket.save();
      return { ok: true, ticket: ticket.toObject() as TicketDoc };
    } catch (error) {
      if ((error as Error).name !== 'VersionError' || attempt >= MAX_SAVE_ATTEMPTS) throw error;
    }
  }
}

function slaInputOf(ticket: TicketDoc): TicketWorkflowInput | null {
  return (ticket.slaInput as TicketWorkflowInput | null) ?? null;
}

async function tellClock(deps: TicketDeps, ticket: TicketDoc, event: TicketEvent): Promise<void> {
  const input = slaInputOf(ticket);
  if (!input) {
    deps.logger.warn({ ticketId: ticket._id.toString() }, 'ticket without SLA input; event not signalled');
    return;
  }
  await deps.clock.signal(input, event);
}

/** A reply from the customer's side reopens the ticket (SUP-2); an agent's answers it. */
export async function reply(deps: TicketDeps, actor: Actor, ticketId: string, body: string): Promise<Result> {
  const invalid = validateText(null, body, []);
  if (invalid) return invalid;
  const now = new Date();
  let terms: string[] = [];
  let messageId = '';
  const result = await changeTicket(deps, ticketId, (ticket) => {
    const status = ticket.status as TicketStatus;
    if (actor.agent) {
      if (status === 'CLOSED') return fail('TICKET_CLOSED', ['ticketId']);
      ticket.status = status === 'ON_HOLD' ? 'ON_HOLD' : 'ANSWERED';
      if (status === 'ON_HOLD') ticket.statusBeforeHold = 'ANSWERED';
    } else {
      terms = deps.findAbusiveTerms(body);
      if (status === 'ANSWERED' || status === 'CLOSED') ticket.status = 'CUSTOMER_REPLY';
      if (status === 'CLOSED') {
        ticket.closedAt = null;
        ticket.events.push({ kind: 'REOPENED', at: now, actorId: actor.id });
      }
      if (terms.length) {
        ticket.flaggedForAbuse = true;
        ticket.events.push({ kind: 'ABUSE_FLAGGED', at: now, actorId: null, detail: terms.join(', ') });
      }
    }
    const message = ticket.messages.create({ body, authorId: actor.id, fromOperator: actor.agent, internal: false, createdAt: now });
    messageId = message._id.toString();
    ticket.messages.push(message);
  });
  if (!result.ok) return result;
  const ticket = result.ticket;
  await tellClock(deps, ticket, { kind: actor.agent ? 'AGENT_REPLIED' : 'CUSTOMER_REPLIED', at: now.toISOString() });
  if (actor.agent) await emitTicketEvent(deps, 'ticket.answered', ticket, [messageId], now);
  if (actor.agent && ticket.openerEmail) {
    await deps.mailer.send({
      key: `${ticketId}/reply/${messageId}`,
      kind: 'AGENT_REPLIED',
      to: ticket.openerEmail,
      locale: isLocale(ticket.openerLocale) ? ticket.openerLocale : 'tr',
      params: { number: ticket.number, subject: ticket.subject, body },
    });
  }
  if (terms.length) await notifyAbuse(deps, ticket, terms, messageId);
  return result;
}

export async function addInternalNote(deps: TicketDeps, actor: Actor, ticketId: string, body: string): Promise<Result> {
  const invalid = validateText(null, body, []);
  if (invalid) return invalid;
  return changeTicket(deps, ticketId, (ticket) => {
    ticket.messages.push({ body, authorId: actor.id, fromOperator: true, internal: true, createdAt: new Date() });
  });
}

export async function closeTicket(deps: TicketDeps, actor: Actor, ticketId: string, reason: 'CLOSED' | 'AUTO_CLOSED' = 'CLOSED', at = new Date()): Promise<Result> {
  const result = await changeTicket(deps, ticketId, (ticket) => {
    if (ticket.status === 'CLOSED') return fail('TICKET_CLOSED', ['ticketId']);
    if (reason === 'AUTO_CLOSED' && ticket.status !== 'ANSWERED') return fail('INVALID_TRANSITION', ['ticketId'], { status: ticket.status });
    ticket.status = 'CLOSED';
    ticket.statusBeforeHold = null;
    ticket.closedAt = at;
    ticket.responseDueAt = null;
    ticket.events.push({ kind: reason, at, actorId: reason === 'CLOSED' ? actor.id : null });
  });
  if (!result.ok) return result;
  const ticket = result.ticket;
  if (reason === 'CLOSED') await tellClock(deps, ticket, { kind: 'CLOSED', at: at.toISOString() });
  if (ticket.openerEmail) {
    await deps.mailer.send({
      key: `${ticketId}/closed/${at.getTime()}`,
      kind: 'TICKET_CLOSED',
      to: ticket.openerEmail,
      locale: isLocale(ticket.openerLocale) ? ticket.openerLocale : 'tr',
      params: { number: ticket.number, subject: ticket.subject },
    });
  }
  return result;
}

export async function holdTicket(deps: TicketDeps, actor: Actor, ticketId: string, hold: boolean): Promise<Result> {
  const now = new Date();
  const result = await changeTicket(deps, ticketId, (ticket) => {
    const status = ticket.status as TicketStatus;
    if (hold ? status === 'ON_HOLD' || status === 'CLOSED' : status !== 'ON_HOLD') return fail('INVALID_TRANSITION', ['ticketId'], { status });
    if (hold) {
      ticket.statusBeforeHold = status;
      ticket.status = 'ON_HOLD';
    } else {
      ticket.status = (ticket.statusBeforeHold as TicketStatus | null) ?? 'OPEN';
      ticket.statusBeforeHold = null;
    }
    ticket.events.push({ kind: hold ? 'ON_HOLD' : 'RESUMED', at: now, actorId: actor.id });
  });
  if (result.ok) await tellClock(deps, result.ticket, { kind: hold ? 'ON_HOLD' : 'RESUMED', at: now.toISOString() });
  return result;
}

export async function assignTicket(deps: TicketDeps, actor: Actor, ticketId: string, agentId: string | null): Promise<Result> {
  if (agentId !== null && !Types.ObjectId.isValid(agentId)) return fail('AGENT_NOT_FOUND', ['agentId']);
  return changeTicket(deps, ticketId, (ticket) => {
    ticket.assigneeId = agentId;
    ticket.events.push({ kind: agentId ? 'ASSIGNED' : 'UNASSIGNED', at: new Date(), actorId: actor.id, detail: agentId });
  });
}

export async function rateTicket(deps: TicketDeps, actor: Actor, ticketId: string, rating: number, comment: string | null): Promise<Result> {
  if (!Number.isInteger(rating) || rating < 1 || rating > 5) return fail('INVALID_RATING', ['rating']);
  if (comment && comment.length > 2000) return fail('TOO_LONG', ['comment'], { max: 2000 });
  return changeTicket(deps, ticketId, (ticket) => {
    if (ticket.status !== 'CLOSED') return fail('NOT_CLOSED', ['ticketId']);
    if (ticket.rating) return fail('ALREADY_RATED', ['ticketId']);
    ticket.rating = { rating, comment: comment ?? undefined, ratedAt: new Date() };
    ticket.events.push({ kind: 'RATED', at: new Date(), actorId: actor.id, detail: String(rating) });
  });
}
