import { fileURLToPath } from 'node:url';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { TermsRolloutActivities } from '../src/contracts/consent-terms.ts';
import { recordingActivities, withConsentWorkers, type RecordedActivityCall } from './consent-workers.ts';

export const TERMS_TEST_WORKFLOWS_QUEUE = 'test-terms-workflows';
export type RecordedTermsCall = RecordedActivityCall<TermsRolloutActivities>;

/**
 * A recording stand-in for the consent service: `recipients` are the affected
 * customers, served `pageSize` at a time (never more than the workflow asks).
 */
export function fakeTermsActivities(recipients: string[], pageSize = 100) {
  return recordingActivities<TermsRolloutActivities>({
    async listAffectedCustomers(input) {
      const from = input.cursor === null ? 0 : Number(input.cursor);
      const to = Math.min(recipients.length, from + Math.min(pageSize, input.limit));
      return { ids: recipients.slice(from, to), nextCursor: to < recipients.length ? String(to) : null };
    },
    async notifyTermsChange() {},
    async offerCostFreeCancellation() {},
    async makeBinding() {},
    async recordContinuedUseAcceptance() {},
  });
}

/** Runs `body` with the terms-rollout workflow on TERMS_TEST_WORKFLOWS_QUEUE and `activities` on consent's queue. */
export function withTermsWorkers<T>(env: TestWorkflowEnvironment, activities: TermsRolloutActivities, body: () => Promise<T>): Promise<T> {
  const workflowsPath = fileURLToPath(new URL('../src/workflows/consent/terms-rollout.ts', import.meta.url));
  return withConsentWorkers(env, activities, body, workflowsPath, TERMS_TEST_WORKFLOWS_QUEUE);
}
