import { WORKFLOW_BUNDLE_ENTRY, WORKFLOW_BUNDLER_OPTIONS, createTimeSkippingEnvironment } from '@omurga/workflows/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { organizationErasureWorkflowId } from '../../../billing/src/workflows/contracts.ts';
import { personalDataErasureWorkflowId, personalDataExportWorkflowId, type PersonalDataErasureInput } from '@omurga/shared/contracts';
import { fakePersonalData, fakePlatformPersonalData, personalDataWorkers, type FakePlatformPersonalData } from './personal-data-workers.ts';

const QUEUE = 'test-personal-data-workflows';
const DAY_MS = 86_400_000;
const SERVICES = ['accounts', 'billing', 'consent', 'support'] as const;

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await createTimeSkippingEnvironment();
});
afterAll(async () => {
  await env?.teardown();
});

/** Runs `body` with the workflow bundle on QUEUE and the fakes on every service's queue. */
async function withWorkers<T>(fakes: FakePlatformPersonalData, body: () => Promise<T>): Promise<T> {
  const workers = [
    await Worker.create({ connection: env.nativeConnection, taskQueue: QUEUE, workflowsPath: WORKFLOW_BUNDLE_ENTRY, bundlerOptions: WORKFLOW_BUNDLER_OPTIONS }),
    ...(await personalDataWorkers(env, fakes)),
  ];
  const running = workers.map((worker) => worker.run());
  try {
    return await body();
  } finally {
    for (const worker of workers) worker.shutdown();
    await Promise.all(running);
  }
}

