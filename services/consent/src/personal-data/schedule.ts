import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { PERIODIC_DESTRUCTION_SCHEDULE_ID, TASK_QUEUES } from '@omurga/shared/contracts';

/**
 * CON-7: periodic destruction runs on a Temporal Schedule, monthly at 03:00
 * Istanbul time on the 1st (the Deletion Regulation asks for at least every 6
 * months). Created when the consent service starts if it does not exist; an
 * existing schedule is left as operators may have tuned or paused it.
 */
export async function ensurePeriodicDestructionSchedule(temporal: Client): Promise<void> {
  try {
    await temporal.schedule.create({
      scheduleId: PERIODIC_DESTRUCTION_SCHEDULE_ID,
      spec: { calendars: [{ dayOfMonth: 1, hour: 3, minute: 0 }], timezone: 'Europe/Istanbul' },
      action: { type: 'startWorkflow', workflowType: 'periodicDestructionWorkflow', taskQueue: TASK_QUEUES.workflows, args: [] },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '7 days' },
      memo: { purpose: 'CON-7 periodic destruction' },
    });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
}
