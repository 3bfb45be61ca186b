import { describe, expect, it } from 'vitest';
import { addDuration } from '@omurga/shared/durations';
import { cancellationEffectiveAt, subscriptionStatus, upcoming } from '../../../src/lifecycle/index.ts';
import { policy, SECOND, Simulation, T0 } from './simulator.ts';

/** Examples named after the bugs of issue 12 that the core shows, and the seed clauses it carries. */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const transfer = policy({ code: 'transfer', collectionMethod: 'BANK_TRANSFER', paymentDueAfter: 'PT7S', maxCollectionAttempts: 1, suspendAfter: 'PT0S', terminateAfter: 'PT7S', terminationNotice: 'PT7S' });
const card = policy({ code: 'card', terminateAfter: 'PT14S', terminationNotice: 'PT7S', resourceHoldPeriod: 'PT0S' });
const confirmTrial = policy({
  code: 'omnichannel',
  trialPeriod: 'PT14S',
  trialEndAction: 'CANCEL_UNLESS_CONFIRMED',
  trialPlanCode: 'PRO-HUB-MONTHLY',
  collectionMethod: 'BANK_TRANSFER',
  paymentDueAfter: 'PT7S',
  maxCollectionAttempts: 1,
  suspendAfter: 'PT0S',
  terminateAfter: 'PT30S',
});

