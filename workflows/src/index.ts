export { TASK_QUEUES } from './task-queues.ts';
export { SEARCH_ATTRIBUTES } from './search-attributes.ts';
export { emailWorkflowId, type EmailMessage } from './email.ts';
export { connectTemporalClient } from './client.ts';
export * from './contracts/accounts.ts';
