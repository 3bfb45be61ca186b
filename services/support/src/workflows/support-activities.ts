import { proxyActivities } from '@temporalio/workflow';
import type { SupportActivities } from './contracts.ts';
import { TASK_QUEUES } from '@omurga/shared/contracts';

/**
 * The support service's activities. No maximumAttempts: a recorded due time,
 * an escalation or an auto-close must not be lost while the support service
 * is down, and every one of them is idempotent.
 */
export const supportActivities = proxyActivities<SupportActivities>({
  taskQueue: TASK_QUEUES.support,
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});
