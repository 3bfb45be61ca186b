import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { TERMS_ROLLOUT_QUERIES, TERMS_ROLLOUT_SIGNALS, termsRolloutWorkflowId, type TermsObjectedSignalInput, type TermsRecipientJoinedSignalInput, type TermsRolloutInput, type TermsRolloutState } from '../../src/workflows/contracts/terms.ts';
import { createTimeSkippingEnvironment } from '@omurga/workflows/testing';
import type { termsRolloutWorkflow } from '../../src/workflows/terms-rollout.ts';
import { contactOf, fakeContactActivities, fakeTermsActivities, fakeTermsBillingActivities, organizationsOf, TERMS_TEST_WORKFLOWS_QUEUE, withTermsWorkers, type RecordedTermsCall } from './terms-workers.ts';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await createTimeSkippingEnvironment();
});
afterAll(async () => {
  await env?.teardown();
});

type RolloutHandle = WorkflowHandle<typeof termsRolloutWorkflow>;

/** A version published now (server time) with the given notice. */
async function publication(documentVersionId: string, notice: string, extra: Partial<TermsRolloutInput> = {}): Promise<TermsRolloutInput> {
  const publishedAt = new Date(await env.currentTimeMs()).toISOString();
  return { documentVersionId, kind: 'USER_AGREEMENT', version: 2, publishedAt, notice, ...extra };
}

function startRollout(input: TermsRolloutInput) {
  return env.client.workflow.start<typeof termsRolloutWorkflow>('termsRolloutWorkflow', {
    taskQueue: TERMS_TEST_WORKFLOWS_QUEUE,
    workflowId: termsRolloutWorkflowId(input.documentVersionId),
    args: [input],
  });
}

const rolloutState = (handle: RolloutHandle) => handle.query<TermsRolloutState>(TERMS_ROLLOUT_QUERIES.state);

/** Polls (in real time, without skipping the server's clock) until the rollout reaches `phase`. */
async function reachPhase(handle: RolloutHandle, phase: TermsRolloutState['phase']): Promise<TermsRolloutState> {
  let state = await rolloutState(handle);
  while (state.phase !== phase) {
    await delay(20);
    state = await rolloutState(handle);
  }
  return state;
}

/** Polls (in real time) until `count` notifications have been sent. */
async function notifiedAll(callsOf: ReturnType<typeof fakeTermsActivities>['callsOf'], count: number): Promise<void> {
  while (callsOf('notifyTermsChange').length < count) await delay(20);
}

async function object(handle: RolloutHandle, recipientId: string): Promise<string> {
  const at = new Date(await env.currentTimeMs()).toISOString();
  await handle.signal<[TermsObjectedSignalInput]>(TERMS_ROLLOUT_SIGNALS.objected, { recipientId, at });
  return at;
}

/** Every call was scheduled at `at` (epoch ms): not before it, and within a minute of it. */
function expectScheduledAt(calls: RecordedTermsCall[], at: number) {
  expect(calls.length).toBeGreaterThan(0);
  for (const call of calls) {
    expect(call.scheduledAt, `${call.activity} ${JSON.stringify(call.input)}`).toBeGreaterThanOrEqual(at);
    expect(call.scheduledAt, `${call.activity} ${JSON.stringify(call.input)}`).toBeLessThan(at + MINUTE_MS);
  }
}

const recipientsOf = (calls: RecordedTermsCall[]) => calls.map((c) => (c.input as { recipientId: string }).recipientId).sort();

