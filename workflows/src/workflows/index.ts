// Every workflow the worker runs. This file is the worker's workflow bundle
// entry: it may import only deterministic code (no I/O, no Node APIs).
export { sendEmailWorkflow } from './send-email.ts';
export {
  documentDeadlineWorkflow,
  documentRequestStateQuery,
  documentRequestWithdrawnSignal,
  documentsSubmittedSignal,
  type DocumentDeadlineOutcome,
  type DocumentRequestState,
} from './document-deadline.ts';
export { licensedResourceHoldWorkflow } from './licensed-resource-hold.ts';
export {
  subscriptionWorkflow,
  cancelSignal,
  planChangedSignal,
  paymentMethodUpdatedSignal,
  invoicePaidSignal,
  chargebackSignal,
  chargebackResolvedSignal,
  upcomingQuery,
  subscriptionStateQuery,
  scheduleOrganizationErasure,
  type SubscriptionOutcome,
} from './billing/subscription-lifecycle.ts';
export { invoiceCollectionWorkflow } from './billing/invoice-collection.ts';
export { organizationErasureWorkflow } from './billing/organization-erasure.ts';
export {
  dataSubjectRequestWorkflow,
  identityVerifiedSignal,
  workStartedSignal,
  requestAnsweredSignal,
  requestRejectedSignal,
  dataSubjectRequestStateQuery,
} from './consent/data-subject-request.ts';
export {
  breachClockWorkflow,
  endUserRequestForwardingWorkflow,
  boardNotifiedSignal,
  controllerNotifiedSignal,
  breachClosedSignal,
  breachStateQuery,
  forwardingAcknowledgedSignal,
} from './consent/breach-clock.ts';
export { termsRolloutWorkflow, termsObjectedSignal, termsRolloutStateQuery } from './consent/terms-rollout.ts';
export { recordLegalAcceptancesWorkflow } from './consent/legal-acceptances.ts';
export { commercialMessageWorkflow } from './consent/commercial-message.ts';
export { ticketWorkflow, ticketEventSignal, ticketSlaQuery } from './support/ticket.ts';
export { personalDataErasureWorkflow } from './personal-data/erasure.ts';
export { personalDataExportWorkflow } from './personal-data/export.ts';
export { dataInventoryWorkflow } from './personal-data/inventory.ts';
export { periodicDestructionWorkflow } from './personal-data/periodic-destruction.ts';
export { ticketToDataSubjectRequestWorkflow } from './consent/ticket-conversion.ts';