describe('personal data across the platform (CON-5 ACCESS, CON-6, CON-7, CON-9)', () => {
  it('CON-6: a person is resolved by accounts first, erased by every service on its own queue, and the destruction record lists every report', async () => {
    const fakes = fakePlatformPersonalData();
    const input: PersonalDataErasureInput = { erasureId: 'dsr/req-1', subject: { kind: 'PERSON', userId: 'user-1' }, reason: 'DATA_SUBJECT_REQUEST', requestId: 'req-1' };
    const result = await withWorkers(fakes, () =>
      env.client.workflow.execute('personalDataErasureWorkflow', { taskQueue: QUEUE, workflowId: personalDataErasureWorkflowId(input.erasureId), args: [input] }),
    );
    const subject = { kind: 'PERSON', userId: 'user-1', email: 'user-1@example.test', organizationIds: ['org-of-the-person'] };
    expect(fakes.directory.callsOf('describeDataSubject').map((c) => c.input)).toEqual([{ userId: 'user-1' }]);
    for (const service of SERVICES) {
      expect(fakes[service].callsOf('erasePersonalData').map((c) => c.input)).toEqual([{ subject, erasureId: 'dsr/req-1' }]);
      // nothing is erased before accounts has said who the person is
      expect(fakes[service].calls[0]!.scheduledAt).toBeGreaterThanOrEqual(fakes.directory.calls[0]!.scheduledAt);
    }
    const [record] = fakes.records.callsOf('recordDestruction').map((c) => c.input as Record<string, unknown>);
    expect(record).toMatchObject({ erasureId: 'dsr/req-1', subject, reason: 'DATA_SUBJECT_REQUEST', requestId: 'req-1' });
    expect((record!.reports as { service: string }[]).map((r) => r.service)).toEqual([...SERVICES]);
    expect((result as { reports: unknown[] }).reports).toHaveLength(4);
  });

  it('CON-6 [000 §7.5, 002 §9]: the termination path waits for the deletion delay, then erases the organisation everywhere', async () => {
    const fakes = fakePlatformPersonalData();
    const start = await env.currentTimeMs();
    const eraseAt = new Date(start + 30 * DAY_MS).toISOString();
    await withWorkers(fakes, () =>
      env.client.workflow.execute('organizationErasureWorkflow', {
        taskQueue: QUEUE,
        workflowId: organizationErasureWorkflowId('org-9'),
        args: [{ organizationId: 'org-9', eraseAt }],
      }),
    );
    expect(fakes.directory.calls).toEqual([]);
    for (const service of SERVICES) {
      const [call] = fakes[service].callsOf('erasePersonalData');
      expect(call!.input).toEqual({ subject: { kind: 'ORGANIZATION', organizationId: 'org-9' }, erasureId: 'termination/org-9' });
      expect(Math.round((call!.scheduledAt - start) / DAY_MS)).toBe(30);
    }
    expect(fakes.records.callsOf('recordDestruction').map((c) => (c.input as { reason: string }).reason)).toEqual(['TERMINATION']);
  });

  it('CON-5 ACCESS / CON-9: an export collects every service\'s part and hands it to the consent service', async () => {
    const fakes = fakePlatformPersonalData();
    await withWorkers(fakes, () =>
      env.client.workflow.execute('personalDataExportWorkflow', {
        taskQueue: QUEUE,
        workflowId: personalDataExportWorkflowId('exp-1'),
        args: [{ exportId: 'exp-1', subject: { kind: 'ORGANIZATION', organizationId: 'org-2' } }],
      }),
    );
    for (const service of SERVICES) {
      expect(fakes[service].callsOf('exportPersonalData').map((c) => c.input)).toEqual([{ subject: { kind: 'ORGANIZATION', organizationId: 'org-2' } }]);
    }
    const [stored] = fakes.records.callsOf('storePersonalDataExport').map((c) => c.input as { exportId: string; parts: { service: string; data: unknown }[] });
    expect(stored!.exportId).toBe('exp-1');
    expect(stored!.parts).toEqual(SERVICES.map((service) => ({ service, data: { from: service } })));
  });

  it('CON-5 ACCESS: a service that cannot give its part (e.g. too large to carry) marks the export FAILED after a few attempts, instead of keeping it PREPARING forever', async () => {
    const fakes = {
      ...fakePlatformPersonalData(),
      billing: fakePersonalData('billing', {
        exportPersonalData: async () => {
          throw new Error('payload too large');
        },
      }),
    };
    const result = await withWorkers(fakes, () =>
      env.client.workflow.execute('personalDataExportWorkflow', {
        taskQueue: QUEUE,
        workflowId: personalDataExportWorkflowId('exp-too-large'),
        args: [{ exportId: 'exp-too-large', subject: { kind: 'ORGANIZATION', organizationId: 'org-3' } }],
      }),
    );
    expect(result).toEqual({ exportId: 'exp-too-large', services: [] });
    expect(fakes.billing.callsOf('exportPersonalData')).toHaveLength(5);
    expect(fakes.records.callsOf('storePersonalDataExport')).toEqual([]);
    expect(fakes.records.callsOf('failPersonalDataExport').map((c) => c.input)).toEqual([
      { exportId: 'exp-too-large', reason: 'payload too large', at: expect.any(String) },
    ]);
  });

  it('CON-7: the inventory gathers every service\'s declaration; a destruction run asks every service and is logged', async () => {
    const fakes = fakePlatformPersonalData();
    const [inventory, run] = await withWorkers(fakes, async () => [
      await env.client.workflow.execute('dataInventoryWorkflow', { taskQueue: QUEUE, workflowId: 'data-inventory/test', args: [] }),
      await env.client.workflow.execute('periodicDestructionWorkflow', { taskQueue: QUEUE, workflowId: 'periodic-destruction/test-run', args: [] }),
    ]);
    expect((inventory as { service: string }[]).map((e) => e.service)).toEqual([...SERVICES]);
    for (const service of SERVICES) expect(fakes[service].callsOf('destroyExpiredPersonalData')).toHaveLength(1);
    const [logged] = fakes.records.callsOf('recordDestructionRun').map((c) => c.input as { runId: string; reports: unknown[] });
    expect(logged!.runId).toBe('periodic-destruction/test-run');
    expect(logged!.reports).toHaveLength(4);
    expect(run).toEqual({ runId: 'periodic-destruction/test-run', destroyed: 0 });
  });
});
