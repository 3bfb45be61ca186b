import { ApplicationFailure, condition, continueAsNew, defineQuery, defineSignal, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import { addDuration, isIsoDuration } from '@omurga/shared/durations';
import { type UserContactActivities, type TermsObjectionAccountsActivities, type TermsObjectionBillingActivities, TASK_QUEUES } from '@omurga/shared/contracts';
import { TERMS_ROLLOUT_QUERIES, TERMS_ROLLOUT_SIGNALS, type TermsObjectedSignalInput, type TermsRecipientJoinedSignalInput, type TermsObjection, type TermsRolloutInput, type TermsRolloutResult, type TermsRolloutState } from './contracts/terms.ts';
import { parseInstant } from '@omurga/shared/workflow';
import { consentActivities } from './consent-activities.ts';

const OTHER_SERVICE = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
} as const;
/** Accounts knows where to write to each recipient and whom they represent; retried like consent's activities. */
const { userContact, organizationsRepresentedBy, representedOrganizations } = proxyActivities<UserContactActivities & TermsObjectionAccountsActivities>({
  taskQueue: TASK_QUEUES.accounts,
  ...OTHER_SERVICE,
});
/** Billing waives the cancellation notice for an objector's organisations, and knows each one's terms-change notice. */
const { grantNoticeFreeCancellation, termsChangeNotices } = proxyActivities<TermsObjectionBillingActivities>({ taskQueue: TASK_QUEUES.billing, ...OTHER_SERVICE });

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

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * CON-4: rolls a newly published version of a binding document out to the
 * customers bound by the previous one. Started with ID
 * termsRolloutWorkflowId(documentVersionId).
 *
 * 1. notifies every affected customer (at the address accounts' userContact gives), a page at a time, of when the version binds
 *    for them: publishedAt + the longest terms-change notice among the policies of the live subscriptions of the
 *    organisations they represent (90 days [000 §6.7], 24 hours [001 §2.3], at once [003 §7.16]), or the
 *    publication's own notice for someone without one;
 *    Someone who accepts the previous version meanwhile (a sign-up) is added to the recipients by
 *    consent and joins with a `recipientJoined` signal: they are notified at once;
 * 2. until then takes `objected` signals: billing lets the organisations each objector represents
 *    cancel without notice until the version binds, and the objector is told so by e-mail;
 * 3. at the publication's bindingAt makes the version binding for newcomers, and at each customer's own
 *    binding instant records a continued-use acceptance for every customer bound then who did not object.
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
  /** the recipients' own binding instants still ahead (epoch ms), and whether newcomers are bound yet */
  const bindings = new Set((carried?.bindings ?? []).map((at) => Date.parse(at)));
  let bound = carried?.bound ?? false;

  /** When the version binds for each of `recipientIds`: after the longest notice of the contracts they represent. */
  async function bindingInstants(recipientIds: string[]): Promise<Map<string, number>> {
    const represented = recipientIds.length ? await representedOrganizations({ userIds: recipientIds }) : {};
    const organizationIds = [...new Set(Object.values(represented).flat())];
    const notices = organizationIds.length ? await termsChangeNotices({ organizationIds }) : {};
    return new Map(recipientIds.map((recipientId) => [recipientId, bindingInstantOf(represented[recipientId] ?? [], notices)]));
  }

  function bindingInstantOf(organizationIds: string[], notices: Record<string, string>): number {
    const own = organizationIds.flatMap((id) => (notices[id] && isIsoDuration(notices[id]) ? [addDuration(publishedAt, notices[id])] : []));
    return own.length ? Math.max(...own) : bindingAtMs;
  }

  /** Tells each recipient when the version binds for them, and remembers that instant. */
  async function notifyRecipients(recipientIds: string[]): Promise<number> {
    const instants = await bindingInstants(recipientIds);
    let sent = 0;
    await inBatches(recipientIds, async (recipientId) => {
      const at = instants.get(recipientId)!;
      bindings.add(at);
      const to = await userContact({ userId: recipientId });
      if ((await consentActivities.notifyTermsChange({ documentVersionId, recipientId, bindingAt: iso(at), to })).sent) sent++;
    });
    return sent;
  }

  setHandler(termsObjectedSignal, ({ recipientId, at }) => {
    if (phase === 'DONE') return;
    if (objections.has(recipientId)) return; // one objection (and one offer) per recipient
    const objectedAt = Number.isNaN(Date.parse(at)) ? new Date().toISOString() : at;
    objections.set(recipientId, objectedAt);
    pendingOffers.push({ recipientId, at: objectedAt });
  });
  setHandler(termsRecipientJoinedSignal, ({ recipientId }) => {
    // Once newcomers are bound they accept the new text themselves.
    if (phase === 'DONE' || bound) return;
    if (!pendingJoiners.includes(recipientId)) pendingJoiners.push(recipientId);
  });
  setHandler(termsRolloutStateQuery, () => ({ phase, bindingAt, notified, joined, objections: objections.size, accepted }));

  async function notifyJoiners(): Promise<void> {
    while (pendingJoiners.length > 0) {
      // A repeated signal, or a joiner the notices already reached, is not notified twice.
      joined += await notifyRecipients(pendingJoiners.splice(0, TERMS_ROLLOUT_PAGE_SIZE));
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
          // The right lasts until the version would have bound this objector.
          const until = organizationIds.length > 0 ? iso(bindingInstantOf(organizationIds, await termsChangeNotices({ organizationIds }))) : bindingAt;
          if (organizationIds.length > 0) await grantNoticeFreeCancellation({ organizationIds, documentVersionId, until });
          await consentActivities.offerCostFreeCancellation({ documentVersionId, recipientId: o.recipientId, objectedAt: o.at, until, to });
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

  const nextBinding = () => (bindings.size ? Math.min(...bindings) : null);
  const runIsFull = (pages: number) => pages >= pagesPerRun || (pages > 0 && workflowInfo().continueAsNewSuggested);

  async function continueRollout(): Promise<never> {
    // No await between the last signal handled and continueAsNew: one arriving with it is handled first.
    await handleSignals();
    if (phase === 'BINDING' || phase === 'DONE') throw new Error(`cannot continue a rollout in phase ${phase}`);
    return continueAsNew<typeof termsRolloutWorkflow>({
      ...input,
      carried: {
        phase,
        cursor,
        notified,
        joined,
        accepted,
        objections: [...objections].map(([recipientId, at]) => ({ recipientId, at })),
        bindings: [...bindings].sort((a, b) => a - b).map(iso),
        bound,
      },
    });
  }

  const listPage = () => consentActivities.listAffectedCustomers({ documentVersionId, cursor, limit: TERMS_ROLLOUT_PAGE_SIZE });

  // ── 1. notify every affected customer ───────────────────────────────────
  if (phase === 'NOTIFYING') {
    let pages = 0;
    do {
      if (runIsFull(pages)) return continueRollout();
      const page = await listPage();
      await notifyRecipients(page.ids);
      notified += page.ids.length;
      cursor = page.nextCursor;
      pages++;
      await handleSignals();
    } while (cursor !== null);
    phase = 'WAITING';
  }

  // ── 2. take objections until each binds; 3. bind newcomers, then each customer at their own instant ──
  // Workflow time (Date.now) is deterministic and, under test, the server's skipped clock.
  const upcoming = () => Math.min(nextBinding() ?? Infinity, bound ? Infinity : bindingAtMs);
  while (phase === 'ACCEPTING' || upcoming() !== Infinity) {
    if (phase !== 'ACCEPTING') {
      while (Date.now() < upcoming()) {
        await condition(() => pendingOffers.length > 0 || pendingJoiners.length > 0, upcoming() - Date.now());
        await handleSignals();
        if (Date.now() < upcoming() && workflowInfo().continueAsNewSuggested) return continueRollout();
      }
      await handleSignals(); // what arrived with the deadline
      if (!bound && Date.now() >= bindingAtMs) {
        phase = 'BINDING';
        await consentActivities.makeBinding({ documentVersionId, at: bindingAt });
        bound = true;
        phase = 'WAITING';
      }
      const due = nextBinding();
      if (due === null || due > Date.now()) continue;
      phase = 'ACCEPTING';
      cursor = null;
    }
    // Everyone bound at this instant who did not object accepted by continued use.
    const at = nextBinding()!;
    let pages = 0;
    do {
      if (runIsFull(pages)) return continueRollout();
      const page = await consentActivities.listAffectedCustomers({ documentVersionId, cursor, limit: TERMS_ROLLOUT_PAGE_SIZE, bindingAt: iso(at) });
      const accepting = page.ids.filter((id) => !objections.has(id));
      await inBatches(accepting, (recipientId) => consentActivities.recordContinuedUseAcceptance({ documentVersionId, recipientId, at: iso(at), method: 'CONTINUED_USE' }));
      accepted += accepting.length;
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null);
    bindings.delete(at);
    phase = 'WAITING';
  }
  await handleSignals(); // an objection that arrived with the last binding still gets its answer

  phase = 'DONE';
  return { notified, joined, objected: objections.size, accepted };
}
