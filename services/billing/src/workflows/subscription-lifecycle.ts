import {
  ParentClosePolicy,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  setHandler,
  startChild,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
  type ChildWorkflowHandle,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { addDuration } from '@omurga/shared/durations';
import { LICENSED_RESOURCE_HOLD_WORKFLOW, licensedResourceHoldWorkflowId, type ChangeActor, type OrganizationBillingProfile } from '@omurga/shared/contracts';
import { ORGANIZATION_ERASURE_WORKFLOW, SUBSCRIPTION_QUERIES, SUBSCRIPTION_SIGNALS, invoiceCollectionWorkflowId, organizationErasureWorkflowId, type BillingEmailKind, type CancelSignal, type ChargebackSignal, type InvoicePaidSignal, type LifecycleEvent, type OrganizationErasureInput, type PinnedPeriod, type PlanChangedSignal, type SubscriptionStatus, type SubscriptionWorkflowInput, type SubscriptionWorkflowState } from './contracts.ts';
import { cancellationEndsCurrentPeriod, collectionChannel, dunningDeadlines, type DunningClock } from './rules.ts';
import { accountsActivities, parseInstant } from '@omurga/shared/workflow';
import { billingActivities, chargeActivities } from './billing-activities.ts';
import { invoiceCollectionClosedSignal, invoiceCollectionPaidSignal, invoiceCollectionWorkflow } from './invoice-collection.ts';

export const cancelSignal = defineSignal<[CancelSignal]>(SUBSCRIPTION_SIGNALS.cancel);
export const planChangedSignal = defineSignal<[PlanChangedSignal]>(SUBSCRIPTION_SIGNALS.planChanged);
export const paymentMethodUpdatedSignal = defineSignal(SUBSCRIPTION_SIGNALS.paymentMethodUpdated);
export const invoicePaidSignal = defineSignal<[InvoicePaidSignal]>(SUBSCRIPTION_SIGNALS.invoicePaid);
export const chargebackSignal = defineSignal<[ChargebackSignal]>(SUBSCRIPTION_SIGNALS.chargeback);
export const chargebackResolvedSignal = defineSignal(SUBSCRIPTION_SIGNALS.chargebackResolved);
export const upcomingQuery = defineQuery<LifecycleEvent[]>(SUBSCRIPTION_QUERIES.upcoming);
export const subscriptionStateQuery = defineQuery<SubscriptionWorkflowState>(SUBSCRIPTION_QUERIES.state);

export type SubscriptionOutcome = { status: 'CANCELED' | 'TERMINATED'; periodIndex: number; reason: string };

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * One subscription's life (BIL-3 … BIL-7), one run per period: begin the
 * period with the policy and plan versions pinned to it, invoice, collect by
 * the policy's method, dun (retry, suspend, terminate, schedule erasure), and
 * at the period's end cancel or continue as new with the next period.
 * Started with ID subscriptionWorkflowId(subscriptionId).
 */
export async function subscriptionWorkflow(input: SubscriptionWorkflowInput): Promise<SubscriptionOutcome> {
  const { subscriptionId, organizationId, periodIndex, kind } = input;
  parseInstant(input.periodStart, 'periodStart');
  const actor: ChangeActor = { kind: 'workflow', id: workflowInfo().workflowId };

  let status: SubscriptionStatus = input.carried?.status ?? (kind === 'TRIAL' ? 'TRIALING' : 'ACTIVE');
  let cancelAtPeriodIndex: number | null = input.carried?.cancelAtPeriodIndex ?? null;
  let pendingPlanCode: string | null = null;
  let pinned: PinnedPeriod | null = null;
  let invoiceId: string | null = null;
  let dueAt: number | null = null;
  let paid = false;
  let retryNow = false;
  let hasPaymentMethodSignal = false;
  let confirmedSignal = false;
  const clock: DunningClock = { channel: 'CARD', overdueSince: null, attempts: 0, lastFailureAt: null };
  let nextAttemptAt: number | null = null;
  let noticeSent = false;
  let chargeback: ChargebackSignal | null = null;
  let chargebackApplied = false;
  let chargebackResolved = false;

  setHandler(cancelSignal, ({ requestedAt, noticeWaived }) => {
    const at = Date.parse(requestedAt);
    const periodEnd = pinned ? Date.parse(pinned.periodEnd) : Number.POSITIVE_INFINITY;
    // A trial ends with its own end; a paid period needs the policy's notice unless a terms objection waived it.
    const current = kind === 'TRIAL' || !pinned || noticeWaived === true || cancellationEndsCurrentPeriod(at, periodEnd, pinned.policy.cancellationNotice);
    const lastPeriod = current ? periodIndex : periodIndex + 1;
    // A second request can bring the end forward (a waived notice), never push it back.
    if (cancelAtPeriodIndex !== null && cancelAtPeriodIndex <= lastPeriod) return;
    cancelAtPeriodIndex = lastPeriod;
  });
  setHandler(planChangedSignal, ({ planCode }) => {
    pendingPlanCode = planCode;
    confirmedSignal = true;
  });
  setHandler(paymentMethodUpdatedSignal, () => {
    hasPaymentMethodSignal = true;
    confirmedSignal = true;
    retryNow = true;
  });
  setHandler(invoicePaidSignal, ({ invoiceId: paidId }) => {
    if (paidId === invoiceId) paid = true;
  });
  setHandler(chargebackSignal, (signal) => {
    chargeback = signal;
    chargebackResolved = false;
  });
  setHandler(chargebackResolvedSignal, () => {
    chargebackResolved = true;
  });
  setHandler(subscriptionStateQuery, () => ({
    status,
    periodIndex,
    periodStart: input.periodStart,
    periodEnd: pinned?.periodEnd ?? null,
    invoiceId,
    attempts: clock.attempts,
    cancelAtPeriodIndex,
    pendingPlanCode,
  }));
  setHandler(upcomingQuery, () => upcoming());

  const profile: OrganizationBillingProfile = await accountsActivities.organizationBillingProfile({ organizationId });
  const email = (emailKind: BillingEmailKind, key: string, params: Record<string, string> = {}) =>
    billingActivities.sendBillingEmail({
      kind: emailKind,
      key: `${subscriptionId}/${periodIndex}/${key}`,
      subscriptionId,
      ...(invoiceId ? { invoiceId } : {}),
      to: profile.contacts,
      params: { organization: profile.name, ...params },
    });

  async function transition(next: SubscriptionStatus | undefined, type: string, detail: string | null = null): Promise<void> {
    if (next) status = next;
    await billingActivities.recordSubscriptionEvent({ subscriptionId, type, detail, at: iso(Date.now()), ...(next ? { status: next } : {}) });
    describeForOperators();
  }

  function describeForOperators(): void {
    if (!pinned) return;
    upsertSearchAttributes({ OrganizationId: [organizationId], PlanCode: [pinned.planCode], SubscriptionStatus: [status], ...(profile.customerCode ? { CustomerCode: [profile.customerCode] } : {}) });
    upsertMemo({
      summary: `${profile.customerCode ?? organizationId} · ${pinned.planCode} v${pinned.planVersion} · ${pinned.policy.code} v${pinned.policy.version} · ${status}`,
      period: `${periodIndex} (${pinned.kind}) ${pinned.periodStart} → ${pinned.periodEnd}`,
    });
  }

  /** BIL-3: what the workflow will do next, with times, soonest first. */
  function upcoming(): LifecycleEvent[] {
    if (!pinned) return [];
    const events: LifecycleEvent[] = [];
    const add = (at: number | null, type: string, detail: string | null = null) => {
      if (at !== null) events.push({ at: iso(at), type, detail });
    };
    const periodEnd = Date.parse(pinned.periodEnd);
    const unsettled = invoiceId !== null && !paid;
    if (unsettled) {
      const deadlines = dunningDeadlines(pinned.policy, clock);
      if (clock.channel === 'CARD') add(nextAttemptAt, 'PAYMENT_ATTEMPT', `attempt ${clock.attempts + 1} of ${pinned.policy.maxCollectionAttempts}`);
      if (clock.channel === 'TRANSFER' && clock.overdueSince === null) add(dueAt, 'PAYMENT_DUE', null);
      if (status !== 'SUSPENDED') add(deadlines.suspendAt, 'SUSPENSION', 'NON_PAYMENT');
      if (!noticeSent) add(deadlines.terminationNoticeAt, 'TERMINATION_NOTICE', null);
      add(deadlines.terminateAt, 'TERMINATION', 'NON_PAYMENT');
      if (deadlines.terminateAt !== null) add(addDuration(deadlines.terminateAt, pinned.policy.dataDeletionAfterTermination), 'DATA_ERASURE', null);
    } else if (cancelAtPeriodIndex === periodIndex) {
      add(periodEnd, 'CANCELLATION', kind === 'TRIAL' ? 'at trial end' : 'at period end');
    } else if (kind === 'TRIAL') {
      add(periodEnd, 'TRIAL_END', pendingPlanCode ? `converts to ${pendingPlanCode}` : null);
    } else {
      add(periodEnd, pendingPlanCode ? 'PLAN_CHANGE' : 'RENEWAL', pendingPlanCode ?? pinned.planCode);
      if (cancelAtPeriodIndex === periodIndex + 1) add(addDuration(periodEnd, pinned.policy.billingPeriod), 'CANCELLATION', 'at the end of the next period');
    }
    return events.sort((a, b) => a.at.localeCompare(b.at));
  }

  /** BIL-10: a chargeback suspends at once; its resolution lifts that suspension only. */
  async function applyChargebacks(): Promise<void> {
    if (chargeback && !chargebackApplied) {
      chargebackApplied = true;
      await accountsActivities.suspendOrganization({ organizationId, reason: 'CHARGEBACK', note: chargeback.reason, actor });
      await transition('SUSPENDED', 'CHARGEBACK', `${chargeback.invoiceId}: ${chargeback.reason}`);
      await email('SUBSCRIPTION_SUSPENDED', `chargeback/${chargeback.invoiceId}`, { reason: 'CHARGEBACK' });
    }
    if (chargebackApplied && chargebackResolved) {
      chargebackApplied = false;
      chargeback = null;
      await accountsActivities.reinstateOrganization({ organizationId, reason: 'CHARGEBACK', actor });
      await transition(clock.overdueSince !== null && !paid ? 'PAST_DUE' : 'ACTIVE', 'CHARGEBACK_RESOLVED');
    }
  }
  const chargebackPending = () => (chargeback !== null && !chargebackApplied) || (chargebackApplied && chargebackResolved);

  /** Waits until `until` (epoch ms; null = no deadline) or until `wake` holds or a chargeback needs handling. */
  async function waitUntil(until: number | null, wake: () => boolean): Promise<void> {
    const woke = () => wake() || chargebackPending();
    if (until === null) await condition(woke);
    else if (until > Date.now()) await condition(woke, until - Date.now());
    await applyChargebacks();
  }

  // ── trial (BIL-4) ──────────────────────────────────────────────────────
  pinned = await billingActivities.beginPeriod({ subscriptionId, periodIndex, periodStart: input.periodStart, kind });
  // An ADVANCE subscription's service starts only once its first invoice is paid [004 §6.3].
  if (kind === 'PAID' && !input.carried?.status && pinned.policy.collectionMethod === 'ADVANCE') status = 'INCOMPLETE';
  describeForOperators();
  const periodEnd = Date.parse(pinned.periodEnd);

  if (kind === 'TRIAL') {
    await transition('TRIALING', 'TRIAL_STARTED', `${pinned.planCode} until ${pinned.periodEnd}`);
    await email('TRIAL_STARTED', 'trial-started', { planCode: pinned.planCode, trialEndsAt: pinned.periodEnd });
    while (Date.now() < periodEnd) await waitUntil(periodEnd, () => false);
    if (cancelAtPeriodIndex === periodIndex) return cancel('CANCELED_BY_CUSTOMER');
    const hasPaymentMethod = pinned.hasPaymentMethod || hasPaymentMethodSignal;
    const confirmed = pinned.confirmed || confirmedSignal;
    if (pinned.policy.trialEndAction === 'CANCEL_UNLESS_CONFIRMED' && !confirmed) return cancel('TRIAL_ENDED_NOT_SUBSCRIBED', 'TRIAL_ENDED');
    if (pinned.policy.collectionMethod === 'CARD_AUTO' && !hasPaymentMethod) return cancel('TRIAL_ENDED_WITHOUT_PAYMENT_METHOD', 'TRIAL_ENDED');
    return continueAsNew<typeof subscriptionWorkflow>({
      ...input,
      periodIndex: periodIndex + 1,
      periodStart: pinned.periodEnd,
      kind: 'PAID',
      carried: { cancelAtPeriodIndex, status },
    });
  }

  // ── a paid period: invoice and collect (BIL-5) ─────────────────────────
  if (status === 'ACTIVE' && periodIndex > 0) await transition(undefined, 'PERIOD_STARTED', `${pinned.planCode} v${pinned.planVersion}, ${pinned.periodStart} → ${pinned.periodEnd}`);
  const invoice = await billingActivities.issueInvoice({
    subscriptionId,
    periodIndex,
    issuedAt: iso(Date.now()),
    customer: { name: profile.name, customerCode: profile.customerCode },
  });
  invoiceId = invoice.invoiceId;
  dueAt = Date.parse(invoice.dueAt);
  paid = invoice.settled || (await billingActivities.invoicePaid({ invoiceId }));
  clock.channel = collectionChannel(pinned.policy.collectionMethod, pinned.hasPaymentMethod);
  const amount = `${invoice.total.amountMinor} ${invoice.total.currency}`;
  await transition(undefined, 'INVOICE_ISSUED', `${invoice.number} ${amount}`);
  await email('INVOICE_ISSUED', 'invoice-issued', { invoiceNumber: invoice.number, amountMinor: String(invoice.total.amountMinor), currency: invoice.total.currency, dueAt: invoice.dueAt });

  let collection: ChildWorkflowHandle<typeof invoiceCollectionWorkflow> | null = null;
  if (!paid && clock.channel === 'TRANSFER') {
    collection = await startChild(invoiceCollectionWorkflow, {
      workflowId: invoiceCollectionWorkflowId(invoice.invoiceId),
      args: [
        {
          invoiceId: invoice.invoiceId,
          invoiceNumber: invoice.number,
          total: invoice.total,
          organizationName: profile.name,
          subscriptionId,
          dueAt: invoice.dueAt,
          contacts: profile.contacts,
        },
      ],
    });
  }
  if (clock.channel === 'CARD') nextAttemptAt = Date.now();

  // ── dunning (BIL-6) ─────────────────────────────────────────────────────
  while (!paid) {
    const now = Date.now();
    if (clock.channel === 'CARD' && (retryNow || (nextAttemptAt !== null && now >= nextAttemptAt))) {
      const customerInitiated = retryNow && (nextAttemptAt === null || now < nextAttemptAt);
      retryNow = false;
      clock.attempts += 1;
      const outcome = await chargeActivities.chargeInvoice({ invoiceId, attempt: clock.attempts });
      if (outcome.status === 'PAID' || outcome.status === 'ALREADY_PAID') {
        paid = true;
        break;
      }
      const reason = outcome.status === 'DECLINED' ? outcome.declineCode : outcome.status;
      clock.overdueSince ??= now;
      clock.lastFailureAt = now;
      // A customer's own retry (new card) does not use up one of the policy's attempts' slots in time.
      if (!customerInitiated) {
        const scheduledLeft = clock.attempts < pinned.policy.maxCollectionAttempts;
        nextAttemptAt = scheduledLeft ? addDuration(now, pinned.policy.retryInterval) : null;
      }
      const next = nextAttemptAt === null ? '' : iso(nextAttemptAt);
      await transition(status === 'SUSPENDED' || status === 'INCOMPLETE' ? undefined : 'PAST_DUE', 'PAYMENT_FAILED', `attempt ${clock.attempts}: ${reason}`);
      await email('PAYMENT_FAILED', `payment-failed/${clock.attempts}`, {
        invoiceNumber: invoice.number,
        attempt: String(clock.attempts),
        maxAttempts: String(pinned.policy.maxCollectionAttempts),
        reason,
        nextAttemptAt: next,
      });
    }
    if (clock.channel === 'TRANSFER' && clock.overdueSince === null && now >= dueAt) {
      clock.overdueSince = dueAt;
      await transition(status === 'INCOMPLETE' ? undefined : 'PAST_DUE', 'PAYMENT_OVERDUE', invoice.number);
    }
    const deadlines = dunningDeadlines(pinned.policy, clock);
    if (status !== 'SUSPENDED' && deadlines.suspendAt !== null && now >= deadlines.suspendAt) {
      await accountsActivities.suspendOrganization({ organizationId, reason: 'NON_PAYMENT', actor });
      await transition('SUSPENDED', 'SUSPENDED', 'NON_PAYMENT');
      await email('SUBSCRIPTION_SUSPENDED', 'suspended', { invoiceNumber: invoice.number, reason: 'NON_PAYMENT' });
    }
    if (!noticeSent && deadlines.terminationNoticeAt !== null && now >= deadlines.terminationNoticeAt && deadlines.terminateAt !== null) {
      noticeSent = true;
      await email('TERMINATION_NOTICE', 'termination-notice', { invoiceNumber: invoice.number, terminateAt: iso(deadlines.terminateAt) });
    }
    if (deadlines.terminateAt !== null && now >= deadlines.terminateAt) return terminate(collection);

    const wakeAt = [
      clock.channel === 'CARD' ? nextAttemptAt : null,
      clock.channel === 'TRANSFER' && clock.overdueSince === null ? dueAt : null,
      status !== 'SUSPENDED' ? deadlines.suspendAt : null,
      noticeSent ? null : deadlines.terminationNoticeAt,
      deadlines.terminateAt,
    ].filter((at): at is number => at !== null && at > now);
    await waitUntil(wakeAt.length ? Math.min(...wakeAt) : null, () => paid || (retryNow && clock.channel === 'CARD'));
  }

  // ── paid: restore at once if overdue (BIL-6), accrue commission (BIL-11) ──
  if (collection) await collection.signal(invoiceCollectionPaidSignal);
  const wasSuspendedForNonPayment = status === 'SUSPENDED' && clock.overdueSince !== null;
  if (wasSuspendedForNonPayment) await accountsActivities.reinstateOrganization({ organizationId, reason: 'NON_PAYMENT', actor });
  const restored = status === 'PAST_DUE' || status === 'SUSPENDED';
  await transition(chargebackApplied ? undefined : 'ACTIVE', restored ? 'PAYMENT_RECOVERED' : 'INVOICE_PAID', invoice.number);
  clock.overdueSince = null;
  nextAttemptAt = null;
  await email(restored && wasSuspendedForNonPayment ? 'SUBSCRIPTION_RESTORED' : 'PAYMENT_SUCCEEDED', 'paid', { invoiceNumber: invoice.number, amountMinor: String(invoice.total.amountMinor), currency: invoice.total.currency });
  if (profile.referredByPartnerId) await billingActivities.accruePartnerCommission({ invoiceId, partnerId: profile.referredByPartnerId });

  // ── the rest of the period; a chargeback keeps the next period from starting ──
  while (Date.now() < periodEnd || chargebackApplied) {
    await waitUntil(Date.now() < periodEnd ? periodEnd : null, () => false);
  }
  if (cancelAtPeriodIndex === periodIndex) return cancel('CANCELED_BY_CUSTOMER');
  // A period paid late still ends on time: the next one starts at its scheduled start.
  return continueAsNew<typeof subscriptionWorkflow>({
    ...input,
    periodIndex: periodIndex + 1,
    periodStart: pinned.periodEnd,
    kind: 'PAID',
    carried: { cancelAtPeriodIndex, status: 'ACTIVE' },
  });

  async function cancel(reason: string, type = 'CANCELED'): Promise<SubscriptionOutcome> {
    await transition('CANCELED', type, reason);
    await email(type === 'TRIAL_ENDED' ? 'TRIAL_ENDED' : 'SUBSCRIPTION_CANCELED', 'canceled', { reason });
    return { status: 'CANCELED', periodIndex, reason };
  }

  /** BIL-6: terminate for non-payment, hold licensed resources, hand the organisation over for erasure. */
  async function terminate(collectionHandle: ChildWorkflowHandle<typeof invoiceCollectionWorkflow> | null): Promise<SubscriptionOutcome> {
    const policy = pinned!.policy;
    const now = Date.now();
    await billingActivities.writeOffInvoice({ invoiceId: invoiceId!, at: iso(now) });
    await accountsActivities.terminateOrganization({ organizationId, reason: 'NON_PAYMENT', actor });
    await transition('TERMINATED', 'TERMINATED', 'NON_PAYMENT');
    await email('SUBSCRIPTION_TERMINATED', 'terminated', { invoiceNumber: invoice.number });
    if (collectionHandle) await collectionHandle.signal(invoiceCollectionClosedSignal);
    if (policy.resourceHoldPeriod) {
      await startIndependent(LICENSED_RESOURCE_HOLD_WORKFLOW, licensedResourceHoldWorkflowId(organizationId), [
        { organizationId, holdUntil: iso(addDuration(now, policy.resourceHoldPeriod)) },
      ]);
    }
    const eraseAt = iso(addDuration(now, policy.dataDeletionAfterTermination));
    await scheduleOrganizationErasure({ organizationId, eraseAt, reason: 'TERMINATED_FOR_NON_PAYMENT', requestedBy: actor.id });
    await transition(undefined, 'DATA_ERASURE_SCHEDULED', eraseAt);
    return { status: 'TERMINATED', periodIndex, reason: 'NON_PAYMENT' };
  }
}

/** Starts a workflow that outlives this one; an already running one (same ID) is fine. */
async function startIndependent(workflow: string | ((...args: any[]) => Promise<unknown>), workflowId: string, args: unknown[]): Promise<void> {
  try {
    await startChild(workflow as string, { workflowId, args, parentClosePolicy: ParentClosePolicy.ABANDON });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}

/**
 * The hand-over point to KVKK erasure (CON-6): the consent service's erasure
 * workflow, by its agreed name and ID. The only place billing starts it.
 */
export function scheduleOrganizationErasure(input: OrganizationErasureInput): Promise<void> {
  return startIndependent(ORGANIZATION_ERASURE_WORKFLOW, organizationErasureWorkflowId(input.organizationId), [input]);
}
