import { fileURLToPath } from 'node:url';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { BreachActivities } from '../../src/workflows/contracts/breaches.ts';
import { recordingActivities, type RecordedActivityCall } from '@omurga/workflows/testing';
import { withConsentWorkers } from './consent-workers.ts';

export const BREACH_TEST_WORKFLOWS_QUEUE = 'test-breach-workflows';
export type RecordedBreachCall = RecordedActivityCall<BreachActivities>;

/** A recording stand-in for the consent service's breach register. */
export function fakeBreachActivities() {
  return recordingActivities<BreachActivities>({
    async escalateBreach() {},
    async recordBreachClock() {},
    async forwardEndUserRequest({ recipients }) {
      return { recipients: recipients.length };
    },
    async escalateEndUserRequest() {},
  });
}

/**
 * Runs `body` with the breach workflows on BREACH_TEST_WORKFLOWS_QUEUE,
 * `activities` on consent's queue and `accounts` (default: a fakeContactDirectory()) on accounts' queue.
 */
export function withBreachWorkers<T>(env: TestWorkflowEnvironment, activities: BreachActivities, body: () => Promise<T>, accounts?: object): Promise<T> {
  const workflowsPath = fileURLToPath(new URL('../../src/workflows/breach-clock.ts', import.meta.url));
  return withConsentWorkers(env, activities, body, workflowsPath, BREACH_TEST_WORKFLOWS_QUEUE, accounts);
}
