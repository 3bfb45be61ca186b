import { ApplicationFailure, type Client } from '@temporalio/client';
import { Types } from 'mongoose';
import { CONVERTED_TICKET_NOT_FOUND, DATA_SUBJECT_REQUEST_DETAILS_MAX, DATA_SUBJECT_REQUEST_KINDS, ticketToDataSubjectRequestWorkflowId, type DataSubjectRequestKind, type TicketConversionSupportActivities, type TicketToDataSubjectRequestInput } from '@omurga/shared/contracts';
import { startWorkflowOnce } from '@omurga/shared/temporal';
import type { TicketDoc } from './models.ts';
import { changeTicket, fail, type Actor, type Result, type TicketDeps } from './tickets.ts';
import { ERASED_AUTHOR } from './personal-data.ts';

/** Starts the conversion workflow (SUP-8); consent records the request, then support links it. */
export interface DataSubjectRequestConversions {
  /** false when the ticket's conversion was already started */
  start(input: TicketToDataSubjectRequestInput): Promise<boolean>;
  /** Waits (at most `ms`) for the conversion to finish, so the agent usually sees the link at once. */
  settle(ticketId: string, ms: number): Promise<void>;
}

export function temporalConversions(client: Client): DataSubjectRequestConversions {
  return {
    async start(input) {
      const outcome = await startWorkflowOnce(client, 'ticketToDataSubjectRequestWorkflow', {
        workflowId: ticketToDataSubjectRequestWorkflowId(input.ticketId),
        args: [input],
        // A failed run may be started again; a running or finished one means the ticket is converted.
        workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
      });
      return outcome === 'STARTED';
    },
    async settle(ticketId, ms) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, ms);
      });
      const done = client.workflow
        .getHandle(ticketToDataSubjectRequestWorkflowId(ticketId))
        .result()
        .then(
          () => undefined,
          () => undefined, // a failure shows as a ticket without its link; the workflow's history tells why
        );
      await Promise.race([done, timeout]);
      clearTimeout(timer);
    },
  };
}

/** How long the mutation waits for consent before answering with the ticket as it is (the link follows). */
const SETTLE_MS = 10_000;

const LABELS = {
  tr: { ticket: 'Destek talebi', opened: 'Açılış', customer: 'Müşteri', agent: 'Destek ekibi', cut: '[devamı kısaltıldı]' },
  en: { ticket: 'Support ticket', opened: 'Opened', customer: 'Customer', agent: 'Support', cut: '[truncated]' },
} as const;

/**
 * The conversation the customer saw, as readable text: internal notes stay in
 * support (SUP-7). Cut to the request details limit, keeping the start (the
 * person's own request).
 */
export function customerTranscript(ticket: Pick<TicketDoc, 'number' | 'subject' | 'createdAt' | 'messages' | 'openerLocale'>, max = DATA_SUBJECT_REQUEST_DETAILS_MAX): string {
  const labels = ticket.openerLocale === 'en' ? LABELS.en : LABELS.tr;
  const parts = [`${labels.ticket} ${ticket.number}: ${ticket.subject}`, `${labels.opened}: ${ticket.createdAt.toISOString()}`];
  for (const message of ticket.messages) {
    if (message.internal) continue;
    parts.push(`[${message.createdAt.toISOString()}] ${message.fromOperator ? labels.agent : labels.customer}:\n${message.body}`);
  }
  const text = parts.join('\n\n');
  if (text.length <= max) return text;
  const marker = `\n${labels.cut}`;
  return text.slice(0, max - marker.length) + marker;
}

/** Nobody to answer: a partner opened it, or its opener was erased (CON-6). */
const isNotAPerson = (id: string) => id.startsWith('partner:') || id === ERASED_AUTHOR;

/**
 * SUP-8: an agent turns a ticket into a data-subject request (CON-5) of the
 * person who opened it. The ticket keeps its history; the workflow links it
 * to the request once consent has recorded it.
 */
export async function convertToDataSubjectRequest(deps: TicketDeps, actor: Actor, ticketId: string, kind: string): Promise<Result> {
  if (!(DATA_SUBJECT_REQUEST_KINDS as readonly string[]).includes(kind)) return fail('INVALID_VALUE', ['kind']);
  const ticket = Types.ObjectId.isValid(ticketId) ? await deps.models.Ticket.findById(ticketId).lean<TicketDoc>() : null;
  if (!ticket) return fail('TICKET_NOT_FOUND', ['ticketId']);
  if (ticket.dataSubjectRequestId) return fail('ALREADY_CONVERTED', ['ticketId']);
  if (isNotAPerson(ticket.openedBy)) return fail('OPENER_NOT_A_PERSON', ['ticketId']);
  const started = await deps.conversions.start({
    ticketId,
    userId: ticket.openedBy,
    kind: kind as DataSubjectRequestKind,
    // The request arrived with the ticket: its 30 days (KVKK art. 13) run from then.
    receivedAt: ticket.createdAt.toISOString(),
    details: customerTranscript(ticket),
  });
  if (!started) return fail('ALREADY_CONVERTED', ['ticketId']);
  const recorded = await changeTicket(deps, ticketId, (doc) => {
    doc.events.push({ kind: 'DSR_CONVERSION_REQUESTED', at: new Date(), actorId: actor.id, detail: kind });
  });
  if (!recorded.ok) return recorded;
  await deps.conversions.settle(ticketId, SETTLE_MS);
  const settled = await deps.models.Ticket.findById(ticketId).lean<TicketDoc>();
  return { ok: true, ticket: settled ?? recorded.ticket };
}

/** The support service's side of ticketToDataSubjectRequestWorkflow; a retry finds the link already there. */
export function ticketConversionActivities(deps: Pick<TicketDeps, 'models'>): TicketConversionSupportActivities {
  return {
    async linkTicketToDataSubjectRequest({ ticketId, requestId }) {
      const result = await changeTicket(deps, ticketId, (ticket) => {
        if (ticket.dataSubjectRequestId === requestId) return fail('ALREADY_LINKED');
        ticket.dataSubjectRequestId = requestId;
        ticket.events.push({ kind: 'CONVERTED_TO_DSR', at: new Date(), actorId: null, detail: requestId });
      });
      if (!result.ok && result.code === 'TICKET_NOT_FOUND') throw ApplicationFailure.nonRetryable(`ticket ${ticketId} not found`, CONVERTED_TICKET_NOT_FOUND);
    },
  };
}
