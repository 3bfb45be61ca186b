// Every workflow the worker runs: the shared e-mail workflow and each
// service's own. This file is the worker's workflow bundle entry: it may import
// only deterministic code (no I/O, no Node APIs).
export { sendEmailWorkflow } from './send-email.ts';
export * from '@omurga/accounts/workflows';
export * from '@omurga/billing/workflows';
export * from '@omurga/consent/workflows';
export * from '@omurga/support/workflows';
