import type { DataInventoryEntry } from '@omurga/workflows';

/**
 * CON-7: the personal data accounts holds (models.ts), why, on which legal
 * basis, for how long and who receives it. Keep this next to the models: a
 * new personal field is declared here in the same change.
 */
const entry = (e: Omit<DataInventoryEntry, 'service'>): DataInventoryEntry => ({ service: 'accounts', ...e });

export const ACCOUNTS_DATA_INVENTORY: readonly DataInventoryEntry[] = [
  entry({
    collection: 'users',
    fields: ['email', 'firstName', 'lastName', 'phone', 'locale', 'passwordHash', 'signUpIp', 'ageConfirmedAt'],
    dataSubjects: 'customer users and operators',
    purpose: 'membership, sign-in and contact about the service',
    legalBasis: 'KVKK 5/2-c (formation and performance of the contract)',
    retention: 'P10Y',
    retentionTrigger: 'end of the last membership (TBK 146 limitation period); erased on request or after termination',
    recipients: ['e-mail delivery provider'],
  }),
  entry({
    collection: 'organizations',
    fields: ['name (individuals)', 'nationalId (TCKN)', 'taxId', 'taxOffice', 'billingAddress', 'authorityDeclaredBy'],
    dataSubjects: 'individual customers, sole proprietors, company representatives',
    purpose: 'identifying the customer and invoicing',
    legalBasis: 'KVKK 5/2-c and 5/2-ç (VUK 230: invoice contents)',
    retention: 'P10Y',
    retentionTrigger: 'termination of the contract',
    recipients: ['billing service (invoices)', 'e-invoice integrator'],
  }),
  entry({
    collection: 'memberships',
    fields: ['userId', 'organizationId', 'role'],
    dataSubjects: 'customer users',
    purpose: 'authorisation within an organisation',
    legalBasis: 'KVKK 5/2-c',
    retention: 'P0D',
    retentionTrigger: 'removal from the organisation',
    recipients: [],
  }),
  entry({
    collection: 'sessions',
    fields: ['ip', 'userAgent', 'lastUsedAt'],
    dataSubjects: 'customer users and operators',
    purpose: 'keeping users signed in, detecting account takeover',
    legalBasis: 'KVKK 5/2-f (legitimate interest: security)',
    retention: 'P1Y',
    retentionTrigger: 'end of the session',
    recipients: [],
  }),
  entry({
    collection: 'action_tokens',
    fields: ['email', 'tokenHash'],
    dataSubjects: 'people invited or verifying an address',
    purpose: 'e-mail verification, password reset, invitations',
    legalBasis: 'KVKK 5/2-c',
    retention: 'P0D',
    retentionTrigger: 'expiry of the token',
    recipients: ['e-mail delivery provider'],
  }),
  entry({
    collection: 'audit_entries',
    fields: ['actorId', 'ip', 'before', 'after'],
    dataSubjects: 'operators and the customers they changed',
    purpose: 'accountability of operator actions (ACC-10)',
    legalBasis: 'KVKK 5/2-f (legitimate interest: proof and security), 12/1 (data security measures)',
    retention: 'P2Y',
    retentionTrigger: 'the action',
    recipients: [],
  }),
  entry({
    collection: 'document_requests, document_files',
    fields: ['identity and authority documents', 'fileName', 'uploadedBy'],
    dataSubjects: 'customers asked to prove identity or authority',
    purpose: 'verifying identity and authority to contract (ACC-7)',
    legalBasis: 'KVKK 5/2-c and 5/2-e (establishing a right)',
    retention: 'P10Y',
    retentionTrigger: 'termination of the contract',
    recipients: [],
  }),
  entry({
    collection: 'throttles',
    fields: ['_id (the e-mail or IP address a counter is kept for)'],
    dataSubjects: 'anyone signing in or signing up',
    purpose: 'limiting password guessing and sign-up abuse (ACC-4)',
    legalBasis: 'KVKK 5/2-f (legitimate interest: security)',
    retention: 'P1D',
    retentionTrigger: 'start of the counting window',
    recipients: [],
  }),
  entry({
    collection: 'api_keys',
    fields: ['name', 'createdBy'],
    dataSubjects: 'partner users',
    purpose: 'partner API access',
    legalBasis: 'KVKK 5/2-c',
    retention: 'P1Y',
    retentionTrigger: 'revocation of the key',
    recipients: [],
  }),
];
