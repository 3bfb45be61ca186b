import { describe, expect, it } from 'vitest';
import { defaultMaxCachedWorkflows, workflowWorkerTuning } from '../src/temporal/worker-tuning.ts';

const MiB = 2 ** 20;

describe('workflow worker tuning (issue 16)', () => {
  it('sizes the sticky cache from the heap: 1.5 MB a workflow in three quarters of it, never under 50', () => {
    expect(defaultMaxCachedWorkflows(4288 * MiB)).toBe(2144);
    expect(defaultMaxCachedWorkflows(8192 * MiB)).toBe(4096);
    expect(defaultMaxCachedWorkflows(64 * MiB)).toBe(50);
  });

  it('takes WORKER_MAX_CACHED_WORKFLOWS when given, the heap-derived size otherwise, and refuses nonsense', () => {
    expect(workflowWorkerTuning({ WORKER_MAX_CACHED_WORKFLOWS: '300' }).maxCachedWorkflows).toBe(300);
    expect(workflowWorkerTuning({}).maxCachedWorkflows).toBe(defaultMaxCachedWorkflows());
    expect(() => workflowWorkerTuning({ WORKER_MAX_CACHED_WORKFLOWS: '0' })).toThrow();
  });
});