describe('issue 12 bugs, shown on the core', () => {
  it.each([-400, 0, 150, 400, 800, 1500])('a bank-transfer payment recorded %i ms from the due time still renews', (offset) => {
    const sim = new Simulation(transfer);
    const dueAt = sim.currentDueAt()!;
    sim.runUntil(dueAt + offset);
    expect(sim.recordPayment(dueAt + offset)).toBe(true);
    expect(subscriptionStatus(sim.state)).toBe('ACTIVE');
    sim.runUntil(T0 + 30 * SECOND);
    expect(sim.state.period.index).toBe(1);
    expect(sim.state.outcome).toBeNull();
    expect(sim.commandsOf('ISSUE_INVOICE').map((c) => c.periodIndex)).toEqual([0, 1]);
    // Suspended at the due time (PT0S) when the money was not there yet, and restored at once.
    const suspends = sim.commandsOf('SUSPEND_ORGANIZATION').length;
    expect(suspends).toBe(offset >= 0 ? 1 : 0);
    expect(sim.commandsOf('REINSTATE_ORGANIZATION').length).toBe(suspends);
  });

  it('the bank-transfer reminders live in the core: two days before the due date and on it, none after payment', () => {
    const weekly = policy({ code: 'transfer-7d', billingPeriod: 'P1M', collectionMethod: 'BANK_TRANSFER', paymentDueAfter: 'P7D', maxCollectionAttempts: 1, suspendAfter: 'P7D', terminateAfter: 'P14D' });
    const sim = new Simulation(weekly);
    const dueAt = sim.currentDueAt()!;
    expect(sim.wakeAt).toBe(dueAt - 2 * DAY);
    sim.runUntil(dueAt);
    expect(sim.emails()).toEqual(['INVOICE_ISSUED', 'PAYMENT_REMINDER', 'PAYMENT_OVERDUE']);
    expect(sim.commandsOf('SEND_EMAIL').slice(1).map((c) => c.key)).toEqual(['inv-0/PAYMENT_REMINDER', 'inv-0/PAYMENT_OVERDUE']);
    sim.recordPayment(dueAt + HOUR);
    sim.runUntil(dueAt + 10 * DAY);
    expect(sim.emails().slice(3)).toEqual(['PAYMENT_SUCCEEDED']);
  });

  it('an operator termination stops billing: nothing is charged or invoiced after it, and the policy erases', () => {
    const sim = new Simulation(card);
    expect(sim.charges.map((c) => c.outcome.status)).toEqual(['PAID']);
    sim.runUntil(T0 + 10 * SECOND);
    sim.organizationTerminated = true;
    sim.feed({ type: 'ORGANIZATION_CHANGED', change: 'TERMINATED', reason: 'ABUSE' });
    sim.settle();
    sim.runUntil(T0 + 300 * SECOND);
    expect(sim.state.outcome).toEqual({ status: 'TERMINATED', periodIndex: 0, reason: 'ABUSE' });
    expect(sim.commandsOf('ISSUE_INVOICE')).toHaveLength(1);
    expect(sim.charges).toHaveLength(1);
    expect(sim.commandsOf('SCHEDULE_ERASURE')).toEqual([{ type: 'SCHEDULE_ERASURE', eraseAt: new Date(T0 + 10 * SECOND).toISOString(), reason: 'TERMINATED_BY_OPERATOR', unlessOtherLive: false }]);
    // accounts terminated the organisation itself; billing does not ask again.
    expect(sim.commandsOf('TERMINATE_ORGANIZATION')).toEqual([]);
    expect(upcoming(sim.state, sim.now)).toEqual([]);
  });

  it('an operator termination during a charge writes the invoice off only if the charge failed', () => {
    const sim = new Simulation(card, { outcomes: ['PAID', 'DECLINED'] });
    sim.holdResults = true;
    sim.runUntil(T0 + 30 * SECOND);
    sim.feed(sim.pending.shift()!); // the second period begins
    sim.feed(sim.pending.shift()!); // its invoice is issued; the charge is in flight
    expect(sim.state.awaiting).toBe('CHARGE');
    sim.feed({ type: 'ORGANIZATION_CHANGED', change: 'TERMINATED', reason: 'ABUSE' });
    expect(sim.commandsOf('WRITE_OFF_INVOICE')).toEqual([]);
    sim.holdResults = false;
    sim.deliver();
    expect(sim.commandsOf('WRITE_OFF_INVOICE')).toEqual([{ type: 'WRITE_OFF_INVOICE', invoiceId: 'inv-1', reason: 'ENDED_ABUSE' }]);
  });

  it('an operator suspension shows SUSPENDED at once and reinstating restores; renewals go on', () => {
    const sim = new Simulation(card);
    sim.feed({ type: 'ORGANIZATION_CHANGED', change: 'SUSPENDED', reason: 'MISSING_DOCUMENTS' });
    expect(subscriptionStatus(sim.state)).toBe('SUSPENDED');
    sim.runUntil(T0 + 5 * SECOND);
    sim.feed({ type: 'ORGANIZATION_CHANGED', change: 'REINSTATED', reason: 'MISSING_DOCUMENTS' });
    expect(subscriptionStatus(sim.state)).toBe('ACTIVE');
    sim.runUntil(T0 + 31 * SECOND);
    expect(sim.state.period.index).toBe(1);
    expect(sim.eventsRecorded()).toContain('ORGANIZATION_REINSTATED');
  });

  it('a 003 trial confirmed on its plan converts at the trial end, is ACTIVE and is invoiced', () => {
    const sim = new Simulation(confirmTrial);
    expect(sim.commandsOf('BEGIN_PERIOD')[0]).toMatchObject({ kind: 'TRIAL', planCode: 'PRO-HUB-MONTHLY' });
    sim.runUntil(T0 + 3 * SECOND);
    sim.feed({ type: 'TRIAL_CONFIRMED', planCode: null });
    expect(upcoming(sim.state, sim.now)).toEqual([{ at: T0 + 14 * SECOND, type: 'TRIAL_END', detail: 'converts to PLAN-A' }]);
    sim.runUntil(T0 + 14 * SECOND);
    expect(subscriptionStatus(sim.state)).toBe('ACTIVE');
    expect(sim.commandsOf('BEGIN_PERIOD')[1]).toMatchObject({ periodIndex: 1, kind: 'PAID', planCode: 'PLAN-A' });
    expect(sim.commandsOf('ISSUE_INVOICE')).toHaveLength(1);
  });

  it('a 003 trial confirmed on another plan is invoiced on that plan; unconfirmed it ends the membership', () => {
    const other = new Simulation(confirmTrial);
    other.feed({ type: 'TRIAL_CONFIRMED', planCode: 'PLAN-B' });
    other.runUntil(T0 + 14 * SECOND);
    expect(other.commandsOf('BEGIN_PERIOD')[1]).toMatchObject({ planCode: 'PLAN-B' });

    const ignored = new Simulation(confirmTrial);
    ignored.runUntil(T0 + 14 * SECOND);
    expect(ignored.state.outcome).toEqual({ status: 'CANCELED', periodIndex: 0, reason: 'TRIAL_ENDED_NOT_SUBSCRIBED' });
  });

  it('after the trial end the subscription is no longer TRIALING, before its first invoice is paid', () => {
    const sim = new Simulation(confirmTrial);
    sim.feed({ type: 'TRIAL_CONFIRMED', planCode: null });
    sim.runUntil(T0 + 14 * SECOND);
    expect(sim.state.invoice?.paid).toBe(false);
    expect(subscriptionStatus(sim.state)).toBe('ACTIVE');
    expect(sim.commandsOf('RECORD').find((c) => c.event === 'TRIAL_CONVERTED')?.status).toBe('ACTIVE');
  });

  it('right after start the core knows the status, the trial end, the period and what comes next', () => {
    const sim = new Simulation(confirmTrial);
    const start = sim.decisions[0]!.decision.state;
    expect(subscriptionStatus(start)).toBe('TRIALING');
    expect(start.period).toMatchObject({ kind: 'TRIAL', start: T0, end: T0 + 14 * SECOND });
    expect(upcoming(start, T0)).toEqual([{ at: T0 + 14 * SECOND, type: 'TRIAL_END', detail: 'ends unless subscribed' }]);
  });

  it('upcoming never lists a time already past, even while an overdue charge waits', () => {
    const sim = new Simulation(card, { outcomes: ['DECLINED'] });
    for (let t = 0; t < 20; t++) {
      sim.runUntil(T0 + t * SECOND + 500);
      for (const item of upcoming(sim.state, sim.now)) expect(item.at).toBeGreaterThan(sim.now);
    }
  });

  it('ADVANCE: the period starts when the invoice is paid, so a late payer loses no days [004 §6.3]', () => {
    const advance = policy({ code: 'advance', collectionMethod: 'ADVANCE', advancePeriodStartsOnPayment: true, paymentDueAfter: 'PT7S', maxCollectionAttempts: 1, suspendAfter: 'PT0S', terminateAfter: 'PT7S' });
    const sim = new Simulation(advance, { hasPaymentMethod: false });
    expect(subscriptionStatus(sim.state)).toBe('INCOMPLETE');
    sim.runUntil(T0 + 5 * SECOND);
    sim.recordPayment(T0 + 5 * SECOND);
    expect(sim.commandsOf('MOVE_PERIOD')).toEqual([{ type: 'MOVE_PERIOD', periodIndex: 0, periodStart: new Date(T0 + 5 * SECOND).toISOString(), periodEnd: new Date(T0 + 35 * SECOND).toISOString() }]);
    expect(subscriptionStatus(sim.state)).toBe('ACTIVE');
    sim.runUntil(T0 + 34 * SECOND);
    expect(sim.state.period.index).toBe(0);
    sim.runUntil(T0 + 35 * SECOND);
    expect(sim.state.period.index).toBe(1);
  });

  it('ADVANCE with a card required charges the card, and a trial without one ends unconverted', () => {
    const terms = { collectionMethod: 'ADVANCE', advanceRequiresPaymentMethod: true, paymentDueAfter: 'PT7S', maxCollectionAttempts: 1, suspendAfter: 'PT0S', terminateAfter: 'PT7S' } as const;
    const required = policy({ ...terms, code: 'advance-card' });
    const sim = new Simulation(required, { hasPaymentMethod: false, outcomes: ['NO_PAYMENT_METHOD'] });
    expect(sim.state.invoice?.channel).toBe('CARD');
    expect(sim.charges[0]!.outcome.status).toBe('NO_PAYMENT_METHOD');
    const withTrial = policy({ ...terms, code: 'advance-card-trial', trialPeriod: 'PT5S' });
    const trial = new Simulation(withTrial, { hasPaymentMethod: false });
    trial.runUntil(T0 + 5 * SECOND);
    expect(trial.state.outcome?.reason).toBe('TRIAL_ENDED_WITHOUT_PAYMENT_METHOD');
  });

  it('a chargeback suspends at once and keeps the next period from starting; its resolution restores [000 §6.5]', () => {
    const sim = new Simulation(card);
    sim.feed({ type: 'CHARGEBACK', invoiceId: 'inv-0', reason: 'objection' });
    expect(subscriptionStatus(sim.state)).toBe('SUSPENDED');
    sim.runUntil(T0 + 45 * SECOND);
    expect(sim.state.period.index).toBe(0);
    sim.feed({ type: 'CHARGEBACK_RESOLVED' });
    expect(sim.commandsOf('REINSTATE_ORGANIZATION')).toEqual([{ type: 'REINSTATE_ORGANIZATION', reason: 'CHARGEBACK' }]);
    expect(sim.state.period.index).toBe(1);
  });

  it('a restart repeats only the command in flight, with the same idempotency key', () => {
    const sim = new Simulation(card, { outcomes: ['DECLINED'] });
    sim.holdResults = true;
    sim.runUntil(T0 + 2 * SECOND);
    const before = sim.commandsOf('CHARGE_INVOICE').length;
    sim.restart();
    expect(sim.commandsOf('CHARGE_INVOICE').slice(before)).toEqual([{ type: 'CHARGE_INVOICE', invoiceId: 'inv-0', attempt: 2 }]);
  });
});

