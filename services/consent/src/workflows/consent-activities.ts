import { proxyActivities } from '@temporalio/workflow';
import { BREACH_NOT_FOUND, type BreachActivities } from './contracts/breaches.ts';
import { DATA_SUBJECT_REQUEST_NOT_FOUND, type ConsentRequestActivities } from './contracts/requests.ts';
import { TERMS_DOCUMENT_NOT_FOUND, type TermsRolloutActivities } from './contracts/terms.ts';
import { TASK_QUEUES } from '@omurga/shared/contracts';

/** Everything the consent service offers to workflows on its own task queue. */
export type ConsentActivities = ConsentRequestActivities & BreachActivities & TermsRolloutActivities;

/**
 * The consent service's activities. No maximumAttempts: a status change,
 * reminder, escalation, notice or acceptance must not be lost while the
 * consent service is down, so only the contracts' not-found errors stop them.
 */
export const consentActivities = proxyActivities<ConsentActivities>({
  taskQueue: TASK_QUEUES.consent,
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '5 seconds',
    backoffCoefficient: 2,
    maximumInterval: '10 minutes',
    nonRetryableErrorTypes: [DATA_SUBJECT_REQUEST_NOT_FOUND, BREACH_NOT_FOUND, TERMS_DOCUMENT_NOT_FOUND],
  },
});
