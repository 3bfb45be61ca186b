/**
 * Custom search attributes the workflows set, so operators can filter every
 * running lifecycle in the Temporal UI by customer, plan and state (SPEC §6).
 * The local dev server registers exactly these at start.
 */
export const SEARCH_ATTRIBUTES = {
  OrganizationId: 'Keyword',
  CustomerCode: 'Keyword',
  PlanCode: 'Keyword',
  SubscriptionStatus: 'Keyword',
  TicketStatus: 'Keyword',
  RequestKind: 'Keyword',
} as const;
