import { proxyActivities } from '@temporalio/workflow';
import { DATA_SUBJECT_NOT_FOUND, PERSONAL_DATA_SERVICES, type DataSubjectDirectory, type PersonalDataActivities, type PersonalDataRecordActivities, type PersonalDataService, TASK_QUEUES } from '@omurga/shared/contracts';

/**
 * Every data-owning service's personal-data activities, each on the service's
 * own queue. No attempt limit for erasure and records: an erasure must finish
 * even if a service is down for a while; the services' work is idempotent.
 */
const RETRY = { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' } as const;

const onQueue = (service: PersonalDataService) =>
  proxyActivities<PersonalDataActivities>({ taskQueue: TASK_QUEUES[service], startToCloseTimeout: '5 minutes', retry: RETRY });

export const servicesPersonalData = Object.fromEntries(PERSONAL_DATA_SERVICES.map((service) => [service, onQueue(service)])) as unknown as Record<PersonalDataService, PersonalDataActivities>;

/** An export gives up after a few attempts (a part too large to carry never succeeds) and is marked FAILED. */
export const servicesExport = Object.fromEntries(
  PERSONAL_DATA_SERVICES.map((service) => [
    service,
    proxyActivities<PersonalDataActivities>({ taskQueue: TASK_QUEUES[service], startToCloseTimeout: '5 minutes', retry: { ...RETRY, maximumAttempts: 5 } }),
  ]),
) as unknown as Record<PersonalDataService, PersonalDataActivities>;

/** The inventory is read while an operator waits: a service that does not answer soon fails the read. */
export const servicesInventory = Object.fromEntries(
  PERSONAL_DATA_SERVICES.map((service) => [
    service,
    proxyActivities<PersonalDataActivities>({ taskQueue: TASK_QUEUES[service], scheduleToCloseTimeout: '20 seconds', retry: { maximumAttempts: 3 } }),
  ]),
) as unknown as Record<PersonalDataService, PersonalDataActivities>;

export const subjectDirectory = proxyActivities<DataSubjectDirectory>({
  taskQueue: TASK_QUEUES.accounts,
  startToCloseTimeout: '1 minute',
  retry: { ...RETRY, nonRetryableErrorTypes: [DATA_SUBJECT_NOT_FOUND] },
});

export const personalDataRecords = proxyActivities<PersonalDataRecordActivities>({
  taskQueue: TASK_QUEUES.consent,
  startToCloseTimeout: '2 minutes',
  retry: RETRY,
});
