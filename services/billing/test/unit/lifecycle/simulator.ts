import { addDuration } from '@omurga/shared/durations';
import {
  decide,
  startSubscription,
  type ChargeOutcome,
  type ContractPolicyInput,
  type Decision,
  type LifecycleCommand,
  type LifecycleEvent,
  type LifecycleState,
  type PolicyTerms,
  parseContractPolicy,
} from '../../../src/lifecycle/index.ts';

/**
 * A stand-in for the workflow and billing's activities around the pure core:
 * it carries out each command as billing would (pins periods, issues invoices,
 * charges through a provider that dedups by idempotency key) and feeds the
 * results back as events. Results may be held back while other events arrive
 * first, as signals do while an activity runs.
 */

export const T0 = Date.UTC(2027, 0, 4, 9, 0, 0);

export function policy(overrides: Partial<ContractPolicyInput>, version = 1): PolicyTerms {
  const parsed = parseContractPolicy({
    code: 'test-policy',
    name: 'Test policy',
    trialPeriod: null,
    trialRequiresPaymentMethod: false,
    billingPeriod: 'PT30S',
    collectionMethod: 'CARD_AUTO',
    maxCollectionAttempts: 3,
    retryInterval: 'PT2S',
    dataDeletionAfterTermination: 'PT0S',
    cancellationNotice: 'PT0S',
    termsChangeNotice: 'PT0S',
    ...overrides,
  });
  return { ...parsed, id: `${parsed.code}-v${version}`, version };
}

export interface Charge {
  invoiceId: string;
  attempt: number;
  outcome: ChargeOutcome;
  /** the subscription's status and outcome when the command was given */
  liveAtCommand: boolean;
}

export class Simulation {
  now: number;
  state: LifecycleState;
  wakeAt: number | null = null;
  readonly terms: PolicyTerms;
  readonly commands: LifecycleCommand[] = [];
  readonly decisions: { event: LifecycleEvent | null; now: number; before: LifecycleState | null; decision: Decision }[] = [];
  /** results of commands not yet fed back */
  pending: LifecycleEvent[] = [];
  readonly charges: Charge[] = [];
  /** provider outcomes by idempotency key */
  readonly chargeKeys = new Map<string, ChargeOutcome>();
  /** invoices the money arrived for, by card or transfer */
  readonly paidInvoices = new Set<string>();
  /** invoices an operator voided (issue 15) */
  readonly voidedInvoices = new Set<string>();
  readonly successes = new Map<string, number>();
  organizationTerminated = false;
  invoiceDueAt = new Map<string, number>();
  private outcomes: ChargeOutcome['status'][];
  private outcomeIndex = 0;
  holdResults = false;

  constructor(terms: PolicyTerms, options: { hasPaymentMethod?: boolean; outcomes?: ChargeOutcome['status'][]; start?: number } = {}) {
    this.terms = terms;
    this.now = options.start ?? T0;
    this.outcomes = options.outcomes?.length ? options.outcomes : ['PAID'];
    const decision = startSubscription({ subscriptionId: 'sub-1', organizationId: 'org-1', planCode: 'PLAN-A', policy: terms, hasPaymentMethod: options.hasPaymentMethod ?? true }, this.now);
    this.state = decision.state;
    this.take(null, null, decision);
  }

  /** Feeds one event at the current time and carries out what the core decides. */
  feed(event: LifecycleEvent): Decision {
    const before = this.state;
    const decision = decide(before, event, this.now);
    this.state = decision.state;
    this.take(event, before, decision);
    return decision;
  }

  private take(event: LifecycleEvent | null, before: LifecycleState | null, decision: Decision): void {
    this.decisions.push({ event, now: this.now, before, decision });
    this.wakeAt = decision.wakeAt;
    for (const command of decision.commands) this.carryOut(command, decision);
    if (!this.holdResults) this.deliver();
  }

  /** Feeds every held result back, each possibly producing more. */
  deliver(): void {
    while (this.pending.length) this.feed(this.pending.shift()!);
  }