describe('seed clauses on the core', () => {
  it('[000 §4.7] three declined attempts 2 days apart, suspension at the third, termination 14 days after the first', () => {
    const ecommerce = policy({ code: 'ecommerce', trialPeriod: 'P14D', trialRequiresPaymentMethod: true, billingPeriod: 'P30D', retryInterval: 'P2D', terminateAfter: 'P14D', terminationNotice: 'P7D', resourceHoldPeriod: 'PT0S' });
    const sim = new Simulation(ecommerce, { outcomes: ['DECLINED'] });
    sim.runUntil(T0 + 15 * DAY);
    const hours = (ms: number) => Math.round((ms - T0) / HOUR);
    expect(upcoming(sim.state, sim.now).map((e) => [hours(e.at), e.type, e.detail])).toEqual([
      [384, 'PAYMENT_ATTEMPT', 'attempt 2 of 3'],
      [504, 'TERMINATION_NOTICE', null],
      [672, 'TERMINATION', 'NON_PAYMENT'],
      [672, 'DATA_ERASURE', null],
    ]);
    sim.settle();
    expect(sim.state.outcome).toEqual({ status: 'TERMINATED', periodIndex: 1, reason: 'NON_PAYMENT' });
    expect(sim.eventsRecorded()).toEqual([
      'TRIAL_STARTED',
      'TRIAL_CONVERTED',
      'PERIOD_STARTED',
      'INVOICE_ISSUED',
      'PAYMENT_FAILED',
      'PAYMENT_FAILED',
      'PAYMENT_FAILED',
      'SUSPENDED',
      'TERMINATED',
    ]);
    expect(sim.commandsOf('TERMINATE_ORGANIZATION')).toEqual([{ type: 'TERMINATE_ORGANIZATION', reason: 'NON_PAYMENT' }]);
  });

  it('[000 §7.5] the data goes after a cancellation too, unless another subscription lives', () => {
    const ecommerce = policy({ code: 'ecommerce', dataDeletionAfterCancellation: 'PT0S', resourceHoldAfterCancellation: 'PT0S' });
    const sim = new Simulation(ecommerce);
    sim.feed({ type: 'CANCEL_REQUESTED', requestedAt: new Date(sim.now).toISOString(), noticeWaived: false });
    sim.runUntil(T0 + 30 * SECOND);
    expect(sim.state.outcome?.status).toBe('CANCELED');
    expect(sim.commandsOf('SCHEDULE_ERASURE')).toEqual([{ type: 'SCHEDULE_ERASURE', eraseAt: new Date(T0 + 30 * SECOND).toISOString(), reason: 'CONTRACT_ENDED', unlessOtherLive: true }]);
    expect(sim.commandsOf('HOLD_RESOURCES')).toEqual([{ type: 'HOLD_RESOURCES', holdUntil: new Date(T0 + 30 * SECOND).toISOString() }]);
  });

  it('[004 §11.3] the resource hold counts from the suspension, not from the termination', () => {
    const enterprise = policy({ code: 'enterprise', collectionMethod: 'ADVANCE', paymentDueAfter: 'PT7S', maxCollectionAttempts: 1, suspendAfter: 'PT0S', terminateAfter: 'PT7S', resourceHoldPeriod: 'PT30S', resourceHoldStartsAt: 'SUSPENSION' });
    const sim = new Simulation(enterprise, { hasPaymentMethod: false });
    sim.settle();
    expect(sim.state.outcome?.status).toBe('TERMINATED');
    // suspended at the due time (7 s), terminated at 14 s: numbers are held 30 s from the suspension.
    expect(sim.commandsOf('HOLD_RESOURCES')).toEqual([{ type: 'HOLD_RESOURCES', holdUntil: new Date(T0 + 37 * SECOND).toISOString() }]);
  });

  it('BIL-7: the API preview of a cancellation and the core agree, notice or not', () => {
    const notice = policy({ code: 'notice', cancellationNotice: 'PT10S' });
    for (const requestedAfter of [0, 19_999, 20_000, 20_001, 29_999]) {
      const sim = new Simulation(notice);
      sim.runUntil(T0 + requestedAfter);
      const preview = cancellationEffectiveAt(sim.state.period, notice, sim.now, false);
      sim.feed({ type: 'CANCEL_REQUESTED', requestedAt: new Date(sim.now).toISOString(), noticeWaived: false });
      sim.runUntil(T0 + 120 * SECOND);
      expect(sim.state.outcome?.status).toBe('CANCELED');
      expect(sim.decisions.at(-1)!.now).toBe(preview.effectiveAt);
      expect(preview.effectiveAt).toBe(requestedAfter <= 20_000 ? T0 + 30 * SECOND : addDuration(T0 + 30 * SECOND, 'PT30S'));
    }
  });
});

