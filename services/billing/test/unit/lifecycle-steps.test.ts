import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDuration } from '@omurga/shared/durations';
import type { OrganizationBillingProfile, WebhookEvent } from '@omurga/shared/contracts';
import { decide, startSubscription, type ChargeOutcome, type Decision, type LifecycleCommand, type LifecycleEvent, type PolicyTerms, type SubscriptionStatus } from '../../src/lifecycle/index.ts';
import { carryOutLifecycleSteps, type HistoryEntry, type LifecycleStepPorts } from '../../src/lifecycle-steps.ts';
import { BILLING_STEP_COMMANDS, type ChargeOutcome as ProviderOutcome } from '../../src/workflows/contracts.ts';
import { webhookEventsFor } from '../../src/workflows/webhook-events.ts';
import { T0, policy } from './lifecycle/simulator.ts';

/**
 * Issue 16: carryOutLifecycleSteps runs the workflow's interpreter loop inside
 * one billing activity. Over generated lives of a subscription it must do
 * exactly what the one-activity-per-command interpreter did: the same calls
 * to billing in the same order, the same history, the same webhook events and
 * the same decisions; a failed attempt writes no history and its retry
 * repeats nothing that is not idempotent.
 */

const POLICIES: PolicyTerms[] = [
  policy({ code: 'card-trial', trialPeriod: 'PT14S', trialRequiresPaymentMethod: true, terminateAfter: 'PT14S', terminationNotice: 'PT7S', resourceHoldPeriod: 'PT0S' }),
  policy({ code: 'card-suspend', suspendAfter: 'PT3S', terminateAfter: 'PT9S', dataDeletionAfterCancellation: 'PT0S' }),
  policy({ code: 'transfer', collectionMethod: 'BANK_TRANSFER', paymentDueAfter: 'PT7S', maxCollectionAttempts: 1, suspendAfter: 'PT0S', terminateAfter: 'PT7S', terminationNotice: 'PT7S' }),
  policy({ code: 'advance', collectionMethod: 'ADVANCE', advanceRequiresPaymentMethod: true, advancePeriodStartsOnPayment: true, paymentDueAfter: 'PT7S', maxCollectionAttempts: 1, suspendAfter: 'PT0S', terminateAfter: 'PT7S' }),
];

const PROFILE: OrganizationBillingProfile = {
  organizationId: 'org-1',
  name: 'Deneme A.Ş.',
  customerCode: 'C-1',
  referredByPartnerId: 'partner-1',
  contacts: [{ email: 'billing@deneme.example', locale: 'tr' }],
};

type Call = [string, unknown];

/** billing as the fakes see it: idempotent by the same keys as the real activities, every call logged. */
function fakeBilling(terms: PolicyTerms, outcomes: ChargeOutcome['status'][], now: () => number, failAt: number | null = null) {
  const calls: Call[] = [];
  const history: Omit<HistoryEntry, 'key'>[] = [];
  const historyKeys = new Set<string>();
  const charges = new Map<string, ProviderOutcome>();
  let outcomeIndex = 0;
  let count = 0;
  const log = (name: string, input: unknown) => {
    count += 1;
    if (count === failAt) throw new Error(`billing went away at call ${count}`);
    calls.push([name, input]);
  };
  const ports: LifecycleStepPorts = {
    async beginPeriod(input) {
      log('beginPeriod', input);
      const length = input.kind === 'TRIAL' ? terms.trialPeriod! : terms.billingPeriod;
      return {
        subscriptionId: input.subscriptionId,
        organizationId: 'org-1',
        currency: 'TRY',
        price: { amountMinor: 12_000, currency: 'TRY' },
        periodIndex: input.periodIndex,
        kind: input.kind,
        periodStart: input.periodStart,
        periodEnd: new Date(addDuration(Date.parse(input.periodStart), length)).toISOString(),
        planCode: input.planCode,
        planVersion: 1,
        policy: terms,
        hasPaymentMethod: true,
        confirmed: false,
      };
    },
    async movePeriod(input) {
      log('movePeriod', input);
    },
    async issueInvoice(input) {
      log('issueInvoice', input);
      const dueAt = terms.paymentDueAfter ? addDuration(now(), terms.paymentDueAfter) : now();
      return { invoiceId: `inv-${input.periodIndex}`, number: `TST${input.periodIndex}`, total: { amountMinor: 12_000, currency: 'TRY' }, issuedAt: input.issuedAt, dueAt: new Date(dueAt).toISOString(), settled: false, paid: false };
    },
    async chargeInvoice(input) {
      log('chargeInvoice', input);
      const key = `${input.invoiceId}/${input.attempt}`;
      if (!charges.has(key)) {
        const status = outcomes[outcomeIndex++ % outcomes.length]!;
        charges.set(key, status === 'DECLINED' ? { status, declineCode: 'card_declined' } : status === 'PAID' ? { status, paymentId: `pay-${key}` } : ({ status } as ProviderOutcome));
      }
      return charges.get(key)!;
    },
    async writeOffInvoice(input) {
      log('writeOffInvoice', input);
    },
    async accruePartnerCommission(input) {
      log('accruePartnerCommission', input);
      return { accrued: true };
    },
    async sendEmail(input) {
      log('sendEmail', { kind: input.kind, key: input.key });
    },
    async recordHistory(_subscriptionId, entries) {
      log('recordHistory', entries.length);
      if (entries.some((entry) => historyKeys.has(entry.key))) return;
      for (const { key, ...entry } of entries) {
        historyKeys.add(key);
        history.push(entry);
      }
    },
  };
  return { ports, calls, history, charges };
}