  private carryOut(command: LifecycleCommand, decision: Decision): void {
    this.commands.push(command);
    const iso = (ms: number) => new Date(ms).toISOString();
    switch (command.type) {
      case 'BEGIN_PERIOD': {
        const start = Date.parse(command.periodStart);
        const length = command.kind === 'TRIAL' ? this.terms.trialPeriod! : this.terms.billingPeriod;
        this.pending.push({
          type: 'PERIOD_BEGUN',
          pinned: {
            periodIndex: command.periodIndex,
            kind: command.kind,
            periodStart: command.periodStart,
            periodEnd: iso(addDuration(start, length)),
            planCode: command.planCode,
            planVersion: 1,
            policy: this.terms,
            hasPaymentMethod: false,
            confirmed: false,
          },
        });
        return;
      }
      case 'ISSUE_INVOICE': {
        const invoiceId = `inv-${command.periodIndex}`;
        const dueAt = this.terms.paymentDueAfter ? addDuration(this.now, this.terms.paymentDueAfter) : this.now;
        this.invoiceDueAt.set(invoiceId, dueAt);
        this.pending.push({
          type: 'INVOICE_ISSUED',
          invoiceId,
          number: `TST${command.periodIndex}`,
          periodIndex: command.periodIndex,
          total: { amountMinor: 12_000, currency: 'TRY' },
          dueAt: iso(dueAt),
          settled: false,
        });
        return;
      }
      case 'CHARGE_INVOICE': {
        const key = `${command.invoiceId}/attempt/${command.attempt}`;
        let outcome = this.chargeKeys.get(key);
        if (!outcome) {
          if (this.paidInvoices.has(command.invoiceId)) outcome = { status: 'ALREADY_PAID' };
          else if (this.voidedInvoices.has(command.invoiceId)) outcome = { status: 'VOIDED' };
          else {
            const status = this.outcomes[this.outcomeIndex++ % this.outcomes.length]!;
            outcome = status === 'DECLINED' ? { status, declineCode: 'card_declined' } : ({ status } as ChargeOutcome);
            if (status === 'PAID') {
              this.paidInvoices.add(command.invoiceId);
              this.successes.set(command.invoiceId, (this.successes.get(command.invoiceId) ?? 0) + 1);
            }
          }
          this.chargeKeys.set(key, outcome);
        }
        this.charges.push({ invoiceId: command.invoiceId, attempt: command.attempt, outcome, liveAtCommand: decision.state.outcome === null && !this.organizationTerminated });
        this.pending.push({ type: 'CHARGE_RESULT', invoiceId: command.invoiceId, attempt: command.attempt, outcome });
        return;
      }
      case 'TERMINATE_ORGANIZATION':
        this.organizationTerminated = true;
        return;
      default:
        return;
    }
  }

  /** Lets time pass to `target`, waking the core at each wake-up on the way, as the workflow's timer does. */
  runUntil(target: number): void {
    while (this.pending.length === 0 && this.wakeAt !== null && this.wakeAt <= target) {
      this.now = Math.max(this.now, this.wakeAt);
      this.feed({ type: 'TIME_REACHED' });
    }
    this.now = Math.max(this.now, target);
  }

  /** Runs wake-ups until the subscription ends or nothing more is scheduled (at most `limit`). */
  settle(limit = 40): void {
    this.holdResults = false;
    this.deliver();
    for (let i = 0; i < limit && this.state.outcome === null && this.wakeAt !== null; i++) {
      this.now = Math.max(this.now, this.wakeAt);
      this.feed({ type: 'TIME_REACHED' });
    }
  }

  /** The open invoice's due time, or null. */
  currentDueAt(): number | null {
    const invoice = this.state.invoice;
    return invoice && !invoice.paid ? invoice.dueAt : null;
  }

  /** An operator records a transfer received at `at` (BIL-8); ignored when the money was already there. */
  recordPayment(at: number): boolean {
    const invoice = this.state.invoice;
    if (!invoice || this.paidInvoices.has(invoice.id)) return false;
    this.paidInvoices.add(invoice.id);
    this.feed({ type: 'PAYMENT_RECORDED', invoiceId: invoice.id, at: new Date(at).toISOString() });
    return true;
  }

  /**
   * An operator voids the open invoice (issue 15). Refused, as voidInvoice
   * refuses, when it is paid or a charge of it is still on its way back.
   */
  voidInvoice(): boolean {
    const invoice = this.state.invoice;
    if (!invoice || this.paidInvoices.has(invoice.id) || this.voidedInvoices.has(invoice.id)) return false;
    if (this.pending.some((event) => event.type === 'CHARGE_RESULT' && event.invoiceId === invoice.id)) return false;
    this.voidedInvoices.add(invoice.id);
    this.feed({ type: 'INVOICE_VOIDED', invoiceId: invoice.id });
    return true;
  }

  /** A crash: the results in flight are lost, the state comes back from its JSON, the core is told. */
  restart(): void {
    this.pending = [];
    this.state = JSON.parse(JSON.stringify(this.state)) as LifecycleState;
    this.feed({ type: 'RESTARTED' });
  }

  eventsRecorded(): string[] {
    return this.commands.flatMap((c) => (c.type === 'RECORD' ? [c.event] : []));
  }

  emails(): string[] {
    return this.commands.flatMap((c) => (c.type === 'SEND_EMAIL' ? [c.kind] : []));
  }

  commandsOf<T extends LifecycleCommand['type']>(type: T): Extract<LifecycleCommand, { type: T }>[] {
    return this.commands.filter((c): c is Extract<LifecycleCommand, { type: T }> => c.type === type);
  }
}

export const SECOND = 1_000;
