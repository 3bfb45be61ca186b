// billing's workflows, for the worker's bundle (deterministic code only).
export {
  subscriptionWorkflow,
  cancelSignal,
  planChangedSignal,
  paymentMethodUpdatedSignal,
  invoicePaidSignal,
  chargebackSignal,
  chargebackResolvedSignal,
  trialConfirmedSignal,
  organizationStandingSignal,
  upcomingQuery,
  subscriptionStateQuery,
  type SubscriptionOutcome,
} from './subscription-lifecycle.ts';
export { organizationErasureWorkflow } from './organization-erasure.ts';
export { organizationStandingWorkflow } from './organization-standing.ts';
export { subscriptionImportWorkflow } from './subscription-import.ts';
