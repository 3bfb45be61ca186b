import { declareInventory } from '@omurga/shared/contracts';

/**
 * CON-7: the personal data support holds (models.ts), why, on which legal
 * basis, for how long and who receives it. Declare a new personal field here
 * in the same change that adds it.
 */
export const SUPPORT_DATA_INVENTORY = declareInventory('support', [
  {
    collection: 'tickets',
    fields: ['openedBy', 'openerEmail', 'openerLocale', 'subject', 'messages.body', 'messages.authorId', 'rating.comment'],
    dataSubjects: 'customer users and support agents',
    purpose: 'answering support requests within the SLA (SUP-1..SUP-3)',
    legalBasis: 'KVKK 5/2-c (performance of the contract)',
    retention: 'P2Y',
    retentionTrigger: 'closing of the ticket',
    recipients: ['e-mail delivery provider'],
  },
  {
    collection: 'ticket_attachments, ticket_attachment_chunks',
    fields: ['fileName', 'content', 'uploadedBy'],
    dataSubjects: 'customer users',
    purpose: 'files customers send with a ticket',
    legalBasis: 'KVKK 5/2-c',
    retention: 'P2Y',
    retentionTrigger: 'closing of the ticket',
    recipients: [],
  },
  {
    collection: 'abuse_decisions',
    fields: ['ticketId', 'organizationId', 'note', 'operatorId'],
    dataSubjects: 'customers whose messages were flagged, operators',
    purpose: 'record of operator decisions on abusive language (SUP-5)',
    legalBasis: 'KVKK 5/2-e (establishing and defending a right) and 5/2-f',
    retention: 'P2Y',
    retentionTrigger: 'the decision',
    recipients: [],
  },
]);