describe('a voided invoice (issue 15)', () => {
  it('stops dunning at once: no more attempts, the suspension is lifted, no payment e-mail or commission; the next period is billed', () => {
    const sim = new Simulation(policy({ code: 'card-void', billingPeriod: 'PT60S', retryInterval: 'PT2S', maxCollectionAttempts: 5, suspendAfter: 'PT3S', terminateAfter: 'PT30S' }), {
      outcomes: ['DECLINED'],
    });
    sim.runUntil(T0 + 4 * SECOND);
    expect(subscriptionStatus(sim.state)).toBe('SUSPENDED');
    const attempts = sim.commandsOf('CHARGE_INVOICE').length;
    expect(sim.voidInvoice()).toBe(true);
    expect(subscriptionStatus(sim.state)).toBe('ACTIVE');
    expect(sim.commandsOf('REINSTATE_ORGANIZATION')).toEqual([{ type: 'REINSTATE_ORGANIZATION', reason: 'NON_PAYMENT' }]);
    expect(sim.eventsRecorded()).toContain('INVOICE_VOIDED');
    sim.runUntil(T0 + 59 * SECOND);
    expect(sim.commandsOf('CHARGE_INVOICE')).toHaveLength(attempts);
    expect(sim.commandsOf('ACCRUE_COMMISSION')).toEqual([]);
    expect(sim.emails()).not.toContain('PAYMENT_SUCCEEDED');
    sim.runUntil(T0 + 61 * SECOND);
    expect(sim.state.period.index).toBe(1);
    expect(sim.commandsOf('ISSUE_INVOICE').map((c) => c.periodIndex)).toEqual([0, 1]);
  });

  it('a signal that never arrived: the next charge finds the invoice void (VOIDED) and settles it the same way', () => {
    const sim = new Simulation(card, { outcomes: ['DECLINED'] });
    expect(sim.charges.map((c) => c.outcome.status)).toEqual(['DECLINED']);
    sim.voidedInvoices.add('inv-0'); // voided in the database only
    sim.runUntil(T0 + 19 * SECOND);
    expect(sim.charges.map((c) => c.outcome.status)).toEqual(['DECLINED', 'VOIDED']);
    expect(sim.state.invoice).toMatchObject({ id: 'inv-0', paid: true, voided: true, nextAttemptAt: null, overdueSince: null });
    expect(sim.eventsRecorded()).toContain('INVOICE_VOIDED');
    expect(subscriptionStatus(sim.state)).toBe('ACTIVE');
    expect(sim.commandsOf('TERMINATE_ORGANIZATION')).toEqual([]);
  });
});
