// Cross-service wire contracts: activity names and payloads that one service
// serves to another's workflows, and the workflow names and IDs one service
// starts on behalf of another. Types and names only, no rules; workflow-safe.
export * from './task-queues.ts';
export * from './accounts.ts';
export * from './billing.ts';
export * from './consent.ts';
export * from './support.ts';
export * from './personal-data.ts';
export * from './webhooks.ts';
