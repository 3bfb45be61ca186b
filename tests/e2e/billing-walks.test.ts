import { afterEach, describe, expect, inject, it } from 'vitest';
import { SUBSCRIPTION_QUERIES, SUBSCRIPTION_WORKFLOW_PATCHES, type LifecycleEvent, organizationErasureWorkflowId } from '../../services/billing/src/workflows/contracts.ts';
import { formatInvoiceNumber, invoiceYear } from '../../services/billing/src/invoices/numbering.ts';
import type { InvoiceDoc } from '../../services/billing/src/models/index.ts';
import { addDuration } from '@omurga/shared';
import { recordUsage } from '../../services/billing/src/usage.ts';
import { termsObjectionBillingActivities } from '../../services/billing/src/subscription-requests.ts';
import { DAY, HOUR, startBillingWalk, type BillingWalk } from '../support/billing-walk.ts';
import { waitFor } from '../support/billing.ts';

// Each seed preset walked through its real durations on the time-skipping
// server (BIL-3 … BIL-8). Times are hours after the subscription started.
const stack = inject('stack');

/** BIL-8: gap-free numbers per series, which restarts with each (Istanbul) year. */
function expectedNumbers(invoices: InvoiceDoc[]): string[] {
  const next = new Map<number, number>();
  return invoices.map((invoice) => {
    const year = invoiceYear(invoice.issuedAt);
    const sequence = (next.get(year) ?? 0) + 1;
    next.set(year, sequence);
    return formatInvoiceNumber('TST', year, sequence);
  });
}
let walk: BillingWalk | undefined;
afterEach(async () => {
  await walk?.close();
  walk = undefined;
});

describe('ecommerce-license-30d [000]', () => {
  it('BIL-4/BIL-5: a 14-day trial, then the card is charged every 30 days', async () => {
    walk = await startBillingWalk(stack);
    const { id, startedAt, handle } = await walk.open('ECOMMERCE-SELF-SERVICE', { token: 'sandbox_ok', oneOffFees: ['INSTALLATION'] });

    await walk.env.sleep(14 * DAY + 75 * DAY);
    const upcoming = await handle.query<LifecycleEvent[]>(SUBSCRIPTION_QUERIES.upcoming);
    const description = await handle.describe();
    const lastRun = await handle.fetchHistory();
    await handle.terminate('walk over');

    // What operators filter and read in the Temporal UI (SPEC §6).
    expect(description.searchAttributes).toMatchObject({
      OrganizationId: [walk.organizationId],
      CustomerCode: ['MUS-TEST-0001'],
      PlanCode: ['ECOMMERCE-SELF-SERVICE'],
      SubscriptionStatus: ['ACTIVE'],
    });
    expect(description.memo?.summary).toBe('MUS-TEST-0001 · ECOMMERCE-SELF-SERVICE v1 · ecommerce-license-30d v1 · ACTIVE');
    expect(description.memo?.period).toMatch(/^3 \(\w+\) /);
    // Issue 16: a renewal's new run opens with one accounts activity and writes no description of its own
    // (the previous run handed it over with continue-as-new).
    const events = lastRun.events ?? [];
    expect(events.flatMap((event) => event.activityTaskScheduledEventAttributes?.activityType?.name ?? [])).toEqual(['openSubscriptionRun']);
    expect(events.filter((event) => event.upsertWorkflowSearchAttributesEventAttributes || event.workflowPropertiesModifiedEventAttributes)).toEqual([]);
    expect(await walk.timeline(id, startedAt)).toEqual([
      [0, 'CREATED', 'TRIALING'],
      [0, 'TRIAL_STARTED', 'TRIALING'],
      // Issue 12: no longer TRIALING from the trial's end on, paid or not.
      [14 * 24, 'TRIAL_CONVERTED', 'ACTIVE'],
      [14 * 24, 'PERIOD_STARTED', null],
      [14 * 24, 'INVOICE_ISSUED', null],
      [14 * 24, 'INVOICE_PAID', 'ACTIVE'],
      [44 * 24, 'PERIOD_STARTED', null],
      [44 * 24, 'INVOICE_ISSUED', null],
      [44 * 24, 'INVOICE_PAID', 'ACTIVE'],
      [74 * 24, 'PERIOD_STARTED', null],
      [74 * 24, 'INVOICE_ISSUED', null],
      [74 * 24, 'INVOICE_PAID', 'ACTIVE'],
    ]);
    const invoices = await walk.invoices();
    expect(invoices.map((i) => [i.number, i.status, i.lines.map((l) => l.kind)])).toEqual([
      [expectedNumbers(invoices)[0], 'PAID', ['PLAN', 'ONE_OFF_FEE', 'STAMP_DUTY']],
      [expectedNumbers(invoices)[1], 'PAID', ['PLAN']],
      [expectedNumbers(invoices)[2], 'PAID', ['PLAN']],
    ]);
    // KDV is 20 % of every subtotal (BIL-2).
    for (const invoice of invoices) expect(invoice.tax.amountMinor).toBe(Math.round(invoice.subtotal.amountMinor * 0.2));
    expect(await walk.charges()).toEqual(invoices.map((i) => [i.number, 1, 'SUCCEEDED']));
    expect(await walk.emails()).toEqual([
      'TRIAL_STARTED',
      'INVOICE_ISSUED',
      'PAYMENT_SUCCEEDED',
      'INVOICE_ISSUED',
      'PAYMENT_SUCCEEDED',
      'INVOICE_ISSUED',
      'PAYMENT_SUCCEEDED',
    ]);
    // Issue 15: the events handed to accounts for webhooks, each once, in order.
    const renewal = ['subscription.renewed', 'invoice.issued', 'invoice.paid'];
    expect(walk.accounts.webhookEvents.map((e) => e.type)).toEqual(['subscription.created', 'subscription.trial_ending', ...renewal, ...renewal, ...renewal]);
    expect(walk.accounts.webhookEvents.find((e) => e.type === 'invoice.paid')).toMatchObject({ organizationId: walk.organizationId, data: { subscriptionId: id, invoiceNumber: invoices[0]!.number, paid: true } });
    expect(upcoming).toEqual([{ at: new Date(startedAt + 104 * DAY).toISOString(), type: 'RENEWAL', detail: 'ECOMMERCE-SELF-SERVICE' }]);
    expect(walk.accountsCalls(startedAt)).toEqual([]);
  });
});

