// accounts' workflows, for the worker's bundle (deterministic code only).
export {
  documentDeadlineWorkflow,
  documentRequestStateQuery,
  documentRequestWithdrawnSignal,
  documentsSubmittedSignal,
  type DocumentDeadlineOutcome,
  type DocumentRequestState,
} from './document-deadline.ts';
export { licensedResourceHoldWorkflow } from './licensed-resource-hold.ts';
export { webhookDeliveryWorkflow, webhookEventWorkflow } from './webhooks.ts';
