// Helpers for workflow code only (deterministic; bundled into the worker).
export { parseInstant } from './time.ts';
export { accountsActivities } from './accounts-activities.ts';
export { emitWebhookEvent, emitWebhookEvents } from './webhooks.ts';