describe('termsRolloutWorkflow (CON-4: notify, take objections, bind after the notice period)', () => {
  it('CON-4 [000 §6.7]: P90D notifies everyone at once, offers the day-10 objector a cost-free cancellation, binds at day 90 and accepts the rest by continued use', async () => {
    const terms = fakeTermsActivities(['org-a', 'org-b', 'org-c']);
    const contacts = fakeContactActivities();
    const billing = fakeTermsBillingActivities();
    const input = await publication('dv-90d', 'P90D');
    const published = Date.parse(input.publishedAt);
    const bindingAt = new Date(published + 90 * DAY_MS).toISOString();

    const { result, state } = await withTermsWorkers(env, terms.activities, async () => {
      const handle = await startRollout(input);
      expect(await reachPhase(handle, 'WAITING')).toEqual({ phase: 'WAITING', bindingAt, notified: 3, joined: 0, objections: 0, accepted: 0 });

      await env.sleep(10 * DAY_MS);
      const objectedAt = await object(handle, 'org-b');
      await terms.called('offerCostFreeCancellation');
      await object(handle, 'org-b'); // a second objection changes nothing
      expect(await rolloutState(handle)).toMatchObject({ phase: 'WAITING', objections: 1 });
      expect(terms.callsOf('offerCostFreeCancellation').map((c) => c.input)).toEqual([
        { documentVersionId: 'dv-90d', recipientId: 'org-b', objectedAt, until: bindingAt, to: contactOf('org-b') },
      ]);

      const result = await handle.result(); // the server skips ahead to the binding
      return { result, state: await rolloutState(handle) };
    }, contacts.activities, billing.activities);

    // The objection is recorded first; then billing lets every organisation the objector represents cancel
    // without notice until the version binds, before the e-mail that says so; nobody else gets the right.
    expect(contacts.callsOf('organizationsRepresentedBy').map((c) => c.input)).toEqual([{ userId: 'org-b' }]);
    const [recorded] = terms.callsOf('recordTermsObjection');
    expect(recorded!.input).toEqual({ documentVersionId: 'dv-90d', recipientId: 'org-b', objectedAt: expect.any(String) });
    const grants = billing.callsOf('grantNoticeFreeCancellation');
    expect(grants.map((c) => c.input)).toEqual([{ organizationIds: organizationsOf('org-b'), documentVersionId: 'dv-90d', until: bindingAt }]);
    const [offer] = terms.callsOf('offerCostFreeCancellation');
    expect(grants[0]!.seq).toBeGreaterThan(recorded!.doneSeq!);
    expect(offer!.seq).toBeGreaterThan(grants[0]!.doneSeq!);

    expect(result).toEqual({ notified: 3, joined: 0, objected: 1, accepted: 2 });
    expect(state).toEqual({ phase: 'DONE', bindingAt, notified: 3, joined: 0, objections: 1, accepted: 2 });

    const notices = terms.callsOf('notifyTermsChange');
    expect(recipientsOf(notices)).toEqual(['org-a', 'org-b', 'org-c']);
    expect(notices.map((c) => c.input)).toContainEqual({ documentVersionId: 'dv-90d', recipientId: 'org-a', bindingAt, to: contactOf('org-a') });
    expectScheduledAt(notices, published);
    expectScheduledAt(terms.callsOf('offerCostFreeCancellation'), published + 10 * DAY_MS);

    const binding = terms.callsOf('makeBinding');
    expect(binding.map((c) => c.input)).toEqual([{ documentVersionId: 'dv-90d', at: bindingAt }]);
    expectScheduledAt(binding, published + 90 * DAY_MS);

    const acceptances = terms.callsOf('recordContinuedUseAcceptance');
    expect(recipientsOf(acceptances)).toEqual(['org-a', 'org-c']);
    expect(acceptances.map((c) => c.input)).toContainEqual({ documentVersionId: 'dv-90d', recipientId: 'org-a', at: bindingAt, method: 'CONTINUED_USE' });
    expectScheduledAt(acceptances, published + 90 * DAY_MS);

    // Notified once, bound once, in that order; nothing else.
    expect(terms.calls.map((c) => c.activity)).toEqual([
      'listAffectedCustomers',
      'notifyTermsChange',
      'notifyTermsChange',
      'notifyTermsChange',
      'recordTermsObjection',
      'offerCostFreeCancellation',
      'makeBinding',
      'listAffectedCustomers',
      'recordContinuedUseAcceptance',
      'recordContinuedUseAcceptance',
    ]);
  });

  it('CON-4: someone who accepts the previous version during the notice (a sign-up) joins: notified at once, bound with the others unless they object', async () => {
    const recipients = ['user-a'];
    const terms = fakeTermsActivities(recipients);
    const input = await publication('dv-join', 'P30D');
    const published = Date.parse(input.publishedAt);
    const bindingAt = new Date(published + 30 * DAY_MS).toISOString();

    const result = await withTermsWorkers(env, terms.activities, async () => {
      const handle = await startRollout(input);
      await reachPhase(handle, 'WAITING');
      await env.sleep(5 * DAY_MS);
      // Consent lists the newcomer with the recipients, then tells the rollout.
      recipients.push('user-late');
      await handle.signal<[TermsRecipientJoinedSignalInput]>(TERMS_ROLLOUT_SIGNALS.joined, { recipientId: 'user-late' });
      await notifiedAll(terms.callsOf, 2);
      await handle.signal<[TermsRecipientJoinedSignalInput]>(TERMS_ROLLOUT_SIGNALS.joined, { recipientId: 'user-late' }); // told twice
      await notifiedAll(terms.callsOf, 3);
      expect(await rolloutState(handle)).toMatchObject({ phase: 'WAITING', notified: 1, joined: 1 });
      return handle.result();
    });

    // Counted once: the second notice attempt found it already sent.
    expect(result).toEqual({ notified: 1, joined: 1, objected: 0, accepted: 2 });
    const late = terms.callsOf('notifyTermsChange').filter((c) => (c.input as { recipientId: string }).recipientId === 'user-late');
    expect(late[0]!.input).toEqual({ documentVersionId: 'dv-join', recipientId: 'user-late', bindingAt, to: contactOf('user-late') });
    expectScheduledAt(late, published + 5 * DAY_MS);
    expect(recipientsOf(terms.callsOf('recordContinuedUseAcceptance'))).toEqual(['user-a', 'user-late']);
  });

  it('The policy\'s termsChangeNotice is ignored (issue 12): each customer is bound after their own contract\'s notice, told that date, and may object until then', async () => {
    const terms = fakeTermsActivities(['u-90d', 'u-24h', 'u-none']);
    // u-24h's organisation pays under a 24-hour policy [001 §2.3]; u-90d holds a 24-hour and a 90-day one [000 §6.7]: the longest wins.
    const billing = fakeTermsBillingActivities({ 'u-24h/org-1': 'PT24H', 'u-90d/org-1': 'PT24H', 'u-90d/org-2': 'P90D' });
    const input = await publication('dv-own', 'P30D');
    const published = Date.parse(input.publishedAt);
    const at = (ms: number) => new Date(published + ms).toISOString();

    const result = await withTermsWorkers(env, terms.activities, async () => {
      const handle = await startRollout(input);
      await reachPhase(handle, 'WAITING');
      await env.sleep(2 * DAY_MS);
      await object(handle, 'u-90d'); // past the 24-hour customer's binding, inside the 90-day one
      await terms.called('offerCostFreeCancellation');
      return handle.result();
    }, fakeContactActivities().activities, billing.activities);

    const notices = terms.callsOf('notifyTermsChange').map((c) => c.input as { recipientId: string; bindingAt: string });
    expect(Object.fromEntries(notices.map((n) => [n.recipientId, n.bindingAt]))).toEqual({ 'u-90d': at(90 * DAY_MS), 'u-24h': at(24 * HOUR_MS), 'u-none': at(30 * DAY_MS) });
    // Newcomers are bound by the publication's own notice.
    expect(terms.callsOf('makeBinding').map((c) => c.input)).toEqual([{ documentVersionId: 'dv-own', at: at(30 * DAY_MS) }]);
    expectScheduledAt(terms.callsOf('makeBinding'), published + 30 * DAY_MS);
    // Each accepts by continued use at their own instant; the objector (90 days) does not.
    const acceptances = terms.callsOf('recordContinuedUseAcceptance');
    expect(acceptances.map((c) => c.input)).toEqual([
      { documentVersionId: 'dv-own', recipientId: 'u-24h', at: at(24 * HOUR_MS), method: 'CONTINUED_USE' },
      { documentVersionId: 'dv-own', recipientId: 'u-none', at: at(30 * DAY_MS), method: 'CONTINUED_USE' },
    ]);
    expectScheduledAt([acceptances[0]!], published + 24 * HOUR_MS);
    expectScheduledAt([acceptances[1]!], published + 30 * DAY_MS);
    // The objector's cost-free cancellation lasts until their own 90-day binding.
    expect(billing.callsOf('grantNoticeFreeCancellation').map((c) => c.input)).toEqual([
      { organizationIds: organizationsOf('u-90d'), documentVersionId: 'dv-own', until: at(90 * DAY_MS) },
    ]);
    expect(terms.callsOf('offerCostFreeCancellation').map((c) => (c.input as { until: string }).until)).toEqual([at(90 * DAY_MS)]);
    expect(result).toEqual({ notified: 3, joined: 0, objected: 1, accepted: 2 });
  });

  it('CON-4 [001 §2.3]: PT24H binds 24 hours after publication', async () => {
    const terms = fakeTermsActivities(['org-x', 'org-y']);
    const input = await publication('dv-24h', 'PT24H');
    const published = Date.parse(input.publishedAt);
    const bindingAt = new Date(published + 24 * HOUR_MS).toISOString();

    const result = await withTermsWorkers(env, terms.activities, async () => {
      const handle = await startRollout(input);
      expect(await reachPhase(handle, 'WAITING')).toMatchObject({ bindingAt, notified: 2 });
      return handle.result();
    });

    expect(result).toEqual({ notified: 2, joined: 0, objected: 0, accepted: 2 });
    expectScheduledAt(terms.callsOf('notifyTermsChange'), published);
    expect(terms.callsOf('makeBinding').map((c) => c.input)).toEqual([{ documentVersionId: 'dv-24h', at: bindingAt }]);
    expectScheduledAt(terms.callsOf('makeBinding'), published + 24 * HOUR_MS);
    expect(recipientsOf(terms.callsOf('recordContinuedUseAcceptance'))).toEqual(['org-x', 'org-y']);
    expectScheduledAt(terms.callsOf('recordContinuedUseAcceptance'), published + 24 * HOUR_MS);
  });

  it('CON-4 [003 §7.16]: PT0S binds on publication, right after the notices', async () => {
    const terms = fakeTermsActivities(['user-1', 'user-2']);
    const input = await publication('dv-now', 'PT0S');
    const published = Date.parse(input.publishedAt);

    const result = await withTermsWorkers(env, terms.activities, async () => (await startRollout(input)).result());

    expect(result).toEqual({ notified: 2, joined: 0, objected: 0, accepted: 2 });
    const notices = terms.callsOf('notifyTermsChange');
    expect(recipientsOf(notices)).toEqual(['user-1', 'user-2']);
    expect(notices.map((c) => c.input)).toContainEqual({ documentVersionId: 'dv-now', recipientId: 'user-1', bindingAt: input.publishedAt, to: contactOf('user-1') });
    expect(terms.callsOf('makeBinding').map((c) => c.input)).toEqual([{ documentVersionId: 'dv-now', at: input.publishedAt }]);
    // Everything happens at publication.
    expectScheduledAt(terms.calls, published);
    expect(terms.calls.map((c) => c.activity).indexOf('makeBinding')).toBe(3);
    expect(recipientsOf(terms.callsOf('recordContinuedUseAcceptance'))).toEqual(['user-1', 'user-2']);
  });

  it('CON-4: pages through the recipients and continues as new between pages, keeping the objections across runs', async () => {
    const recipients = ['org-1', 'org-2', 'org-3', 'org-4', 'org-5'];
    const terms = fakeTermsActivities(recipients, 2);
    const input = await publication('dv-paged', 'P90D', { pagesPerRun: 1 });
    const published = Date.parse(input.publishedAt);
    const bindingAt = new Date(published + 90 * DAY_MS).toISOString();

    const { result, runs } = await withTermsWorkers(env, terms.activities, async () => {
      const handle = await startRollout(input);
      // Not a query: the time-skipping server sometimes never answers one sent while a run continues as new.
      await notifiedAll(terms.callsOf, recipients.length);
      await env.sleep(DAY_MS);
      await object(handle, 'org-3');
      await terms.called('offerCostFreeCancellation');
      const result = await handle.result();
      const { runId } = await env.client.workflow.getHandle(termsRolloutWorkflowId('dv-paged')).describe();
      return { result, runs: { first: handle.firstExecutionRunId, last: runId } };
    });

    expect(result).toEqual({ notified: 5, joined: 0, objected: 1, accepted: 4 });
    expect(runs.last).not.toBe(runs.first);
    const cursors = terms.callsOf('listAffectedCustomers').map((c) => (c.input as { cursor: string | null }).cursor);
    expect(cursors).toEqual([null, '2', '4', null, '2', '4']);
    expect(recipientsOf(terms.callsOf('notifyTermsChange'))).toEqual(recipients);
    expectScheduledAt(terms.callsOf('notifyTermsChange'), published);
    expectScheduledAt(terms.callsOf('offerCostFreeCancellation'), published + DAY_MS);
    expect(terms.callsOf('makeBinding').map((c) => c.input)).toEqual([{ documentVersionId: 'dv-paged', at: bindingAt }]);
    expect(recipientsOf(terms.callsOf('recordContinuedUseAcceptance'))).toEqual(['org-1', 'org-2', 'org-4', 'org-5']);
    expectScheduledAt(terms.callsOf('recordContinuedUseAcceptance'), published + 90 * DAY_MS);
  });

  it('CON-4: asks accounts for each recipient\'s address before the notice and the cancellation offer; an erased person (no address) is sent nothing but still counted', async () => {
    const terms = fakeTermsActivities(['user-tr', 'user-en', 'user-erased']);
    const contacts = fakeContactActivities(['user-erased']);
    const input = await publication('dv-contact', 'PT24H');

    const result = await withTermsWorkers(
      env,
      terms.activities,
      async () => {
        const handle = await startRollout(input);
        await reachPhase(handle, 'WAITING');
        await object(handle, 'user-en');
        await terms.called('offerCostFreeCancellation');
        return handle.result();
      },
      contacts.activities,
    );

    expect(result).toEqual({ notified: 3, joined: 0, objected: 1, accepted: 2 });
    const notices = terms.callsOf('notifyTermsChange').map((c) => c.input as { recipientId: string; to: unknown });
    expect(notices.map((n) => [n.recipientId, n.to]).sort()).toEqual([
      ['user-en', { email: 'user-en@example.test', locale: 'en' }],
      ['user-erased', null],
      ['user-tr', { email: 'user-tr@example.test', locale: 'tr' }],
    ]);
    expect(terms.callsOf('offerCostFreeCancellation').map((c) => (c.input as { to: unknown }).to)).toEqual([{ email: 'user-en@example.test', locale: 'en' }]);
    // One look-up per notice and one for the objector's offer, each before the consent call it feeds.
    expect(contacts.callsOf('userContact').map((c) => (c.input as { userId: string }).userId).sort()).toEqual(['user-en', 'user-en', 'user-erased', 'user-tr']);
    const firstNotice = Math.min(...terms.callsOf('notifyTermsChange').map((c) => c.scheduledAt));
    const lookUps = contacts.callsOf('userContact').map((c) => c.scheduledAt);
    expect(Math.min(...lookUps)).toBeLessThanOrEqual(firstNotice);
  });
});
