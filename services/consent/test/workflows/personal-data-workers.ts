import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { type DataSubject, type DataSubjectDirectory, type PersonalDataActivities, type PersonalDataRecordActivities, type PersonalDataService, TASK_QUEUES } from '@omurga/shared/contracts';
import { recordingActivities } from '@omurga/workflows/testing';

/** A service's personal-data activities that erase nothing and report one line per call (CON-6). */
export function fakePersonalData(service: PersonalDataService, overrides: Partial<PersonalDataActivities> = {}) {
  return recordingActivities<PersonalDataActivities>({
    ...defaultPersonalData(service),
    ...overrides,
  });
}

function defaultPersonalData(service: PersonalDataService): PersonalDataActivities {
  return {
    exportPersonalData: async () => ({ service, data: { from: service } }),
    erasePersonalData: async () => ({ service, erased: [{ collection: `${service}_data`, description: 'fake', count: 1 }], kept: [] }),
    dataInventory: async () => [
      { service, collection: `${service}_data`, fields: ['f'], dataSubjects: 'd', purpose: 'p', legalBasis: 'b', retention: 'P1Y', retentionTrigger: 't', recipients: [] },
    ],
    destroyExpiredPersonalData: async () => ({ service, erased: [], kept: [] }),
  };
}

/** The consent service's records of personal-data work, kept in memory. */
export function fakePersonalDataRecords() {
  return recordingActivities<PersonalDataRecordActivities>({
    recordDestruction: async () => {},
    storePersonalDataExport: async () => {},
    failPersonalDataExport: async () => {},
    recordDestructionRun: async () => {},
  });
}

/** accounts' directory: every user is a person with an e-mail and one individual organisation. */
export function fakeSubjectDirectory(organizationIds: string[] = ['org-of-the-person']) {
  return recordingActivities<DataSubjectDirectory>({
    describeDataSubject: async ({ userId }): Promise<Extract<DataSubject, { kind: 'PERSON' }>> => ({
      kind: 'PERSON',
      userId,
      email: `${userId}@example.test`,
      organizationIds,
    }),
  });
}

export type FakePersonalData = ReturnType<typeof fakePersonalData>;

/** Fakes for every service's queue: personal data everywhere, the directory on accounts, the records on consent. */
export function fakePlatformPersonalData() {
  return {
    accounts: fakePersonalData('accounts'),
    billing: fakePersonalData('billing'),
    consent: fakePersonalData('consent'),
    support: fakePersonalData('support'),
    directory: fakeSubjectDirectory(),
    records: fakePersonalDataRecords(),
  };
}
export type FakePlatformPersonalData = ReturnType<typeof fakePlatformPersonalData>;

/** Workers for the service queues a test does not serve itself, with the given fakes (`skip`: queues the test serves). */
export function personalDataWorkers(env: TestWorkflowEnvironment, fakes: FakePlatformPersonalData, skip: PersonalDataService[] = []): Promise<Worker[]> {
  const extra: Partial<Record<PersonalDataService, object>> = { accounts: fakes.directory.activities, consent: fakes.records.activities };
  const services = (['accounts', 'billing', 'consent', 'support'] as const).filter((s) => !skip.includes(s));
  return Promise.all(
    services.map((service) =>
      Worker.create({ connection: env.nativeConnection, taskQueue: TASK_QUEUES[service], activities: { ...fakes[service].activities, ...extra[service] } }),
    ),
  );
}
