import { WORKFLOW_BUNDLE_ENTRY, WORKFLOW_BUNDLER_OPTIONS } from '@omurga/workflows/testing';
import { Context } from '@temporalio/activity';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { type AccountsActivities, type SubscriptionRunActivities, type OrganizationState, type OrganizationBillingProfile, type WebhookActivities, type WebhookEvent, TASK_QUEUES } from '@omurga/shared/contracts';

export const TEST_WORKFLOWS_QUEUE = 'test-workflows';

export interface RecordedCall {
  activity: keyof AccountsActivities;
  input: unknown;
  /** when the server scheduled the call, on its (time-skipped) clock */
  scheduledAt: number;
}

/** What the fake answers to organizationBillingProfile, for any organisation. */
export const DEFAULT_BILLING_PROFILE: Omit<OrganizationBillingProfile, 'organizationId'> = {
  name: 'Test Org',
  customerCode: 'MUS-TEST-0001',
  referredByPartnerId: null,
  contacts: [{ email: 'billing@example.test', locale: 'tr' }],
  buyer: {
    customerType: 'CORPORATE',
    legalName: 'Test Org A.Ş.',
    taxId: '4840847211',
    taxOffice: 'Mecidiyeköy',
    nationalId: null,
    address: { line1: 'Halaskargazi Cad. No: 12', line2: null, district: 'Şişli', city: 'İstanbul', postalCode: '34371', country: 'TR' },
  },
};

/**
 * A stand-in for the accounts service: records every call with the server
 * time it was scheduled at, and lets a test await the first call of an activity.
 * `profile` overrides parts of DEFAULT_BILLING_PROFILE.
 */
export function fakeAccountsActivities(resources = { held: 3, released: 3 }, profile: Partial<Omit<OrganizationBillingProfile, 'organizationId'>> = {}) {
  const calls: RecordedCall[] = [];
  const firstCalls = new Map<keyof AccountsActivities, PromiseWithResolvers<void>>();
  const firstCall = (activity: keyof AccountsActivities) => {
    let first = firstCalls.get(activity);
    if (!first) {
      first = Promise.withResolvers<void>();
      firstCalls.set(activity, first);
    }
    return first;
  };

  const record = (activity: keyof AccountsActivities, input: unknown) => {
    calls.push({ activity, input, scheduledAt: Context.current().info.currentAttemptScheduledTimestampMs });
    firstCall(activity).resolve();
  };
  const state = (organizationId: string, suspended: boolean): OrganizationState => ({
    organizationId,
    status: suspended ? 'SUSPENDED' : 'ACTIVE',
    suspensionReasons: suspended ? ['MISSING_DOCUMENTS'] : [],
  });

  /** events the workflows handed over for webhooks, kept apart from `calls` */
  const webhookEvents: WebhookEvent[] = [];
  const keep = (event: WebhookEvent) => {
    if (!webhookEvents.some((known) => known.id === event.id)) webhookEvents.push(event);
  };
  const activities: AccountsActivities & SubscriptionRunActivities & Pick<WebhookActivities, 'publishWebhookEvent' | 'publishWebhookEvents'> = {
    async publishWebhookEvent({ event }) {
      keep(event);
      return { deliveries: 0 };
    },
    async publishWebhookEvents({ events }) {
      events.forEach(keep);
      return { deliveries: 0 };
    },
    async suspendOrganization(input) {
      record('suspendOrganization', input);
      return state(input.organizationId, true);
    },
    async reinstateOrganization(input) {
      record('reinstateOrganization', input);
      return state(input.organizationId, false);
    },
    async terminateOrganization(input) {
      record('terminateOrganization', input);
      return { ...state(input.organizationId, false), status: 'TERMINATED' };
    },
    async expireDocumentRequest(input) {
      record('expireDocumentRequest', input);
    },
    async holdLicensedResources(input) {
      record('holdLicensedResources', input);
      return { held: resources.held };
    },
    async releaseLicensedResources(input) {
      record('releaseLicensedResources', input);
      return { released: resources.released };
    },
    async openSubscriptionRun({ organizationId, webhookEvents: events }) {
      events.forEach(keep);
      return activities.organizationBillingProfile({ organizationId });
    },
    async organizationBillingProfile(input) {
      record('organizationBillingProfile', input);
      return { ...DEFAULT_BILLING_PROFILE, ...profile, organizationId: input.organizationId };
    },
    async operatorContacts(input) {
      record('operatorContacts', input);
      return [];
    },
    async organizationContacts(input) {
      record('organizationContacts', input);
      return [];
    },
  };

  /** Resolves once `activity` has been called (now or later). */
  const called = (activity: keyof AccountsActivities): Promise<void> => firstCall(activity).promise;

  return { calls, activities, called, webhookEvents };
}

/**
 * Runs `body` while two workers poll the test server: the workflow bundle on
 * TEST_WORKFLOWS_QUEUE, and `activities` on the accounts service's queue.
 */
export async function withAccountsWorkers<T>(env: TestWorkflowEnvironment, activities: AccountsActivities, body: () => Promise<T>): Promise<T> {
  const workflowWorker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TEST_WORKFLOWS_QUEUE,
    workflowsPath: WORKFLOW_BUNDLE_ENTRY,
    bundlerOptions: WORKFLOW_BUNDLER_OPTIONS,
  });
  const accountsWorker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUES.accounts,
    activities,
  });
  return workflowWorker.runUntil(accountsWorker.runUntil(body));
}
