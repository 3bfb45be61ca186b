import { declareInventory } from '@omurga/shared/contracts';

/**
 * CON-7: the personal data billing holds (models/), why, on which legal
 * basis, for how long and who receives it. Declare a new personal field here
 * in the same change that adds it.
 */
export const BILLING_DATA_INVENTORY = declareInventory('billing', [
  {
    collection: 'invoices',
    fields: [
      'customer.name',
      'customer.customerCode',
      'customer.buyer (legal name, TCKN or VKN, tax office, billing address: VUK 230)',
      'lines',
      'paymentReference',
    ],
    dataSubjects: 'individual customers and sole proprietors (as buyers)',
    purpose: 'invoicing and bookkeeping',
    legalBasis: 'KVKK 5/2-ç (legal obligation: VUK 230, VUK 253 five years, TTK 82 ten years)',
    retention: 'P10Y',
    retentionTrigger: 'end of the calendar year the invoice was issued in; restricted to billing operators once erasure is requested',
    recipients: ['e-invoice integrator', 'tax authority (GİB)', 'auditors'],
  },
  {
    collection: 'billing_accounts',
    fields: ['paymentMethod.token'],
    dataSubjects: 'card holders',
    purpose: 'charging the stored card on renewal (BIL-5)',
    legalBasis: 'KVKK 5/2-c (performance of the contract)',
    retention: 'P0D',
    retentionTrigger: 'removal of the card, termination or erasure',
    recipients: ['payment institution (holds the card; the platform keeps only its token)'],
  },
  {
    collection: 'payment_attempts',
    fields: ['providerPaymentId', 'declineCode'],
    dataSubjects: 'card holders',
    purpose: 'collection and reconciliation of payments',
    legalBasis: 'KVKK 5/2-ç (bookkeeping, VUK 253)',
    retention: 'P10Y',
    retentionTrigger: 'end of the calendar year of the attempt',
    recipients: ['payment institution'],
  },
  {
    collection: 'sandbox_einvoices',
    fields: ['xml (the UBL-TR document, with the buyer identity)'],
    dataSubjects: 'individual customers and sole proprietors (as buyers)',
    purpose: 'record of what the sandbox e-invoice integrator was sent (local runs and tests only)',
    legalBasis: 'KVKK 5/2-ç (legal obligation: VUK 230, e-Fatura / e-Arşiv)',
    retention: 'P10Y',
    retentionTrigger: 'end of the calendar year the invoice was issued in',
    recipients: ['none (a production integrator keeps its own copy as the e-invoice integrator above)'],
  },
  {
    collection: 'billing_emails',
    fields: ['to', 'subject'],
    dataSubjects: 'customer owners and billing contacts',
    purpose: 'record of what the customer was told about billing',
    legalBasis: 'KVKK 5/2-e (establishing and defending a right)',
    retention: 'P2Y',
    retentionTrigger: 'sending of the e-mail',
    recipients: ['e-mail delivery provider'],
  },
  {
    collection: 'usage_records, prepaid_entries, partner_commissions',
    fields: ['organizationId', 'quantities', 'amounts'],
    dataSubjects: 'customers (usage of the service)',
    purpose: 'usage-based charges and partner commissions',
    legalBasis: 'KVKK 5/2-c and 5/2-ç',
    retention: 'P10Y',
    retentionTrigger: 'end of the calendar year of the invoice that billed them',
    recipients: ['referring partner (commission amounts only)'],
  },
]);
