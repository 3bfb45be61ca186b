import { isLocale } from '@omurga/shared';
import type { SupportActivities } from './workflows/contracts.ts';
import type { TicketConversionSupportActivities } from '@omurga/shared/contracts';
import type { TicketDoc } from './models.ts';
import { ticketConversionActivities } from './ticket-conversion.ts';
import { changeTicket, closeTicket, type TicketDeps } from './tickets.ts';

/**
 * The activities the ticket workflow calls on TASK_QUEUES.support (SUP-2,
 * SUP-3), and the link of a ticket converted to a data-subject request (SUP-8). Each is idempotent: a retry finds its effect already there.
 */
export function supportActivities(deps: TicketDeps): SupportActivities & TicketConversionSupportActivities {
  return {
    ...ticketConversionActivities(deps),

    async recordSlaDue({ ticketId, responseDueAt, firstResponseDueAt }) {
      await changeTicket(deps, ticketId, (ticket) => {
        ticket.responseDueAt = responseDueAt ? new Date(responseDueAt) : null;
        // The first-response target stays visible after it was met.
        if (firstResponseDueAt) ticket.firstResponseDueAt = new Date(firstResponseDueAt);
      });
    },

    async escalateTicket({ ticketId, stage, dueAt }) {
      const result = await changeTicket(deps, ticketId, (ticket) => {
        const detail = `${stage} ${dueAt}`;
        const fresh = !ticket.events.some((e) => e.kind === 'SLA_ESCALATED' && e.detail === detail);
        if (stage === 'BREACHED') ticket.slaBreached = true;
        if (fresh) ticket.events.push({ kind: 'SLA_ESCALATED', at: new Date(), actorId: null, detail });
      });
      if (!result.ok) return;
      // The e-mail key makes a retried activity send it once even when the event was recorded by an earlier attempt.
      await deps.mailer.send({
        key: `${ticketId}/escalation/${stage}/${dueAt}`,
        kind: 'SLA_ESCALATION',
        to: deps.escalationEmail,
        locale: 'tr',
        params: { number: result.ticket.number, subject: result.ticket.subject, stage, dueAt },
      });
    },

    async sendAutoCloseWarning({ ticketId, closesAt }) {
      const ticket = await deps.models.Ticket.findById(ticketId).lean<TicketDoc>();
      if (!ticket || ticket.status !== 'ANSWERED' || !ticket.openerEmail) return;
      await deps.mailer.send({
        key: `${ticketId}/auto-close-warning/${closesAt}`,
        kind: 'AUTO_CLOSE_WARNING',
        to: ticket.openerEmail,
        locale: isLocale(ticket.openerLocale) ? ticket.openerLocale : 'tr',
        params: { number: ticket.number, subject: ticket.subject, closesAt },
      });
    },

    async autoCloseTicket({ ticketId, at }) {
      // Only an ANSWERED ticket closes itself; anything else (a reply came in, already closed) is left alone.
      await closeTicket(deps, { id: 'system', agent: true, locale: 'tr' }, ticketId, 'AUTO_CLOSED', new Date(at));
    },
  };
}
