import { fileURLToPath } from 'node:url';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { SupportActivities } from '../../src/workflows/contracts.ts';
import { TASK_QUEUES } from '@omurga/shared/contracts';
import { WORKFLOW_BUNDLER_OPTIONS, recordingActivities, type RecordedActivityCall } from '@omurga/workflows/testing';

export const SUPPORT_TEST_WORKFLOWS_QUEUE = 'test-support-workflows';
export type RecordedSupportCall = RecordedActivityCall<SupportActivities>;

/** A recording stand-in for the support service's activities, doing nothing. */
export function fakeSupportActivities() {
  return recordingActivities<SupportActivities>({
    async recordSlaDue() {},
    async escalateTicket() {},
    async sendAutoCloseWarning() {},
    async autoCloseTicket() {},
  });
}

/**
 * Runs `body` while the ticket workflow polls SUPPORT_TEST_WORKFLOWS_QUEUE
 * and `activities` serve the support service's queue.
 */
export async function withSupportWorkers<T>(env: TestWorkflowEnvironment, activities: SupportActivities, body: () => Promise<T>): Promise<T> {
  const workflowWorker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: SUPPORT_TEST_WORKFLOWS_QUEUE,
    workflowsPath: fileURLToPath(new URL('../../src/workflows/ticket.ts', import.meta.url)),
    bundlerOptions: WORKFLOW_BUNDLER_OPTIONS,
  });
  const supportWorker = await Worker.create({ connection: env.nativeConnection, taskQueue: TASK_QUEUES.support, activities });
  return workflowWorker.runUntil(supportWorker.runUntil(body));
}
