import { workflowInfo } from '@temporalio/workflow';
import { PERSONAL_DATA_SERVICES } from '@omurga/shared/contracts';
import { personalDataRecords, servicesPersonalData } from './service-activities.ts';

/**
 * CON-7: one periodic destruction run (the Deletion Regulation asks for one at
 * least every 6 months; the Schedule runs it monthly). Every service destroys
 * what outlived its retention period, and the consent service logs the run.
 */
export async function periodicDestructionWorkflow(): Promise<{ runId: string; destroyed: number }> {
  const runId = workflowInfo().workflowId;
  const startedAt = new Date(Date.now()).toISOString();
  const reports = await Promise.all(
    PERSONAL_DATA_SERVICES.map((service) => servicesPersonalData[service].destroyExpiredPersonalData({ now: startedAt, runId })),
  );
  await personalDataRecords.recordDestructionRun({ runId, startedAt, completedAt: new Date(Date.now()).toISOString(), reports });
  return { runId, destroyed: reports.reduce((sum, r) => sum + r.erased.reduce((n, l) => n + l.count, 0), 0) };
}
