import { proxyActivities } from '@temporalio/workflow';
import { INVALID_TRANSITION, ORGANIZATION_NOT_FOUND, type AccountsActivities, type SubscriptionRunActivities } from '../contracts/accounts.ts';
import { TASK_QUEUES } from '../contracts/task-queues.ts';

/**
 * The accounts service's activities, run on its own task queue. No
 * maximumAttempts: a suspension, reinstatement or release must never be lost
 * while accounts is down, so only the contract's non-retryable errors stop it.
 */
export const accountsActivities = proxyActivities<AccountsActivities & SubscriptionRunActivities>({
  taskQueue: TASK_QUEUES.accounts,
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '5 seconds',
    backoffCoefficient: 2,
    maximumInterval: '10 minutes',
    nonRetryableErrorTypes: [INVALID_TRANSITION, ORGANIZATION_NOT_FOUND],
  },
});