describe('releases (issue 16)', () => {
  const patchMarkers = (history: { events?: { markerRecordedEventAttributes?: unknown }[] | null }) => (history.events ?? []).filter((event) => event.markerRecordedEventAttributes);

  it('a run begun before the patch list asks the patch markers; the run after it takes every change without them', async () => {
    walk = await startBillingWalk(stack);
    const { id, startedAt, handle } = await walk.open('ECOMMERCE-SELF-SERVICE', { token: 'sandbox_ok', patches: null });
    const firstRun = (await handle.describe()).runId;

    await walk.env.sleep(14 * DAY + HOUR);
    const [first, second] = await Promise.all([walk.env.client.workflow.getHandle(handle.workflowId, firstRun).fetchHistory(), handle.fetchHistory()]);
    await handle.terminate('walk over');

    expect(patchMarkers(first)).toHaveLength(3);
    expect(patchMarkers(second)).toEqual([]);
    expect((await walk.timeline(id, startedAt)).slice(-3)).toEqual([
      [14 * 24, 'PERIOD_STARTED', null],
      [14 * 24, 'INVOICE_ISSUED', null],
      [14 * 24, 'INVOICE_PAID', 'ACTIVE'],
    ]);
  });

  it('a run begun by a newer release is left for a worker that has its changes: its workflow task fails, nothing runs', async () => {
    walk = await startBillingWalk(stack);
    const { id, handle } = await walk.open('ECOMMERCE-SELF-SERVICE', { token: 'sandbox_ok', patches: [...SUBSCRIPTION_WORKFLOW_PATCHES, 'from-a-newer-release'] });

    const history = await waitFor(() => handle.fetchHistory(), (h) => (h.events ?? []).some((event) => event.workflowTaskFailedEventAttributes), 20_000);
    const description = await handle.describe();
    await handle.terminate('walk over');

    const failed = history.events!.find((event) => event.workflowTaskFailedEventAttributes)!.workflowTaskFailedEventAttributes!;
    expect(failed.failure?.message).toContain('from-a-newer-release');
    expect(history.events!.filter((event) => event.activityTaskScheduledEventAttributes)).toEqual([]);
    expect(description.status.name).toBe('RUNNING');
    expect((await walk.timeline(id, 0)).map(([, type]) => type)).toEqual(['CREATED']);
  });
});

