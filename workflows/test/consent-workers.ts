import { fileURLToPath } from 'node:url';
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { ORGANIZATION_NOT_FOUND, type AccountsActivities, type ContactAddress, type ContactOperatorRole } from '../src/contracts/accounts.ts';
import type { ConsentRequestActivities } from '../src/contracts/consent-requests.ts';
import { TASK_QUEUES } from '../src/task-queues.ts';

export const TEST_WORKFLOWS_QUEUE = 'test-workflows';

type Activity = (input: never) => Promise<unknown>;

export interface RecordedActivityCall<A> {
  activity: keyof A & string;
  input: unknown;
  /** when the server scheduled the call, on its (time-skipped) clock */
  scheduledAt: number;
  /** position among every recorded call in this process, across recorders: orders calls to different services */
  seq: number;
  /** `seq` once the call has returned (null while it runs) */
  doneSeq: number | null;
}

let sequence = 0;

/**
 * Wraps fake activity implementations so that every call is recorded with the
 * server time it was scheduled at, and a test can await the first call of an
 * activity. Other consent workflow tests pass their own interface's fakes
 * (alone or spread together with defaultConsentRequestActivities()).
 */
export function recordingActivities<A extends { [K in keyof A]: Activity }>(implementations: A) {
  const calls: RecordedActivityCall<A>[] = [];
  const firstCalls = new Map<string, PromiseWithResolvers<void>>();
  const firstCall = (activity: string) => {
    let first = firstCalls.get(activity);
    if (!first) {
      first = Promise.withResolvers<void>();
      firstCalls.set(activity, first);
    }
    return first;
  };

  const activities = Object.fromEntries(
    Object.entries(implementations as Record<string, Activity>).map(([name, implementation]) => [
      name,
      async (input: unknown) => {
        const call: RecordedActivityCall<A> = {
          activity: name as keyof A & string,
          input,
          scheduledAt: Context.current().info.currentAttemptScheduledTimestampMs,
          seq: ++sequence,
          doneSeq: null,
        };
        calls.push(call);
        firstCall(name).resolve();
        wakeCountWaiters(calls);
        const result = await implementation(input as never);
        call.doneSeq = ++sequence;
        return result;
      },
    ]),
  ) as unknown as A;

  /** Resolves once `activity` has been called (now or later). */
  const called = (activity: keyof A & string): Promise<void> => firstCall(activity).promise;
  const callsOf = (activity: keyof A & string) => calls.filter((call) => call.activity === activity);

  return { calls, activities, called, callsOf, callCount: (count: number) => untilCount(calls, count) };
}

const countWaiters = new WeakMap<unknown[], { count: number; resolve: () => void }[]>();

/** Resolves once `calls` holds at least `count` entries; recordingActivities wakes waiters as calls arrive. */
function untilCount(calls: unknown[], count: number): Promise<void> {
  if (calls.length >= count) return Promise.resolve();
  const { promise, resolve } = Promise.withResolvers<void>();
  const waiters = countWaiters.get(calls) ?? [];
  waiters.push({ count, resolve });
  countWaiters.set(calls, waiters);
  return promise;
}

function wakeCountWaiters(calls: unknown[]): void {
  const waiters = countWaiters.get(calls) ?? [];
  for (const waiter of waiters.filter((w) => calls.length >= w.count)) {
    waiters.splice(waiters.indexOf(waiter), 1);
    waiter.resolve();
  }
}

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
  workflowsPath = fileURLToPath(new URL('../src/workflows/index.ts', import.meta.url)),
  workflowsQueue = TEST_WORKFLOWS_QUEUE,
  accounts: object = fakeContactDirectory().activities,
  billing: object | null = null,
): Promise<T> {
  const workflowWorker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: workflowsQueue,
    workflowsPath,
  });
  const consentWorker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUES.consent,
    activities,
  });
  const accountsWorker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUES.accounts,
    activities: accounts,
  });
  const billingWorker = billing ? await Worker.create({ connection: env.nativeConnection, taskQueue: TASK_QUEUES.billing, activities: billing }) : null;
  const withBilling = () => (billingWorker ? billingWorker.runUntil(body) : body());
  return workflowWorker.runUntil(consentWorker.runUntil(accountsWorker.runUntil(withBilling)));
}
