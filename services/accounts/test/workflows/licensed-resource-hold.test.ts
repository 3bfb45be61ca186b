import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { licensedResourceHoldWorkflowId } from '@omurga/shared/contracts';
import { createTimeSkippingEnvironment, TEST_WORKFLOWS_QUEUE } from '@omurga/workflows/testing';
import type { licensedResourceHoldWorkflow } from '../../src/workflows/index.ts';
import { fakeAccountsActivities, withAccountsWorkers } from './accounts-workers.ts';

const DAY_MS = 86_400_000;

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await createTimeSkippingEnvironment();
});
afterAll(async () => {
  await env?.teardown();
});

describe('licensedResourceHoldWorkflow (ACC-11: licensed resources held, then released)', () => {
  it('ACC-11: holds the resources until holdUntil (30 days, skipped) and releases them then', async () => {
    const accounts = fakeAccountsActivities({ held: 4, released: 4 });
    const startedAt = await env.currentTimeMs();
    const holdUntil = new Date(startedAt + 30 * DAY_MS).toISOString();

    const result = await withAccountsWorkers(env, accounts.activities, () =>
      env.client.workflow.execute<typeof licensedResourceHoldWorkflow>('licensedResourceHoldWorkflow', {
        taskQueue: TEST_WORKFLOWS_QUEUE,
        workflowId: licensedResourceHoldWorkflowId('org-7'),
        args: [{ organizationId: 'org-7', holdUntil }],
      }),
    );

    expect(result).toEqual({ held: 4, released: 4 });
    expect(accounts.calls.map((c) => [c.activity, c.input])).toEqual([
      ['holdLicensedResources', { organizationId: 'org-7', until: holdUntil }],
      ['releaseLicensedResources', { organizationId: 'org-7' }],
    ]);
    const [held, released] = accounts.calls;
    expect(held!.scheduledAt).toBeLessThan(startedAt + DAY_MS);
    expect(released!.scheduledAt).toBeGreaterThanOrEqual(Date.parse(holdUntil));
    expect(await env.currentTimeMs()).toBeGreaterThanOrEqual(Date.parse(holdUntil));
  });

  it('ACC-11: fails without holding anything when holdUntil is not an instant', async () => {
    const accounts = fakeAccountsActivities();

    const run = withAccountsWorkers(env, accounts.activities, () =>
      env.client.workflow.execute<typeof licensedResourceHoldWorkflow>('licensedResourceHoldWorkflow', {
        taskQueue: TEST_WORKFLOWS_QUEUE,
        workflowId: licensedResourceHoldWorkflowId('org-8'),
        args: [{ organizationId: 'org-8', holdUntil: 'next month' }],
      }),
    );

    await expect(run).rejects.toMatchObject({ cause: { type: 'InvalidInput' } });
    expect(accounts.calls).toEqual([]);
  });
});
