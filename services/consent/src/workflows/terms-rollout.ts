import { ApplicationFailure, condition, continueAsNew, defineQuery, defineSignal, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import { addDuration, isIsoDuration } from '@omurga/shared/durations';
import type { UserContactActivities } from '@omurga/shared/contracts';
import { TERMS_ROLLOUT_QUERIES, TERMS_ROLLOUT_SIGNALS, type TermsObjectedSignalInput, type TermsRecipientJoinedSignalInput, type TermsObjection, type TermsRolloutInput, type TermsRolloutResult, type TermsRolloutState } from './contracts/terms.ts';
import type { TermsObjectionAccountsActivities, TermsObjectionBillingActivities } from '@omurga/shared/contracts';
import { TASK_QUEUES } from '@omurga/shared/contracts';
import { parseInstant } from '@omurga/shared/workflow';
import { consentActivities } from './consent-activities.ts';

const OTHER_SERVICE = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
} as const;
/** Accounts knows where to write to each recipient and whom they represent; retried like consent's activities. */
const { userContact, organizationsRepresentedBy } = proxyActivities<UserContactActivities & TermsObjectionAccountsActivities>({
  taskQueue: TASK_QUEUES.accounts,
  ...OTHER_SERVICE,
});
/** Billing waives the cancellation notice for an objector's organisations. */
const { grantNoticeFreeCancellation } = proxyActivities<TermsObjectionBillingActivities>({ taskQueue: TASK_QUEUES.billing, ...OTHER_SERVICE });

export const termsObjectedSignal = defineSignal<[TermsObjectedSignalInput]>(TERMS_ROLLOUT_SIGNALS.objected);
export const termsRecipientJoinedSignal = defineSignal<[TermsRecipientJoinedSignalInput]>(TERMS_ROLLOUT_SIGNALS.joined);
export const termsRolloutStateQuery = defineQuery<TermsRolloutState>(TERMS_ROLLOUT_QUERIES.state);

/** IDs asked of listAffectedCustomers per page. */
export const TERMS_ROLLOUT_PAGE_SIZE = 100;
/** At most this many activities run at once. */
const MAX_CONCURRENT = 50;
/**
 * Pages one run handles before it continues as new. A notifying page costs
 * about 620 history events (three per activity, two activities per recipient:
 * the contact look-up and the notice, plus workflow tasks), so a run stays
 * near 6 200 events; 10 000 recipients take ten runs to notify and ten to accept.
 */
const DEFAULT_PAGES_PER_RUN = 10;

/**
 * CON-4: rolls a newly published version of a binding document out to the
 * customers bound by the previous one. Started with ID
 * termsRolloutWorkflowId(documentVersionId).
 *
 * 1. notifies every affected customer (at the address accounts' userContact gives), a page at a time, of when the version binds
 *    (publishedAt + notice: 90 days [000 §6.7], 24 hours [001 §2.3], at once [003 §7.16]);
 *    Someone who accepts the previous version meanwhile (a sign-up) is added to the recipients by
 *    consent and joins with a `recipientJoined` signal: they are notified at once;
 * 2. until then takes `objected` signals: billing lets the organisations each objector represents
 *    cancel without notice until the version binds, and the objector is told so by e-mail;
 * 3. at bindingAt makes the version binding and records a continued-use acceptance for
 *    every affected customer who did not object, paging through the same snapshot again.
 *
 * History stays bounded: the workflow continues as new every `pagesPerRun` pages (or when
 * the server suggests it), carrying only a cursor, counts and the objections. The
 * objections themselves are carried whole, so a run's input grows by about 60 bytes per
 * objector; many thousands of objectors would approach the payload limit (2 MB).
 * Objections after the binding phase has begun are ignored: the API should refuse them
 * itself by comparing with the query's bindingAt.
 */