describe('dunning', () => {
  it('BIL-6 [000 §4.7]: three declined attempts, then suspension, termination and erasure scheduled', async () => {
    walk = await startBillingWalk(stack);
    const { id, startedAt, handle } = await walk.open('ECOMMERCE-SELF-SERVICE', { token: 'sandbox_decline' });

    await walk.env.sleep(15 * DAY);
    const upcoming = await handle.query<LifecycleEvent[]>(SUBSCRIPTION_QUERIES.upcoming);
    expect(await handle.result()).toEqual({ status: 'TERMINATED', periodIndex: 1, reason: 'NON_PAYMENT' });
    // The erasure and resource-hold workflows outlive it; with PT0S delays they act at once.
    await Promise.all([walk.personalData.records.called('recordDestruction'), walk.accounts.called('releaseLicensedResources')]);

    expect(upcoming.map((event) => [Math.round((Date.parse(event.at) - startedAt) / HOUR), event.type, event.detail])).toEqual([
      [384, 'PAYMENT_ATTEMPT', 'attempt 2 of 3'],
      [504, 'TERMINATION_NOTICE', null],
      [672, 'TERMINATION', 'NON_PAYMENT'],
      [672, 'DATA_ERASURE', null],
    ]);
    expect(await walk.timeline(id, startedAt)).toEqual([
      [0, 'CREATED', 'TRIALING'],
      [0, 'TRIAL_STARTED', 'TRIALING'],
      [336, 'TRIAL_CONVERTED', 'ACTIVE'],
      [336, 'PERIOD_STARTED', null],
      [336, 'INVOICE_ISSUED', null],
      [336, 'PAYMENT_FAILED', 'PAST_DUE'],
      [384, 'PAYMENT_FAILED', 'PAST_DUE'],
      [432, 'PAYMENT_FAILED', 'PAST_DUE'],
      [432, 'SUSPENDED', 'SUSPENDED'],
      [672, 'TERMINATED', 'TERMINATED'],
      [672, 'DATA_ERASURE_SCHEDULED', null],
    ]);
    const [invoice] = await walk.invoices();
    expect(invoice!.status).toBe('UNCOLLECTIBLE');
    // CON-6: the erasure fanned out at termination; billing kept the invoice, restricted, for its legal period.
    const erased = walk.personalData.accounts.callsOf('erasePersonalData');
    expect(erased.map((call) => Math.round((call.scheduledAt - startedAt) / HOUR))).toEqual([672]);
    expect(erased[0]!.input).toEqual({ subject: { kind: 'ORGANIZATION', organizationId: walk.organizationId }, erasureId: `termination/${walk.organizationId}` });
    const kept = await walk.models.Invoice.findById(invoice!._id).lean();
    expect(kept!.restrictedAt).not.toBeNull();
    expect(kept!.retainUntil!.getUTCFullYear()).toBe(invoice!.issuedAt.getUTCFullYear() + 10);
    // VUK 230: the buyer identity frozen at issue is part of the kept record (issue 15).
    expect(kept!.customer!.buyer).toMatchObject({ legalName: 'Test Org A.Ş.', taxId: '4840847211', taxOffice: 'Mecidiyeköy', address: { city: 'İstanbul' } });
    expect(kept!.ettn).toMatch(/^[0-9a-f-]{36}$/);
    const [record] = walk.personalData.records.callsOf('recordDestruction').map((call) => call.input as { reports: { service: string; kept: { collection: string }[] }[] });
    expect(record!.reports.find((r) => r.service === 'billing')!.kept.map((k) => k.collection)).toEqual(['invoices']);
    expect(await walk.charges()).toEqual([
      [invoice!.number, 1, 'DECLINED'],
      [invoice!.number, 2, 'DECLINED'],
      [invoice!.number, 3, 'DECLINED'],
    ]);
    expect(await walk.emails()).toEqual([
      'TRIAL_STARTED',
      'INVOICE_ISSUED',
      'PAYMENT_FAILED',
      'PAYMENT_FAILED',
      'PAYMENT_FAILED',
      'SUBSCRIPTION_SUSPENDED',
      'TERMINATION_NOTICE',
      'SUBSCRIPTION_TERMINATED',
    ]);
    const calls = walk.accountsCalls(startedAt);
    expect(calls.slice(0, 2)).toEqual([
      [432, 'suspendOrganization', 'NON_PAYMENT'],
      [672, 'terminateOrganization', 'NON_PAYMENT'],
    ]);
    // [000 §7.5]: deleted at once; the website address is released at once too.
    expect(calls.slice(2).sort()).toEqual([
      [672, 'holdLicensedResources', null],
      [672, 'releaseLicensedResources', null],
    ]);
    const erasure = await walk.env.client.workflow.getHandle(organizationErasureWorkflowId(walk.organizationId)).describe();
    expect(erasure.type).toBe('organizationErasureWorkflow');
  });

  it('BIL-6 [002 §9]: an unpaid bank transfer is suspended at 7 days and terminated at 14', async () => {
    walk = await startBillingWalk(stack);
    const { id, startedAt, handle } = await walk.open('CALLCENTER-RENTAL');

    expect(await handle.result()).toEqual({ status: 'TERMINATED', periodIndex: 0, reason: 'NON_PAYMENT' });

    expect(await walk.timeline(id, startedAt)).toEqual([
      [0, 'CREATED', 'ACTIVE'],
      [0, 'INVOICE_ISSUED', null],
      [168, 'PAYMENT_OVERDUE', 'PAST_DUE'],
      [168, 'SUSPENDED', 'SUSPENDED'],
      [336, 'TERMINATED', 'TERMINATED'],
      [336, 'DATA_ERASURE_SCHEDULED', null],
    ]);
    const [invoice] = await walk.invoices();
    expect(invoice!.dueAt.getTime() - invoice!.issuedAt.getTime()).toBe(7 * DAY);
    expect(invoice!.status).toBe('UNCOLLECTIBLE');
    expect(await walk.charges()).toEqual([]);
    // The bank-transfer reminders and the subscription's notices (same instants may interleave).
    expect((await walk.emails()).sort()).toEqual(
      ['INVOICE_ISSUED', 'PAYMENT_REMINDER', 'PAYMENT_OVERDUE', 'SUBSCRIPTION_SUSPENDED', 'TERMINATION_NOTICE', 'SUBSCRIPTION_TERMINATED'].sort(),
    );
    expect(walk.accountsCalls(startedAt).slice(0, 2)).toEqual([
      [168, 'suspendOrganization', 'NON_PAYMENT'],
      [336, 'terminateOrganization', 'NON_PAYMENT'],
    ]);
  });

  it('BIL-6: paying the overdue transfer during grace restores the service at once', async () => {
    walk = await startBillingWalk(stack);
    const { id, startedAt, handle } = await walk.open('CALLCENTER-RENTAL');

    await walk.env.sleep(9 * DAY);
    await walk.payOpenInvoice();
    await walk.env.sleep(HOUR);
    const state = await handle.query<{ status: string }>(SUBSCRIPTION_QUERIES.state);
    await handle.terminate('walk over');

    expect(state.status).toBe('ACTIVE');
    expect((await walk.timeline(id, startedAt)).slice(2)).toEqual([
      [168, 'PAYMENT_OVERDUE', 'PAST_DUE'],
      [168, 'SUSPENDED', 'SUSPENDED'],
      [216, 'PAYMENT_RECOVERED', 'ACTIVE'],
    ]);
    expect(walk.accountsCalls(startedAt)).toEqual([
      [168, 'suspendOrganization', 'NON_PAYMENT'],
      [216, 'reinstateOrganization', 'NON_PAYMENT'],
    ]);
    expect((await walk.emails()).at(-1)).toBe('SUBSCRIPTION_RESTORED');
  });
});

