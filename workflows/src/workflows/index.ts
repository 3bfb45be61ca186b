// Every workflow the worker runs. This file is the worker's workflow bundle
// entry: it may import only deterministic code (no I/O, no Node APIs).
export { sendEmailWorkflow } from './send-email.ts';