export async function termsRolloutWorkflow(input: TermsRolloutInput): Promise<TermsRolloutResult> {
  const { documentVersionId, carried } = input;
  const publishedAt = parseInstant(input.publishedAt, 'publishedAt');
  if (!isIsoDuration(input.notice)) throw ApplicationFailure.nonRetryable(`notice is not an ISO-8601 duration: ${input.notice}`, 'InvalidInput');
  const bindingAtMs = addDuration(publishedAt, input.notice);
  const bindingAt = new Date(bindingAtMs).toISOString();
  const pagesPerRun = Math.max(1, input.pagesPerRun ?? DEFAULT_PAGES_PER_RUN);

  let phase: TermsRolloutState['phase'] = carried?.phase ?? 'NOTIFYING';
  let cursor = carried?.cursor ?? null;
  let notified = carried?.notified ?? 0;
  let joined = carried?.joined ?? 0;
  let accepted = carried?.accepted ?? 0;
  const objections = new Map((carried?.objections ?? []).map((o) => [o.recipientId, o.at]));
  const pendingOffers: TermsObjection[] = [];
  const pendingJoiners: string[] = [];

  setHandler(termsObjectedSignal, ({ recipientId, at }) => {
    if (phase !== 'NOTIFYING' && phase !== 'WAITING') return;
    if (objections.has(recipientId)) return; // one objection (and one offer) per recipient
    const objectedAt = Number.isNaN(Date.parse(at)) ? new Date().toISOString() : at;
    objections.set(recipientId, objectedAt);
    pendingOffers.push({ recipientId, at: objectedAt });
  });
  setHandler(termsRecipientJoinedSignal, ({ recipientId }) => {
    // Once binding has begun they are accepted with the others (consent listed them) or accept the new text themselves.
    if (phase !== 'NOTIFYING' && phase !== 'WAITING') return;
    if (!pendingJoiners.includes(recipientId)) pendingJoiners.push(recipientId);
  });
  setHandler(termsRolloutStateQuery, () => ({ phase, bindingAt, notified, joined, objections: objections.size, accepted }));

  async function notifyJoiners(): Promise<void> {
    while (pendingJoiners.length > 0) {
      const batch = pendingJoiners.splice(0, MAX_CONCURRENT);
      await Promise.all(
        batch.map(async (recipientId) => {
          const to = await userContact({ userId: recipientId });
          // A repeated signal, or a joiner the notices already reached, is not notified twice.
          if ((await consentActivities.notifyTermsChange({ documentVersionId, recipientId, bindingAt, to })).sent) joined++;
        }),
      );
    }
  }

  /** What signals asked for: notices to joiners and cancellation offers to objectors. */
  async function handleSignals(): Promise<void> {
    while (pendingJoiners.length > 0 || pendingOffers.length > 0) {
      await notifyJoiners();
      await offerPendingCancellations();
    }
  }

  async function offerPendingCancellations(): Promise<void> {
    while (pendingOffers.length > 0) {
      const batch = pendingOffers.splice(0, MAX_CONCURRENT);
      await Promise.all(
        batch.map(async (o) => {
          // Recorded first (consent alone), then the right, which exists before the e-mail that announces it.
          await consentActivities.recordTermsObjection({ documentVersionId, recipientId: o.recipientId, objectedAt: o.at });
          const [to, organizationIds] = await Promise.all([userContact({ userId: o.recipientId }), organizationsRepresentedBy({ userId: o.recipientId })]);
          if (organizationIds.length > 0) await grantNoticeFreeCancellation({ organizationIds, documentVersionId, until: bindingAt });
          await consentActivities.offerCostFreeCancellation({ documentVersionId, recipientId: o.recipientId, objectedAt: o.at, until: bindingAt, to });
        }),
      );
    }
  }

  /** Runs `each` over `ids`, at most MAX_CONCURRENT at a time. */
  async function inBatches(ids: string[], each: (id: string) => Promise<void>): Promise<void> {
    for (let i = 0; i < ids.length; i += MAX_CONCURRENT) {
      await Promise.all(ids.slice(i, i + MAX_CONCURRENT).map(each));
    }
  }

  const runIsFull = (pages: number) => pages >= pagesPerRun || (pages > 0 && workflowInfo().continueAsNewSuggested);

  async function continueRollout(): Promise<never> {
    // No await between the last signal handled and continueAsNew: one arriving with it is handled first.
    await handleSignals();
    if (phase === 'BINDING' || phase === 'DONE') throw new Error(`cannot continue a rollout in phase ${phase}`);
    return continueAsNew<typeof termsRolloutWorkflow>({
      ...input,
      carried: { phase, cursor, notified, joined, accepted, objections: [...objections].map(([recipientId, at]) => ({ recipientId, at })) },
    });
  }

  const listPage = () => consentActivities.listAffectedCustomers({ documentVersionId, cursor, limit: TERMS_ROLLOUT_PAGE_SIZE });

  // ── 1. notify every affected customer ───────────────────────────────────
  if (phase === 'NOTIFYING') {
    let pages = 0;
    do {
      if (runIsFull(pages)) return continueRollout();
      const page = await listPage();
      await inBatches(page.ids, async (recipientId) => {
        const to = await userContact({ userId: recipientId });
        await consentActivities.notifyTermsChange({ documentVersionId, recipientId, bindingAt, to });
      });
      notified += page.ids.length;
      cursor = page.nextCursor;
      pages++;
      await handleSignals();
    } while (cursor !== null);
    phase = 'WAITING';
  }

  // ── 2. take objections until the version binds ──────────────────────────
  if (phase === 'WAITING') {
    // Workflow time (Date.now) is deterministic and, under test, the server's skipped clock.
    while (Date.now() < bindingAtMs) {
      await condition(() => pendingOffers.length > 0 || pendingJoiners.length > 0, bindingAtMs - Date.now());
      await handleSignals();
      if (Date.now() < bindingAtMs && workflowInfo().continueAsNewSuggested) return continueRollout();
    }
    await handleSignals(); // what arrived with the deadline
    phase = 'BINDING';
    await consentActivities.makeBinding({ documentVersionId, at: bindingAt });
    phase = 'ACCEPTING';
    cursor = null;
  }

  // ── 3. everyone who did not object accepted by continued use ────────────
  let pages = 0;
  do {
    if (runIsFull(pages)) return continueRollout();
    const page = await listPage();
    const accepting = page.ids.filter((id) => !objections.has(id));
    await inBatches(accepting, (recipientId) =>
      consentActivities.recordContinuedUseAcceptance({ documentVersionId, recipientId, at: bindingAt, method: 'CONTINUED_USE' }),
    );
    accepted += accepting.length;
    cursor = page.nextCursor;
    pages++;
  } while (cursor !== null);

  phase = 'DONE';
  return { notified, joined, objected: objections.size, accepted };
}