describe('cancellation and changes (BIL-7)', () => {
  it('[004 §13] a yearly plan canceled 20 days before its end, inside the 30-day notice, ends a year later', async () => {
    walk = await startBillingWalk(stack);
    const { id, startedAt, handle } = await walk.open('ENTERPRISE-CALLCENTER', { token: 'sandbox_ok' });
    const firstEnd = addDuration(startedAt, 'P1Y');
    const secondEnd = addDuration(firstEnd, 'P1Y');

    await walk.env.sleep(firstEnd - 20 * DAY - startedAt);
    const canceled = await walk.cancel(id);
    expect(canceled.cancelEffectiveAt?.getTime()).toBe(secondEnd);
    await walk.env.sleep(HOUR);
    expect(await handle.query<LifecycleEvent[]>(SUBSCRIPTION_QUERIES.upcoming)).toEqual([
      { at: new Date(firstEnd).toISOString(), type: 'RENEWAL', detail: 'ENTERPRISE-CALLCENTER' },
      { at: new Date(secondEnd).toISOString(), type: 'CANCELLATION', detail: 'at the end of the next period' },
    ]);
    expect(await handle.result()).toEqual({ status: 'CANCELED', periodIndex: 1, reason: 'CANCELED_BY_CUSTOMER' });

    const timeline = await walk.timeline(id, startedAt);
    expect(timeline.map(([, type, status]) => [type, status])).toEqual([
      ['CREATED', 'INCOMPLETE'],
      ['INVOICE_ISSUED', null],
      ['INVOICE_PAID', 'ACTIVE'],
      ['CANCELLATION_REQUESTED', null],
      ['PERIOD_STARTED', null],
      ['INVOICE_ISSUED', null],
      ['INVOICE_PAID', 'ACTIVE'],
      ['CANCELED', 'CANCELED'],
      // [004 §11.3] the contract ended: data erased after the policy's 30 days (issue 12)
      ['DATA_ERASURE_SCHEDULED', null],
    ]);
    expect(timeline.at(-2)![0]).toBe(Math.round((secondEnd - startedAt) / HOUR));
    expect((await walk.invoices()).map((i) => i.status)).toEqual(['PAID', 'PAID']);
  });

  it('[000 §6.7] CON-4: after a terms objection, a cancellation inside the notice is brought forward to the end of the current year', async () => {
    walk = await startBillingWalk(stack);
    const { id, startedAt, handle } = await walk.open('ENTERPRISE-CALLCENTER', { token: 'sandbox_ok' });
    const firstEnd = addDuration(startedAt, 'P1Y');

    await walk.env.sleep(firstEnd - 20 * DAY - startedAt);
    // Without the right, the 30-day notice pushes the end a year later.
    expect((await walk.cancel(id)).cancelEffectiveAt?.getTime()).toBe(addDuration(firstEnd, 'P1Y'));
    // The owner objects to a terms change: the rollout grants the organisation the right until the version binds.
    const objectedAt = await walk.now();
    await termsObjectionBillingActivities(walk.models).grantNoticeFreeCancellation({
      organizationIds: [walk.organizationId],
      documentVersionId: 'terms-v2',
      until: new Date(objectedAt.getTime() + 90 * DAY).toISOString(),
    });
    const waived = await walk.cancel(id);
    expect(waived.cancelEffectiveAt?.getTime()).toBe(firstEnd);
    expect(waived.history.at(-1)?.detail).toBe(`effective ${new Date(firstEnd).toISOString()} (notice waived: terms objection)`);
    await walk.env.sleep(HOUR);
    expect(await handle.query<LifecycleEvent[]>(SUBSCRIPTION_QUERIES.upcoming)).toEqual([
      { at: new Date(firstEnd).toISOString(), type: 'CANCELLATION', detail: 'at period end' },
    ]);
    expect(await handle.result()).toEqual({ status: 'CANCELED', periodIndex: 0, reason: 'CANCELED_BY_CUSTOMER' });
    // One paid year, nothing invoiced after.
    expect((await walk.invoices()).map((i) => i.status)).toEqual(['PAID']);
  });

  it('[004 §13] canceled 40 days before its end, the notice is met and it ends with the current year', async () => {
    walk = await startBillingWalk(stack);
    const { id, startedAt, handle } = await walk.open('ENTERPRISE-CALLCENTER', { token: 'sandbox_ok' });
    const firstEnd = addDuration(startedAt, 'P1Y');

    await walk.env.sleep(firstEnd - 40 * DAY - startedAt);
    expect((await walk.cancel(id)).cancelEffectiveAt?.getTime()).toBe(firstEnd);
    expect(await handle.result()).toEqual({ status: 'CANCELED', periodIndex: 0, reason: 'CANCELED_BY_CUSTOMER' });
    expect((await walk.invoices()).length).toBe(1);
    expect((await walk.timeline(id, startedAt)).slice(-2)).toEqual([
      [Math.round((firstEnd - startedAt) / HOUR), 'CANCELED', 'CANCELED'],
      [Math.round((firstEnd - startedAt) / HOUR), 'DATA_ERASURE_SCHEDULED', null],
    ]);
  });

  it('[003 §6.4.6] a plan change takes effect at the end of the period, and a trial needs the customer to subscribe', async () => {
    walk = await startBillingWalk(stack);
    const { id, startedAt, handle } = await walk.open('CRM-MONTHLY');
    await walk.env.sleep(DAY);
    await walk.changePlan(id, 'CALL-CENTER-MONTHLY'); // choosing a package during the trial subscribes [003 §7.2.2]
    await walk.env.sleep(14 * DAY);
    await walk.payOpenInvoice();
    await walk.env.sleep(5 * DAY);
    await walk.changePlan(id, 'PRO-HUB-MONTHLY');
    await walk.env.sleep(HOUR);
    const periodEnd = (await walk.subscription(id)).currentPeriodEnd!;
    expect(await handle.query<LifecycleEvent[]>(SUBSCRIPTION_QUERIES.upcoming)).toEqual([
      { at: periodEnd.toISOString(), type: 'PLAN_CHANGE', detail: 'PRO-HUB-MONTHLY' },
    ]);
    await walk.env.sleep(periodEnd.getTime() - (await walk.env.currentTimeMs()) + HOUR);
    await handle.terminate('walk over');

    const invoices = await walk.invoices();
    const plans = await Promise.all(['CALL-CENTER-MONTHLY', 'PRO-HUB-MONTHLY'].map(async (code) => (await walk!.plan(code)).plan.prices[0]!));
    expect(invoices.map((i) => [i.lines[0]!.code, i.lines[0]!.amount])).toEqual([
      ['CALL-CENTER-MONTHLY', plans[0]],
      ['PRO-HUB-MONTHLY', plans[1]],
    ]);
    expect((await walk.subscription(id)).planCode).toBe('PRO-HUB-MONTHLY');
    expect(new Date(periodEnd).getTime() - startedAt).toBe(addDuration(startedAt + 14 * DAY, 'P1M') - startedAt);
  });

  it('[003 §7.2.2] a trial nobody subscribed to ends the membership', async () => {
    walk = await startBillingWalk(stack);
    const { id, startedAt, handle } = await walk.open('PRO-HUB-MONTHLY');
    expect(await handle.result()).toEqual({ status: 'CANCELED', periodIndex: 0, reason: 'TRIAL_ENDED_NOT_SUBSCRIBED' });
    expect(await walk.timeline(id, startedAt)).toEqual([
      [0, 'CREATED', 'TRIALING'],
      [0, 'TRIAL_STARTED', 'TRIALING'],
      [336, 'TRIAL_ENDED', 'CANCELED'],
      // the membership ends; its data goes after the policy's 30 days (issue 12)
      [336, 'DATA_ERASURE_SCHEDULED', null],
    ]);
    expect(await walk.invoices()).toEqual([]);
    expect(await walk.emails()).toEqual(['TRIAL_STARTED', 'TRIAL_ENDED']);
  });

  it('[003 §6.4.7] a price change applies only from the next period', async () => {
    walk = await startBillingWalk(stack);
    const { startedAt, handle } = await walk.open('ECOMMERCE-SELF-SERVICE', { token: 'sandbox_ok' });
    await walk.env.sleep(20 * DAY);
    const { plan } = await walk.plan('ECOMMERCE-SELF-SERVICE');
    const { _id, createdAt, updatedAt, ...fields } = plan as typeof plan & { createdAt?: Date; updatedAt?: Date };
    const newPrice = { amountMinor: plan.prices[0]!.amountMinor + 1_000, currency: plan.prices[0]!.currency };
    await walk.models.Plan.create({ ...fields, version: plan.version + 1, prices: [newPrice] });
    await walk.env.sleep(44 * DAY + HOUR - (await walk.env.currentTimeMs() - startedAt));
    await handle.terminate('walk over');

    const invoices = await walk.invoices();
    expect(invoices.map((i) => i.lines.find((l) => l.kind === 'PLAN')!.amount)).toEqual([plan.prices[0], newPrice]);
    expect(invoices.map((i) => Math.round((i.issuedAt.getTime() - startedAt) / DAY))).toEqual([14, 44]);
  });
});