/** The workflow's work for commands that are not billing's: logged, no answer. */
const workflowCommand = (calls: Call[], command: LifecycleCommand) => calls.push([`workflow:${command.type}`, command]);

interface Life {
  state: Decision['state'];
  /** billing's calls in the order they were made (history writes apart: one per step against one per entry), then the workflow's */
  calls: Call[];
  history: Omit<HistoryEntry, 'key'>[];
  webhooks: WebhookEvent[];
}

/**
 * Drives one subscription from its start for `wakes` wake-ups. `inBilling`:
 * through carryOutLifecycleSteps; otherwise one command at a time, as the
 * workflow did before issue 16.
 */
async function live(terms: PolicyTerms, outcomes: ChargeOutcome['status'][], wakes: number, inBilling: boolean): Promise<Life> {
  let clock = T0;
  const now = () => clock;
  const billing = fakeBilling(terms, outcomes, now);
  const workflowCalls: Call[] = [];
  const webhooks: WebhookEvent[] = [];
  let decision = startSubscription({ subscriptionId: 'sub-1', organizationId: 'org-1', planCode: 'PLAN-A', policy: terms, hasPaymentMethod: true }, clock);
  let results: LifecycleEvent[] = [];
  let recordedStatus: SubscriptionStatus | null = null;
  let records = 0;

  /** The reference: what the workflow's own carryOut did, one activity per command. */
  async function oneByOne(command: LifecycleCommand): Promise<LifecycleEvent[]> {
    const { ports } = billing;
    switch (command.type) {
      case 'BEGIN_PERIOD': {
        const { type: _, ...period } = command;
        return [{ type: 'PERIOD_BEGUN', pinned: await ports.beginPeriod({ subscriptionId: 'sub-1', ...period }) }];
      }
      case 'MOVE_PERIOD': {
        const { type: _, ...period } = command;
        await ports.movePeriod({ subscriptionId: 'sub-1', ...period });
        return [];
      }
      case 'ISSUE_INVOICE': {
        const { paid: _, ...invoice } = await ports.issueInvoice({ subscriptionId: 'sub-1', periodIndex: command.periodIndex, issuedAt: command.issuedAt, customer: { name: PROFILE.name, customerCode: PROFILE.customerCode, buyer: null } });
        return [{ type: 'INVOICE_ISSUED', ...invoice, periodIndex: command.periodIndex }];
      }
      case 'CHARGE_INVOICE':
        return [{ type: 'CHARGE_RESULT', invoiceId: command.invoiceId, attempt: command.attempt, outcome: await ports.chargeInvoice({ invoiceId: command.invoiceId, attempt: command.attempt }) }];
      case 'SEND_EMAIL':
        await ports.sendEmail({ kind: command.kind, key: command.key, organizationId: 'org-1', subscriptionId: 'sub-1', to: PROFILE.contacts, params: command.params });
        return [];
      case 'RECORD': {
        records += 1;
        const at = new Date(clock);
        await ports.recordHistory('sub-1', [{ at, type: command.event, detail: command.detail, status: command.status, key: `run-${records}:${command.event}` }]);
        webhooks.push(...webhookEventsFor({ event: command.event, detail: command.detail, status: command.status, previousStatus: recordedStatus, sequenceKey: `run-${records}` }, decision.state, at.toISOString()));
        if (command.status) recordedStatus = command.status;
        return [];
      }
      case 'WRITE_OFF_INVOICE':
        await ports.writeOffInvoice({ invoiceId: command.invoiceId, at: new Date(clock).toISOString(), reason: command.reason });
        return [];
      case 'ACCRUE_COMMISSION':
        await ports.accruePartnerCommission({ invoiceId: command.invoiceId, partnerId: PROFILE.referredByPartnerId! });
        return [];
      default:
        if (command.type !== 'FINISH') workflowCommand(workflowCalls, command);
        return [];
    }
  }

  for (let wake = 0; wake <= wakes; ) {
    if (inBilling) {
      while (decision.commands.length) {
        const [first, ...rest] = decision.commands;
        if (!BILLING_STEP_COMMANDS.has(first!.type)) {
          workflowCommand(workflowCalls, first!);
          decision = { ...decision, commands: rest };
          continue;
        }
        const ran = await carryOutLifecycleSteps(billing.ports, { decision, results: results.splice(0), profile: PROFILE, recordedStatus, sequence: { prefix: 'run', next: records + 1 } }, now);
        decision = ran.decision;
        results.push(...ran.results);
        recordedStatus = ran.recordedStatus;
        records = ran.sequenceNext - 1;
        webhooks.push(...ran.webhookEvents);
      }
    } else {
      for (const command of decision.commands) results.push(...(await oneByOne(command)));
    }
    if (decision.state.outcome) break;
    if (!results.length) {
      if (decision.wakeAt === null) break;
      clock = Math.max(clock, decision.wakeAt);
      wake += 1;
    }
    decision = decide(decision.state, results.shift() ?? { type: 'TIME_REACHED' }, clock);
  }
  return { state: decision.state, calls: [...billing.calls.filter(([name]) => name !== 'recordHistory'), ...workflowCalls], history: billing.history, webhooks };
}

