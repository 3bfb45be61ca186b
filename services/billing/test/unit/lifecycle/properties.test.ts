import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { subscriptionStatus, upcoming, waitingWithoutDeadline, type ChargeOutcome, type PolicyTerms } from '../../../src/lifecycle/index.ts';
import { policy, Simulation } from './simulator.ts';

/**
 * Property-based tests of the lifecycle core: thousands of generated lives of
 * a subscription under seconds-long policies, with payments at random offsets
 * around the due time (before, exactly at, milliseconds after), declines,
 * provider timeouts, cancellations, plan changes, chargebacks, operator
 * terminations and reinstatements, restarts, and results that arrive after
 * other events. After every decision the invariants of the issue must hold.
 */

const RUNS = 10_000;

/** Seconds-long copies of the seed presets' shapes, plus the new terms. */
const POLICIES: PolicyTerms[] = [
  // [000] card, trial with a card first, 3 attempts, suspend at the last, terminate 14 s after the first failure
  policy({ code: 'card-trial', trialPeriod: 'PT14S', trialRequiresPaymentMethod: true, terminateAfter: 'PT14S', terminationNotice: 'PT7S', resourceHoldPeriod: 'PT0S', dataDeletionAfterCancellation: 'PT0S' }),
  // [001] transfer, suspend at due, never terminate, late fee after a grace
  policy({ code: 'transfer-keep', collectionMethod: 'BANK_TRANSFER', paymentDueAfter: 'PT7S', maxCollectionAttempts: 1, suspendAfter: 'PT0S', lateFeeGrace: 'PT1S', lateFees: [{ amountMinor: 500, currency: 'USD' }] }),
  // [002] transfer, suspend at due, terminate 7 s later
  policy({ code: 'transfer', collectionMethod: 'BANK_TRANSFER', paymentDueAfter: 'PT7S', maxCollectionAttempts: 1, suspendAfter: 'PT0S', terminateAfter: 'PT7S', terminationNotice: 'PT7S' }),
  // [003] trial that ends unless confirmed, on another plan
  policy({
    code: 'confirm-trial',
    trialPeriod: 'PT14S',
    trialEndAction: 'CANCEL_UNLESS_CONFIRMED',
    trialPlanCode: 'PRO-HUB',
    collectionMethod: 'BANK_TRANSFER',
    paymentDueAfter: 'PT7S',
    maxCollectionAttempts: 1,
    suspendAfter: 'PT0S',
    terminateAfter: 'PT30S',
    cancellationNotice: 'PT10S',
    dataDeletionAfterCancellation: 'PT30S',
  }),
  // [004] in advance, card required, the period starts on payment, hold from suspension
  policy({
    code: 'advance',
    collectionMethod: 'ADVANCE',
    advanceRequiresPaymentMethod: true,
    advancePeriodStartsOnPayment: true,
    paymentDueAfter: 'PT7S',
    maxCollectionAttempts: 1,
    suspendAfter: 'PT0S',
    terminateAfter: 'PT7S',
    terminationNotice: 'PT7S',
    resourceHoldPeriod: 'PT30S',
    resourceHoldStartsAt: 'SUSPENSION',
    cancellationNotice: 'PT5S',
    lateInterestMonthlyBasisPoints: 50,
  }),
  // ADVANCE by transfer when no card is on file
  policy({ code: 'advance-transfer', collectionMethod: 'ADVANCE', paymentDueAfter: 'PT3S', maxCollectionAttempts: 1, suspendAfter: 'PT2S', terminateAfter: 'PT9S' }),
];

type Action =
  | { kind: 'wait'; ms: number }
  | { kind: 'pay'; offsetMs: number }
  | { kind: 'cancel'; waived: boolean }
  | { kind: 'planChange'; planCode: string }
  | { kind: 'confirm'; planCode: string | null }
  | { kind: 'paymentMethod' }
  | { kind: 'chargeback' }
  | { kind: 'chargebackResolved' }
  | { kind: 'organization'; change: 'TERMINATED' | 'SUSPENDED' | 'REINSTATED' }
  | { kind: 'restart' }
  | { kind: 'holdResults' }
  | { kind: 'void' };

