import {
  ParentClosePolicy,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  makeContinueAsNewFunc,
  patched,
  setHandler,
  sleep,
  startChild,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { LICENSED_RESOURCE_HOLD_WORKFLOW, licensedResourceHoldWorkflowId, type ChangeActor, type OrganizationStandingChange, type WebhookEvent } from '@omurga/shared/contracts';
import { accountsActivities, emitWebhookEvent, emitWebhookEvents } from '@omurga/shared/workflow';
import { TRIAL_ENDING_NOTICE_MS, subscriptionCreatedEvent, trialEndingEvent, webhookEventsFor } from './webhook-events.ts';
import {
  decide,
  startSubscription,
  subscriptionStatus,
  upcoming,
  type Decision,
  type LifecycleCommand,
  type LifecycleEvent as CoreEvent,
  type LifecycleState,
  type Outcome,
} from '../lifecycle/index.ts';
import {
  BILLING_STEP_COMMANDS,
  ORGANIZATION_ERASURE_WORKFLOW,
  SUBSCRIPTION_QUERIES,
  SUBSCRIPTION_SIGNALS,
  SUBSCRIPTION_WORKFLOW_PATCHES,
  organizationErasureWorkflowId,
  type CancelSignal,
  type ChargebackSignal,
  type InvoicePaidSignal,
  type InvoiceVoidedSignal,
  type LifecycleEvent,
  type OrganizationErasureInput,
  type PlanChangedSignal,
  type SubscriptionWorkflowInput,
  type SubscriptionWorkflowState,
  type TrialConfirmedSignal,
} from './contracts.ts';
import { billingActivities, chargeActivities, lifecycleStepActivities } from './billing-activities.ts';
import { chargeResult, emailRequest, invoiceCustomer } from './lifecycle-requests.ts';

export const cancelSignal = defineSignal<[CancelSignal]>(SUBSCRIPTION_SIGNALS.cancel);
export const planChangedSignal = defineSignal<[PlanChangedSignal]>(SUBSCRIPTION_SIGNALS.planChanged);
export const trialConfirmedSignal = defineSignal<[TrialConfirmedSignal]>(SUBSCRIPTION_SIGNALS.trialConfirmed);
export const paymentMethodUpdatedSignal = defineSignal(SUBSCRIPTION_SIGNALS.paymentMethodUpdated);
export const invoicePaidSignal = defineSignal<[InvoicePaidSignal]>(SUBSCRIPTION_SIGNALS.invoicePaid);
export const invoiceVoidedSignal = defineSignal<[InvoiceVoidedSignal]>(SUBSCRIPTION_SIGNALS.invoiceVoided);
export const chargebackSignal = defineSignal<[ChargebackSignal]>(SUBSCRIPTION_SIGNALS.chargeback);
export const chargebackResolvedSignal = defineSignal(SUBSCRIPTION_SIGNALS.chargebackResolved);
export const organizationStandingSignal = defineSignal<[OrganizationStandingChange]>(SUBSCRIPTION_SIGNALS.organizationStanding);
export const upcomingQuery = defineQuery<LifecycleEvent[]>(SUBSCRIPTION_QUERIES.upcoming);
export const subscriptionStateQuery = defineQuery<SubscriptionWorkflowState>(SUBSCRIPTION_QUERIES.state);

export type SubscriptionOutcome = Outcome;

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * One subscription's life (BIL-3 … BIL-11), interpreted from the pure core
 * (`../lifecycle`): signals become events, `decide` answers commands, each
 * command is one activity whose result is the next event, and the run sleeps
 * until the core's next wake-up. No child workflow: the bank-transfer
 * reminders are the core's own commands, so nothing another workflow does
 * can fail this one. A new run (continue-as-new) starts each period, carrying
 * the core's state. Started with ID subscriptionWorkflowId(subscriptionId).
 */
export async function subscriptionWorkflow(input: SubscriptionWorkflowInput): Promise<SubscriptionOutcome> {
  const { subscriptionId, organizationId } = input;
  const actor: ChangeActor = { kind: 'workflow', id: workflowInfo().workflowId };
  const inbox: CoreEvent[] = [];
  const results: CoreEvent[] = [];
  const hear = <T>(toEvent: (signal: T) => CoreEvent) => (signal: T) => void inbox.push(toEvent(signal));
  setHandler(cancelSignal, hear((s) => ({ type: 'CANCEL_REQUESTED', requestedAt: s.requestedAt, noticeWaived: s.noticeWaived === true })));
  setHandler(planChangedSignal, hear((s) => ({ type: 'PLAN_CHANGE_REQUESTED', planCode: s.planCode })));
  setHandler(trialConfirmedSignal, hear((s) => ({ type: 'TRIAL_CONFIRMED', planCode: s.planCode ?? null })));
  setHandler(paymentMethodUpdatedSignal, () => void inbox.push({ type: 'PAYMENT_METHOD_UPDATED' }));
  setHandler(invoicePaidSignal, hear((s) => ({ type: 'PAYMENT_RECORDED', invoiceId: s.invoiceId, at: s.paidAt ?? iso(Date.now()) })));
  setHandler(invoiceVoidedSignal, hear((s) => ({ type: 'INVOICE_VOIDED', invoiceId: s.invoiceId })));
  setHandler(chargebackSignal, hear((s) => ({ type: 'CHARGEBACK', invoiceId: s.invoiceId, reason: s.reason })));
  setHandler(chargebackResolvedSignal, () => void inbox.push({ type: 'CHARGEBACK_RESOLVED' }));
  setHandler(organizationStandingSignal, hear((s) => ({ type: 'ORGANIZATION_CHANGED', change: s.standing, reason: s.reason })));

  let decision: Decision = input.state
    ? decide(input.state, { type: 'RESTARTED' }, Date.now())
    : startSubscription({ ...input.start!, subscriptionId, organizationId }, Date.parse(input.start!.at));
  setHandler(subscriptionStateQuery, () => ({ ...decision.state, status: subscriptionStatus(decision.state) }));
  setHandler(upcomingQuery, () => upcoming(decision.state, Date.now()).map((e) => ({ ...e, at: iso(e.at) })));
  const firstPeriod = decision.state.period.index;
  /** Whether this run takes the change: known from its input, else from a patch marker (see SUBSCRIPTION_WORKFLOW_PATCHES). */
  const takes = (patchId: string) => input.patches?.includes(patchId) === true || patched(patchId);
  // A run begun by newer code than this worker's fails its workflow task (it is retried) until a worker
  // that has every change it was begun with takes it, instead of running an older path it was not begun on.
  const unknownPatches = input.patches?.filter((patchId) => !SUBSCRIPTION_WORKFLOW_PATCHES.includes(patchId)) ?? [];
  if (unknownPatches.length) throw new Error(`this worker lacks ${unknownPatches.join(', ')}, which the run was begun with; a newer worker will take it`);
  // Issue 16: runs begun with this code take fewer round trips per decision (see carryOutAll);
  // runs begun before it replay as they were recorded.
  const fewerRoundTrips = takes('issue-16-fewer-round-trips');
  // Issue 16: runs begun with this code hand billing's commands to billing in one activity per step (carryOutInBilling).
  const stepsInBilling = takes('issue-16-steps-in-billing');
  // Webhook events not yet handed to accounts (runs with stepsInBilling): they go with the next
  // step's, before the run waits or ends, or with the next run's first activity.
  const unpublished: WebhookEvent[] = [];
  // Issue 16: runs begun with this code open with one accounts activity instead of two, write the
  // operators' description only when they wait or end, and hand it to the next run with continue-as-new.
  const runsCheaper = takes('issue-16-one-accounts-call-per-run');
  const opening = runsCheaper && !input.state ? [subscriptionCreatedEvent(decision.state, iso(Date.now()))] : [];
  const profile = runsCheaper
    ? await accountsActivities.openSubscriptionRun({ organizationId, webhookEvents: [...(input.webhookEvents ?? []), ...opening] })
    : (await Promise.all([accountsActivities.organizationBillingProfile({ organizationId }), emitWebhookEvents(input.webhookEvents ?? [])]))[0];
  if (!input.state && !runsCheaper) {
    const created = subscriptionCreatedEvent(decision.state, iso(Date.now()));
    if (stepsInBilling) unpublished.push(created);
    else await emitWebhookEvent(created);
  }
  let recordedStatus = input.state?.recordedStatus ?? null;
  let records = 0;
  let described: string | null = runsCheaper ? (input.description ?? null) : null;
  noticeTrialEnding();
  // Issue 15: the promo code given at sign-up takes effect on the organisation's subscription, before its first invoice.
  if (!input.state && profile.promoCode && takes('sign-up-promo-code')) {
    await billingActivities.applySignUpPromoCode({ subscriptionId, code: profile.promoCode, at: iso(Date.now()) });
  }

  for (;;) {
    if (stepsInBilling) await carryOutInBilling();
    else if (fewerRoundTrips) results.push(...(await carryOutAll(decision.commands)));
    else for (const command of decision.commands) results.push(...(await carryOut(command)));
    if (!runsCheaper) describeForOperators(decision.state);
    if (decision.state.outcome) {
      if (runsCheaper) describeForOperators(decision.state);
      await publishWebhookEvents();
      return decision.state.outcome;
    }
    if (!results.length && !inbox.length) {
      const newPeriod = decision.state.period.index > firstPeriod && decision.state.awaiting === null;
      if (newPeriod || workflowInfo().continueAsNewSuggested) {
        const next: SubscriptionWorkflowInput = { subscriptionId, organizationId, state: decision.state, ...(unpublished.length ? { webhookEvents: unpublished } : {}) };
        if (!runsCheaper) return continueAsNew<typeof subscriptionWorkflow>(next);
        // The next run starts with the description, so neither run writes it (each write is a history
        // event and a visibility write), and knows it takes every change of this code.
        const view = operatorView(decision.state);
        return makeContinueAsNewFunc<typeof subscriptionWorkflow>({ memo: view.memo, searchAttributes: view.searchAttributes })({
          ...next,
          description: view.description,
          patches: SUBSCRIPTION_WORKFLOW_PATCHES,
        });
      }
      if (runsCheaper) describeForOperators(decision.state);
      await publishWebhookEvents();
      const { wakeAt } = decision;
      if (wakeAt === null) await condition(() => inbox.length > 0);
      else if (wakeAt > Date.now()) await condition(() => inbox.length > 0, wakeAt - Date.now());
    }
    const event: CoreEvent = results.shift() ?? inbox.shift() ?? { type: 'TIME_REACHED' };
    decision = decide(decision.state, event, Date.now());
  }

  /**
   * The decision's commands, and those of the decisions their answers lead
   * to, with one activity per run of billing's own commands
   * (carryOutLifecycleSteps: the same loop as this workflow's, in billing).
   * A command only the workflow may carry out (another service, a child) is
   * carried out here, between such runs. Answers left over stay in `results`
   * for the main loop, as do the signals in the inbox.
   */
  async function carryOutInBilling(): Promise<void> {
    while (decision.commands.length) {
      const [first, ...rest] = decision.commands;
      if (!BILLING_STEP_COMMANDS.has(first!.type)) {
        results.push(...(await carryOut(first!)));
        decision = { ...decision, commands: rest };
        continue;
      }
      const ran = await lifecycleStepActivities.carryOutLifecycleSteps({
        decision,
        results: results.splice(0),
        profile,
        recordedStatus,
        sequence: { prefix: workflowInfo().runId.slice(0, 8), next: records + 1 },
      });
      decision = ran.decision;
      results.push(...ran.results);
      recordedStatus = ran.recordedStatus;
      records = ran.sequenceNext - 1;
      unpublished.push(...ran.webhookEvents);
    }
  }

  /** Hands the webhook events gathered so far to accounts, in one activity. */
  async function publishWebhookEvents(): Promise<void> {
    await emitWebhookEvents(unpublished.splice(0));
  }

  /**
   * A decision's commands with fewer round trips, same effects: e-mails and
   * commission accruals answer no event and change nothing the other commands
   * read, so they run beside the commands after them and are awaited before
   * the next decision. Every other command keeps its order, one after another.
   */
  async function carryOutAll(commands: LifecycleCommand[]): Promise<CoreEvent[]> {
    const answered: CoreEvent[] = [];
    const alongside: Promise<unknown>[] = [];
    for (const command of commands) {
      if (command.type === 'SEND_EMAIL' || command.type === 'ACCRUE_COMMISSION') alongside.push(carryOut(command));
      else answered.push(...(await carryOut(command)));
    }
    await Promise.all(alongside);
    return answered;
  }

  /** One command as one activity (or child start); the events it answers with. */
  async function carryOut(command: LifecycleCommand): Promise<CoreEvent[]> {
    switch (command.type) {
      case 'BEGIN_PERIOD': {
        const { type: _, ...period } = command;
        return [{ type: 'PERIOD_BEGUN', pinned: await billingActivities.beginPeriod({ subscriptionId, ...period }) }];
      }
      case 'MOVE_PERIOD': {
        const { type: _, ...period } = command;
        await billingActivities.movePeriod({ subscriptionId, ...period });
        return [];
      }
      case 'ISSUE_INVOICE': {
        const { paid, ...invoice } = await billingActivities.issueInvoice({ subscriptionId, periodIndex: command.periodIndex, issuedAt: command.issuedAt, customer: invoiceCustomer(profile) });
        const issued: CoreEvent = { type: 'INVOICE_ISSUED', ...invoice, periodIndex: command.periodIndex };
        // Paid before this run knew it (an operator recorded a transfer while the invoice was being issued);
        // issue 16: the issuing activity answers that itself (a payment after it is signalled).
        const paidMeanwhile = !invoice.settled && (fewerRoundTrips && paid !== undefined ? paid : await billingActivities.invoicePaid({ invoiceId: invoice.invoiceId }));
        return paidMeanwhile ? [issued, { type: 'PAYMENT_RECORDED', invoiceId: invoice.invoiceId, at: iso(Date.now()) }] : [issued];
      }
      case 'CHARGE_INVOICE':
        return [chargeResult(command, await chargeActivities.chargeInvoice({ invoiceId: command.invoiceId, attempt: command.attempt }))];
      case 'SEND_EMAIL':
        await billingActivities.sendBillingEmail(emailRequest(command, subscriptionId, profile));
        return [];
      case 'RECORD': {
        const at = iso(Date.now());
        await billingActivities.recordSubscriptionEvent({ subscriptionId, type: command.event, detail: command.detail, at, ...(command.status ? { status: command.status } : {}) });
        const entry = { event: command.event, detail: command.detail, status: command.status, previousStatus: recordedStatus, sequenceKey: `${workflowInfo().runId.slice(0, 8)}-${(records += 1)}` };
        if (command.status) recordedStatus = command.status;
        for (const event of webhookEventsFor(entry, decision.state, at)) await emitWebhookEvent(event);
        return [];
      }
      case 'SUSPEND_ORGANIZATION':
        await accountsActivities.suspendOrganization({ organizationId, reason: command.reason, ...(command.note ? { note: command.note } : {}), actor });
        return [];
      case 'REINSTATE_ORGANIZATION':
        await accountsActivities.reinstateOrganization({ organizationId, reason: command.reason, actor });
        return [];
      case 'TERMINATE_ORGANIZATION':
        await accountsActivities.terminateOrganization({ organizationId, reason: command.reason, actor });
        return [];
      case 'WRITE_OFF_INVOICE':
        await billingActivities.writeOffInvoice({ invoiceId: command.invoiceId, at: iso(Date.now()), reason: command.reason });
        return [];
      case 'HOLD_RESOURCES':
        await startIndependent(LICENSED_RESOURCE_HOLD_WORKFLOW, licensedResourceHoldWorkflowId(organizationId), [{ organizationId, holdUntil: command.holdUntil }]);
        return [];
      case 'SCHEDULE_ERASURE':
        if (command.unlessOtherLive && (await billingActivities.otherLiveSubscription({ organizationId, subscriptionId }))) return [];
        await scheduleOrganizationErasure({ organizationId, eraseAt: command.eraseAt, reason: command.reason, requestedBy: actor.id });
        await billingActivities.recordSubscriptionEvent({ subscriptionId, type: 'DATA_ERASURE_SCHEDULED', detail: command.eraseAt, at: iso(Date.now()) });
        return [];
      case 'ACCRUE_COMMISSION':
        if (profile.referredByPartnerId) await billingActivities.accruePartnerCommission({ invoiceId: command.invoiceId, partnerId: profile.referredByPartnerId });
        return [];
      case 'FINISH':
        return [];
    }
  }

  /** subscription.trial_ending, beside the main loop: three days before the trial of this run ends (issue 15). */
  function noticeTrialEnding(): void {
    const trial = decision.state.period;
    if (trial.kind !== 'TRIAL' || decision.state.outcome) return;
    const noticeAt = Math.max(trial.start, trial.end - TRIAL_ENDING_NOTICE_MS);
    void (async () => {
      if (noticeAt > Date.now()) await sleep(noticeAt - Date.now());
      const state = decision.state;
      if (state.outcome === null && state.period.index === trial.index && Date.now() < state.period.end) await emitWebhookEvent(trialEndingEvent(state, iso(Date.now())));
    })().catch(() => undefined);
  }

  /** Search attributes and a readable memo for the Temporal UI (SPEC §6); `description` tells one from another. */
  function operatorView(state: LifecycleState) {
    const { period } = state;
    const status = subscriptionStatus(state);
    const memo = {
      summary: `${profile.customerCode ?? organizationId} · ${period.planCode} v${period.planVersion ?? '?'} · ${period.policy.code} v${period.policy.version} · ${status}`,
      period: `${period.index} (${period.kind}) ${iso(period.start)} → ${iso(period.end)}`,
    };
    const searchAttributes = { OrganizationId: [organizationId], PlanCode: [period.planCode], SubscriptionStatus: [status], ...(profile.customerCode ? { CustomerCode: [profile.customerCode] } : {}) };
    return { memo, searchAttributes, description: JSON.stringify(memo) };
  }

  /** Writes the operators' view of the run (operatorView), unless it is unchanged. */
  function describeForOperators(state: LifecycleState): void {
    const view = operatorView(state);
    // Issue 16: each upsert is a history event and a visibility write; an unchanged description is not written again.
    if (stepsInBilling && view.description === described) return;
    described = view.description;
    upsertSearchAttributes(view.searchAttributes);
    upsertMemo(view.memo);
  }
}

/** Starts a workflow that outlives this one; an already running one (same ID) is fine. */
async function startIndependent(workflow: string, workflowId: string, args: unknown[]): Promise<void> {
  try {
    await startChild(workflow, { workflowId, args, parentClosePolicy: ParentClosePolicy.ABANDON });
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