const outcomes = fc.array(fc.constantFrom<ChargeOutcome['status']>('PAID', 'DECLINED', 'PROVIDER_UNAVAILABLE', 'NO_PAYMENT_METHOD'), { minLength: 1, maxLength: 6 });

describe('carryOutLifecycleSteps (issue 16)', () => {
  it('over generated lives, does what one activity per command did: same calls, history, webhooks and final state', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...POLICIES), outcomes, fc.integer({ min: 1, max: 12 }), async (terms, charges, wakes) => {
        const oneByOne = await live(terms, charges, wakes, false);
        const inBilling = await live(terms, charges, wakes, true);
        expect(inBilling.calls).toEqual(oneByOne.calls);
        expect(inBilling.state).toEqual(oneByOne.state);
        expect(inBilling.history).toEqual(oneByOne.history);
        expect(inBilling.webhooks).toEqual(oneByOne.webhooks);
        expect(oneByOne.history.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });

  it('a trial ending is one step: the period begun, the invoice issued and charged, e-mailed, and the history written once', async () => {
    const terms = POLICIES[0]!;
    const billing = fakeBilling(terms, ['PAID'], () => T0 + 20_000);
    let decision = startSubscription({ subscriptionId: 'sub-1', organizationId: 'org-1', planCode: 'PLAN-A', policy: terms, hasPaymentMethod: true }, T0);
    decision = decide(decision.state, { type: 'PERIOD_BEGUN', pinned: await billing.ports.beginPeriod({ subscriptionId: 'sub-1', periodIndex: 0, periodStart: new Date(T0).toISOString(), kind: 'TRIAL', planCode: 'PLAN-A' }) }, T0);
    billing.calls.length = 0;
    const trialEnd = decide(decision.state, { type: 'TIME_REACHED' }, T0 + 20_000);
    const ran = await carryOutLifecycleSteps(billing.ports, { decision: trialEnd, results: [], profile: PROFILE, recordedStatus: 'TRIALING', sequence: { prefix: 'run', next: 1 } }, () => T0 + 20_000);
    expect(billing.calls.map(([name]) => name)).toEqual(['beginPeriod', 'issueInvoice', 'sendEmail', 'chargeInvoice', 'sendEmail', 'accruePartnerCommission', 'recordHistory']);
    expect(billing.history.map((entry) => entry.type)).toEqual(['TRIAL_CONVERTED', 'PERIOD_STARTED', 'INVOICE_ISSUED', 'INVOICE_PAID']);
    expect(ran.decision.commands).toEqual([]);
    expect(ran.results).toEqual([]);
    expect(ran.decision.state.invoice).toMatchObject({ id: 'inv-1', paid: true });
    expect(ran.webhookEvents.map((event) => event.type)).toEqual(expect.arrayContaining(['invoice.issued', 'invoice.paid']));
    expect(ran.sequenceNext).toBe(5);
  });

  it('stops before a command that is not billing\'s and leaves it, and what follows, to the workflow', async () => {
    const terms = POLICIES[1]!;
    const billing = fakeBilling(terms, ['DECLINED'], () => T0);
    const state = startSubscription({ subscriptionId: 'sub-1', organizationId: 'org-1', planCode: 'PLAN-A', policy: terms, hasPaymentMethod: true }, T0).state;
    const decision: Decision = {
      state,
      wakeAt: null,
      commands: [
        { type: 'RECORD', event: 'SUSPENDED', detail: 'NON_PAYMENT', status: 'SUSPENDED' },
        { type: 'SUSPEND_ORGANIZATION', reason: 'NON_PAYMENT', note: null },
        { type: 'SEND_EMAIL', kind: 'SUBSCRIPTION_SUSPENDED', key: 'k', invoiceId: null, params: {} },
      ],
    };
    const earlier: LifecycleEvent = { type: 'TIME_REACHED' };
    const ran = await carryOutLifecycleSteps(billing.ports, { decision, results: [earlier], profile: PROFILE, recordedStatus: 'ACTIVE', sequence: { prefix: 'run', next: 3 } }, () => T0);
    expect(ran.decision.commands.map((command) => command.type)).toEqual(['SUSPEND_ORGANIZATION', 'SEND_EMAIL']);
    expect(ran.results).toEqual([earlier]);
    expect(billing.history).toEqual([{ at: new Date(T0), type: 'SUSPENDED', detail: 'NON_PAYMENT', status: 'SUSPENDED' }]);
    expect([ran.recordedStatus, ran.sequenceNext]).toEqual(['SUSPENDED', 4]);
  });

  it('an attempt that fails part-way writes no history; its retry charges nothing twice and writes the history once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 6 }), async (failAt) => {
        const terms = POLICIES[0]!;
        const at = () => T0 + 20_000;
        const failing = fakeBilling(terms, ['PAID'], at, failAt);
        let decision = startSubscription({ subscriptionId: 'sub-1', organizationId: 'org-1', planCode: 'PLAN-A', policy: terms, hasPaymentMethod: true }, T0);
        decision = decide(decision.state, { type: 'PERIOD_BEGUN', pinned: await fakeBilling(terms, ['PAID'], at).ports.beginPeriod({ subscriptionId: 'sub-1', periodIndex: 0, periodStart: new Date(T0).toISOString(), kind: 'TRIAL', planCode: 'PLAN-A' }) }, T0);
        const input = { decision: decide(decision.state, { type: 'TIME_REACHED' }, at()), results: [], profile: PROFILE, recordedStatus: 'TRIALING' as const, sequence: { prefix: 'run', next: 1 } };
        await expect(carryOutLifecycleSteps(failing.ports, input, at)).rejects.toThrow('billing went away');
        expect(failing.history).toEqual([]);
        const retried = await carryOutLifecycleSteps(failing.ports, input, at);
        const clean = fakeBilling(terms, ['PAID'], at);
        const once = await carryOutLifecycleSteps(clean.ports, input, at);
        expect(retried).toEqual(once);
        expect(failing.history).toEqual(clean.history);
        expect([...failing.charges.values()]).toEqual([{ status: 'PAID', paymentId: 'pay-inv-1/1' }]);
      }),
    );
  });
});