const offsets = fc.oneof(
  fc.constantFrom(-400, 0, 1, 150, 400, 800, 1500),
  fc.integer({ min: -10_000, max: 10_000 }),
  fc.integer({ min: -5, max: 5 }),
);

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('wait' as const), ms: fc.oneof(fc.integer({ min: 1, max: 5_000 }), fc.integer({ min: 5_000, max: 60_000 })) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('pay' as const), offsetMs: offsets }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), waived: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('planChange' as const), planCode: fc.constantFrom('PLAN-A', 'PLAN-B') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('confirm' as const), planCode: fc.constantFrom(null, 'PLAN-A', 'PLAN-B') }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'paymentMethod' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'chargeback' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'chargebackResolved' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('organization' as const), change: fc.constantFrom('TERMINATED' as const, 'SUSPENDED' as const, 'REINSTATED' as const) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'restart' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'holdResults' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'void' as const }) },
);

const outcome = fc.constantFrom<ChargeOutcome['status']>('PAID', 'DECLINED', 'PROVIDER_UNAVAILABLE', 'NO_PAYMENT_METHOD');

function perform(sim: Simulation, a: Action): void {
  switch (a.kind) {
    case 'wait':
      return sim.runUntil(sim.now + a.ms);
    case 'pay': {
      const dueAt = sim.currentDueAt();
      if (dueAt === null) return;
      const paidAt = dueAt + a.offsetMs;
      sim.runUntil(paidAt);
      sim.recordPayment(paidAt);
      return;
    }
    case 'cancel':
      sim.feed({ type: 'CANCEL_REQUESTED', requestedAt: new Date(sim.now).toISOString(), noticeWaived: a.waived });
      return;
    case 'planChange':
      sim.feed({ type: 'PLAN_CHANGE_REQUESTED', planCode: a.planCode });
      return;
    case 'confirm':
      sim.feed({ type: 'TRIAL_CONFIRMED', planCode: a.planCode });
      return;
    case 'paymentMethod':
      sim.feed({ type: 'PAYMENT_METHOD_UPDATED' });
      return;
    case 'chargeback':
      sim.feed({ type: 'CHARGEBACK', invoiceId: sim.state.invoice?.id ?? 'none', reason: 'objection' });
      return;
    case 'chargebackResolved':
      sim.feed({ type: 'CHARGEBACK_RESOLVED' });
      return;
    case 'organization':
      if (a.change === 'TERMINATED') sim.organizationTerminated = true;
      sim.feed({ type: 'ORGANIZATION_CHANGED', change: a.change, reason: 'OPERATOR' });
      return;
    case 'restart':
      return sim.restart();
    case 'holdResults':
      // The next events arrive while the results of the commands just given are still on their way.
      sim.holdResults = !sim.holdResults;
      if (!sim.holdResults) sim.deliver();
      return;
    case 'void':
      sim.voidInvoice();
      return;
  }
}

