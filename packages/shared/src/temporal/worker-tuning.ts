import v8 from 'node:v8';
import type { WorkerOptions } from '@temporalio/worker';
import { z } from 'zod';

/**
 * Issue 16: the workers' concurrency, set explicitly rather than left to the
 * SDK's defaults, each overridable from the environment (README
 * "Performance" explains the choices). The workflow worker runs every
 * workflow's code (CPU in this process); the services' activity workers wait
 * on the database, whose writes are serialised locally, so more of them at
 * once only queue there.
 */
const count = (fallback: number) => z.coerce.number().int().min(1).max(10_000).default(fallback);
const tuning = z.object({
  WORKER_WORKFLOW_TASK_SLOTS: count(16),
  WORKER_WORKFLOW_TASK_POLLERS: count(4),
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(1).max(10_000).optional(),
  WORKER_ACTIVITY_SLOTS: count(32),
  WORKER_ACTIVITY_POLLERS: count(4),
});

export type WorkerTuning = Pick<
  WorkerOptions,
  'maxConcurrentWorkflowTaskExecutions' | 'maxConcurrentWorkflowTaskPolls' | 'maxCachedWorkflows' | 'maxConcurrentActivityTaskExecutions' | 'maxConcurrentActivityTaskPolls'
>;

/**
 * The sticky cache's default size: a cached workflow of this platform held
 * about 2 MB of the workflow thread's heap (the thread ran out of its 4.2 GB
 * with a fixed 2 000 cached), of which 1.25 MB was libraries evaluated again
 * per workflow; with those shared (workflows/src/shared-libraries.ts) about
 * 1 MB is left, so the default budgets 1.5 MB each in three quarters of the
 * heap (2 144 with Node's default 4.2 GB). A workflow pushed out replays its
 * run's history when it next wakes, which is short (one run per period).
 */
export function defaultMaxCachedWorkflows(heapLimitBytes = v8.getHeapStatistics().heap_size_limit): number {
  return Math.max(50, Math.floor(((heapLimitBytes / 2 ** 20) * 0.75) / 1.5));
}

/** The workflow worker: workflow task slots, pollers and the sticky cache, plus its own (e-mail) activities. */
export function workflowWorkerTuning(env: NodeJS.ProcessEnv = process.env): WorkerTuning {
  const t = tuning.parse(env);
  return {
    maxConcurrentWorkflowTaskExecutions: t.WORKER_WORKFLOW_TASK_SLOTS,
    maxConcurrentWorkflowTaskPolls: t.WORKER_WORKFLOW_TASK_POLLERS,
    maxCachedWorkflows: t.WORKER_MAX_CACHED_WORKFLOWS ?? defaultMaxCachedWorkflows(),
    maxConcurrentActivityTaskExecutions: t.WORKER_ACTIVITY_SLOTS,
    maxConcurrentActivityTaskPolls: t.WORKER_ACTIVITY_POLLERS,
  };
}

/** A service's activity worker (no workflows). */
export function activityWorkerTuning(env: NodeJS.ProcessEnv = process.env): WorkerTuning {
  const t = tuning.parse(env);
  return { maxConcurrentActivityTaskExecutions: t.WORKER_ACTIVITY_SLOTS, maxConcurrentActivityTaskPolls: t.WORKER_ACTIVITY_POLLERS };
}