describe('usage, commissions and chargebacks', () => {
  it('BIL-9/BIL-11: usage above the quota is billed on the next invoice, and the referring partner earns 10 % of each paid subtotal', async () => {
    walk = await startBillingWalk(stack, { referredByPartnerId: 'PARTNER-1' });
    const { id, startedAt, handle } = await walk.open('ECOMMERCE-SELF-SERVICE', { token: 'sandbox_ok' });
    await walk.env.sleep(20 * DAY);
    const { plan } = await walk.plan('ECOMMERCE-SELF-SERVICE');
    const usage = { organizationId: walk.organizationId, subscriptionId: id, meterCode: 'ORDERS', quantity: 700, eventId: 'orders-march', occurredAt: await walk.now() };
    expect((await recordUsage(walk.models, usage, plan)).ok).toBe(true);
    expect((await recordUsage(walk.models, usage, plan)).ok).toBe(true); // the same event again counts once
    await walk.env.sleep(44 * DAY + HOUR - (await walk.env.currentTimeMs() - startedAt));
    await handle.terminate('walk over');

    const [first, second] = await walk.invoices();
    // 700 orders, 500 included, 200 × $0.05 = $10.00 [000 §4.3]
    expect(second!.lines.map((l) => [l.kind, l.code, l.quantity, l.amount.amountMinor])).toEqual([
      ['PLAN', 'ECOMMERCE-SELF-SERVICE', 1, plan.prices[0]!.amountMinor],
      ['USAGE', 'ORDERS', 200, 1_000],
    ]);
    const commissions = await walk.models.PartnerCommission.find({ partnerId: 'PARTNER-1' }).sort({ _id: 1 }).lean();
    expect(commissions.map((c) => [c.invoiceNumber, c.amount.amountMinor])).toEqual([
      [first!.number, Math.round(first!.subtotal.amountMinor / 10)],
      [second!.number, Math.round(second!.subtotal.amountMinor / 10)],
    ]);
  });

  it('BIL-10: a chargeback suspends at once; its resolution lifts only that suspension', async () => {
    walk = await startBillingWalk(stack);
    const { id, startedAt, handle } = await walk.open('ECOMMERCE-SELF-SERVICE', { token: 'sandbox_ok' });
    await walk.env.sleep(15 * DAY);
    const [invoice] = await walk.invoices();
    await walk.chargeback(invoice!);
    await walk.env.sleep(DAY);
    const suspended = (await walk.subscription(id)).status;
    await walk.chargeback(invoice!, true);
    await walk.env.sleep(DAY);
    await handle.terminate('walk over');

    expect(suspended).toBe('SUSPENDED');
    expect((await walk.timeline(id, startedAt)).slice(6)).toEqual([
      [360, 'CHARGEBACK', 'SUSPENDED'],
      [384, 'CHARGEBACK_RESOLVED', 'ACTIVE'],
    ]);
    expect(walk.accountsCalls(startedAt)).toEqual([
      [360, 'suspendOrganization', 'CHARGEBACK'],
      [384, 'reinstateOrganization', 'CHARGEBACK'],
    ]);
  });
});