/** expect() is too slow for millions of checks: a plain assertion with the run's story in its message. */
function ensure(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** The invariants of issue 12, checked over every decision of a run. */
function checkInvariants(sim: Simulation): void {
  for (const charge of sim.charges) ensure(charge.liveAtCommand, `charged ${charge.invoiceId}/${charge.attempt} while not live or for a terminated organisation`);
  for (const [invoiceId, count] of sim.successes) ensure(count <= 1, `${count} successful charges of ${invoiceId}`);
  let terminated = false;
  const paid = new Set<string>();
  for (const { event, now, decision } of sim.decisions) {
    const { state } = decision;
    const status = subscriptionStatus(state);
    if (state.outcome === null) ensure(state.recordedStatus === status, `read model shows ${state.recordedStatus}, core derives ${status}`);
    for (const item of upcoming(state, now)) ensure(item.at > now, `upcoming lists ${item.type} in the past`);
    ensure(decision.wakeAt === null || decision.wakeAt > now, 'wake-up in the past');
    for (const command of decision.commands) {
      if (terminated) ensure(!['CHARGE_INVOICE', 'ISSUE_INVOICE', 'BEGIN_PERIOD'].includes(command.type), `${command.type} after termination`);
      if (command.type === 'CHARGE_INVOICE') ensure(!paid.has(command.invoiceId), `charged paid invoice ${command.invoiceId}`);
      if (command.type === 'SUSPEND_ORGANIZATION' && command.reason === 'NON_PAYMENT') ensure(!paid.has(state.invoice!.id), 'suspended for non-payment after the payment');
      // issue 15: a voided invoice is settled without money: no commission, no payment e-mail
      if (command.type === 'ACCRUE_COMMISSION') ensure(!sim.voidedInvoices.has(command.invoiceId), `commission on voided ${command.invoiceId}`);
      if (command.type === 'SEND_EMAIL' && command.kind === 'PAYMENT_SUCCEEDED') ensure(!sim.voidedInvoices.has(command.invoiceId ?? ''), 'payment e-mail for a voided invoice');
    }
    if (state.outcome?.status === 'TERMINATED') terminated = true;
    // A paid invoice ends its dunning and restores the organisation (a terminated one stays terminated).
    if (state.invoice?.paid) {
      paid.add(state.invoice.id);
      if (state.outcome === null) {
        ensure(!state.suspendedForNonPayment, 'still suspended for non-payment after the payment');
        ensure(state.invoice.overdueSince === null && state.invoice.nextAttemptAt === null, 'dunning goes on after the payment');
      }
    }
    if (event?.type === 'ORGANIZATION_CHANGED' && event.change === 'TERMINATED') ensure(state.outcome !== null, 'live after the organisation was terminated');
    if (state.outcome === null && state.period.kind === 'PAID') ensure(status !== 'TRIALING', 'TRIALING after the trial');
  }
}

/** Every run ends in a terminal state or with a next wake-up in the future (or waits, by policy, only for the customer). */
function checkEnding(sim: Simulation): void {
  const { state } = sim;
  if (state.outcome !== null) return;
  if (sim.wakeAt !== null) return ensure(sim.wakeAt > sim.now, 'next wake-up is not in the future');
  ensure(waitingWithoutDeadline(state) !== null, `stuck without a wake-up: ${JSON.stringify({ ...state, period: { ...state.period, policy: state.period.policy.code } })}`);
}

describe('lifecycle core properties (issue 12)', () => {
  it(`holds its invariants over ${RUNS} generated lives`, () => {
    let terminal = 0;
    let actions = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...POLICIES),
        fc.boolean(),
        fc.array(outcome, { minLength: 1, maxLength: 6 }),
        fc.array(action, { minLength: 1, maxLength: 30 }),
        (terms, hasCard, outcomes, script) => {
          const sim = new Simulation(terms, { hasPaymentMethod: hasCard, outcomes });
          for (const a of script) {
            perform(sim, a);
            actions += 1;
          }
          sim.holdResults = false;
          sim.deliver();
          checkEnding(sim);
          sim.settle();
          checkEnding(sim);
          checkInvariants(sim);
          if (sim.state.outcome) terminal += 1;
        },
      ),
      { numRuns: RUNS },
    );
    // The generator reaches the ends it is meant to exercise.
    expect(terminal).toBeGreaterThan(RUNS / 10);
    expect(actions).toBeGreaterThan(RUNS * 5);
  }, 120_000);

  it('decides the same thing twice for the same state, event and time (pure, replay-safe)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...POLICIES), fc.array(action, { maxLength: 20 }), (terms, script) => {
        const sim = new Simulation(terms, { outcomes: ['DECLINED', 'PAID'] });
        for (const a of script) perform(sim, a);
        for (const { event, now, before, decision } of sim.decisions.slice(-5)) {
          if (!event || !before) continue;
          const again = new Simulation(terms);
          again.now = now;
          again.state = before;
          expect(again.feed(event)).toEqual(decision);
        }
      }),
      { numRuns: 500 },
    );
    // ~2 s alone; a bound, not a speed figure, for a machine busy with other runs
  }, 60_000);
});
