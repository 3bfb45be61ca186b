import { Context } from '@temporalio/activity';
import { PRELOADED_MODULES, WORKFLOWS_PATH } from '../workflow-bundle.ts';

/** The worker's whole workflow bundle entry, for test workers. */
export const WORKFLOW_BUNDLE_ENTRY = WORKFLOWS_PATH;
/** Test workers bundle their workflows with the worker's shared libraries, so the tests run them shared and frozen as the worker does. */
export const WORKFLOW_BUNDLER_OPTIONS = { preloadModules: PRELOADED_MODULES };
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
