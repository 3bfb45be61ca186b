// consent's workflows, for the worker's bundle (deterministic code only).
export {
  dataSubjectRequestWorkflow,
  identityVerifiedSignal,
  workStartedSignal,
  requestAnsweredSignal,
  requestRejectedSignal,
  dataSubjectRequestStateQuery,
} from './data-subject-request.ts';
export {
  breachClockWorkflow,
  endUserRequestForwardingWorkflow,
  boardNotifiedSignal,
  controllerNotifiedSignal,
  breachClosedSignal,
  breachStateQuery,
  forwardingAcknowledgedSignal,
} from './breach-clock.ts';
export { termsRolloutWorkflow, termsObjectedSignal, termsRolloutStateQuery } from './terms-rollout.ts';
export { recordLegalAcceptancesWorkflow } from './legal-acceptances.ts';
export { commercialMessageWorkflow } from './commercial-message.ts';
export { ticketToDataSubjectRequestWorkflow } from './ticket-conversion.ts';
export { personalDataErasureWorkflow } from './personal-data/erasure.ts';
export { personalDataExportWorkflow } from './personal-data/export.ts';
export { dataInventoryWorkflow } from './personal-data/inventory.ts';
export { periodicDestructionWorkflow } from './personal-data/periodic-destruction.ts';
