import { WORKFLOW_BUNDLE_ENTRY, WORKFLOW_BUNDLER_OPTIONS, TEST_WORKFLOWS_QUEUE, recordingActivities } from '@omurga/workflows/testing';
import { ApplicationFailure } from '@temporalio/activity';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { ORGANIZATION_NOT_FOUND, type AccountsActivities, type ContactAddress, type ContactOperatorRole, TASK_QUEUES } from '@omurga/shared/contracts';
import type { ConsentRequestActivities } from '../../src/workflows/contracts/requests.ts';

/** The consent service's data-subject request activities, doing nothing. */
export function defaultConsentRequestActivities(): ConsentRequestActivities {
  return {
    async recordDataSubjectRequestStatus() {},
    async remindDataSubjectRequest() {},
    async escalateDataSubjectRequest() {},
  };
}

/** A recording stand-in for the consent service's data-subject request activities; `overrides` replace single fakes. */
export function fakeConsentRequestActivities(overrides: Partial<ConsentRequestActivities> = {}) {
  return recordingActivities<ConsentRequestActivities>({ ...defaultConsentRequestActivities(), ...overrides });
}

/** The DPO operators fakeContactDirectory() lists by default. */
export const DPO_CONTACTS: ContactAddress[] = [
  { email: 'dpo@omurga.test', locale: 'tr' },
  { email: 'dpo-en@omurga.test', locale: 'en' },
];

type ContactDirectory = Pick<AccountsActivities, 'operatorContacts' | 'organizationContacts'>;

/**
 * A recording stand-in for the accounts service's contact look-ups: the
 * operators of each role in `operators` (default: DPO_CONTACTS as the DPOs,
 * nobody else), and the contacts of the organisations in `organizations`
 * filtered by nothing (any other organisation does not exist).
 */
export function fakeContactDirectory(
  operators: Partial<Record<ContactOperatorRole, ContactAddress[]>> = { DPO: DPO_CONTACTS },
  organizations: Record<string, ContactAddress[]> = {},
) {
  return recordingActivities<ContactDirectory>({
    async operatorContacts({ role }) {
      return operators[role] ?? [];
    },
    async organizationContacts({ organizationId }) {
      const contacts = organizations[organizationId];
      if (!contacts) throw ApplicationFailure.nonRetryable(`organisation ${organizationId} does not exist`, ORGANIZATION_NOT_FOUND);
      return contacts;
    },
  });
}

/**
 * Runs `body` while three workers poll the test server: the workflow bundle at
 * `workflowsPath` (default: the worker's full bundle) on `workflowsQueue`,
 * `activities` on the consent service's queue, and `accounts` (default: a
 * fakeContactDirectory()) on the accounts service's queue.
 */
export async function withConsentWorkers<T>(
  env: TestWorkflowEnvironment,
  activities: object,
  body: () => Promise<T>,
  workflowsPath = WORKFLOW_BUNDLE_ENTRY,
  workflowsQueue = TEST_WORKFLOWS_QUEUE,
  accounts: object = fakeContactDirectory().activities,
  billing: object | null = null,
): Promise<T> {
  const workflowWorker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: workflowsQueue,
    workflowsPath,
    bundlerOptions: WORKFLOW_BUNDLER_OPTIONS,
  });
  const consentWorker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUES.consent,
    activities,
  });
  const accountsWorker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUES.accounts,
    // Webhook events (issue 15) are accepted and dropped unless a test brings its own.
    activities: { publishWebhookEvent: async () => ({ deliveries: 0 }), ...accounts },
  });
  const billingWorker = billing ? await Worker.create({ connection: env.nativeConnection, taskQueue: TASK_QUEUES.billing, activities: billing }) : null;
  const withBilling = () => (billingWorker ? billingWorker.runUntil(body) : body());
  return workflowWorker.runUntil(consentWorker.runUntil(accountsWorker.runUntil(withBilling)));
}
