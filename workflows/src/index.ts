export { TASK_QUEUES } from './task-queues.ts';
export { SEARCH_ATTRIBUTES } from './search-attributes.ts';
export { emailWorkflowId, type EmailMessage } from './email.ts';
export { connectTemporalClient } from './client.ts';
export * from './contracts/accounts.ts';
export * from './contracts/billing.ts';
export * from './billing-rules.ts';
export { connectServiceTemporal, type ServiceTemporal } from './service-temporal.ts';
