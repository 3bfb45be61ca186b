import type { WebhookEvent } from '@omurga/shared/contracts';
import { decide, type Decision, type LifecycleCommand, type LifecycleEvent as CoreEvent, type SubscriptionStatus } from './lifecycle/index.ts';
import { BILLING_STEP_COMMANDS, type BillingActivities, type BillingEmailKind, type LifecycleStepsInput, type LifecycleStepsResult } from './workflows/contracts.ts';
import { chargeResult, emailRequest, invoiceCustomer } from './workflows/lifecycle-requests.ts';
import { webhookEventsFor } from './workflows/webhook-events.ts';

/** One history entry of the subscription, written with the others of the same activity. */
export interface HistoryEntry {
  at: Date;
  type: string;
  detail: string | null;
  status: SubscriptionStatus | null;
  /** unique within the subscription: a retried activity writes nothing twice */
  key: string;
}

/** What carrying out the lifecycle's billing commands needs from billing. */
export type LifecycleStepPorts = Pick<BillingActivities, 'beginPeriod' | 'movePeriod' | 'issueInvoice' | 'chargeInvoice' | 'writeOffInvoice' | 'accruePartnerCommission'> & {
  sendEmail(input: { kind: BillingEmailKind; key: string; organizationId: string; subscriptionId: string; invoiceId?: string; to: LifecycleStepsInput['profile']['contacts']; params: Record<string, string> }): Promise<void>;
  /** appends the entries to the subscription's history in one write, the status of the last one that sets one with them */
  recordHistory(subscriptionId: string, entries: HistoryEntry[]): Promise<void>;
};

/** A guard against a core that never comes to rest; far more decisions than any real step needs. */
const MAX_DECISIONS = 64;

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * carryOutLifecycleSteps (issue 16): the workflow's interpreter loop, run in
 * billing's process for billing's own commands. Commands run in order; e-mails
 * and commission accruals (which answer nothing) run beside the commands after
 * them and are awaited before the core hears the next answer, as in the
 * workflow. History entries are kept and written at the end in one update, so
 * a failed attempt leaves none and its retry writes them once.
 */
export async function carryOutLifecycleSteps(ports: LifecycleStepPorts, input: LifecycleStepsInput, now: () => number = Date.now): Promise<LifecycleStepsResult> {
  const { profile } = input;
  let decision: Decision = input.decision;
  const results: CoreEvent[] = [...input.results];
  let recordedStatus = input.recordedStatus;
  let next = input.sequence.next;
  const history: HistoryEntry[] = [];
  const webhookEvents: WebhookEvent[] = [];
  const { subscriptionId, organizationId } = decision.state;

  const finish = (commands: LifecycleCommand[]): LifecycleStepsResult => ({ decision: { ...decision, commands }, results, recordedStatus, sequenceNext: next, webhookEvents });

  for (let decisions = 1; ; decisions += 1) {
    const { commands } = decision;
    const alongside: Promise<unknown>[] = [];
    let done = 0;
    for (; done < commands.length && BILLING_STEP_COMMANDS.has(commands[done]!.type); done += 1) {
      const command = commands[done]!;
      if (command.type === 'SEND_EMAIL' || command.type === 'ACCRUE_COMMISSION') alongside.push(carryOut(command));
      else results.push(...(await carryOut(command)));
    }
    await Promise.all(alongside);
    const rest = commands.slice(done);
    if (rest.length || decision.state.outcome || !results.length || decisions >= MAX_DECISIONS) {
      if (history.length) await ports.recordHistory(subscriptionId, history);
      return finish(rest);
    }
    decision = decide(decision.state, results.shift()!, now());
  }

  async function carryOut(command: LifecycleCommand): Promise<CoreEvent[]> {
    switch (command.type) {
      case 'BEGIN_PERIOD': {
        const { type: _, ...period } = command;
        return [{ type: 'PERIOD_BEGUN', pinned: await ports.beginPeriod({ subscriptionId, ...period }) }];
      }
      case 'MOVE_PERIOD': {
        const { type: _, ...period } = command;
        await ports.movePeriod({ subscriptionId, ...period });
        return [];
      }
      case 'ISSUE_INVOICE': {
        const { paid, ...invoice } = await ports.issueInvoice({ subscriptionId, periodIndex: command.periodIndex, issuedAt: command.issuedAt, customer: invoiceCustomer(profile) });
        const issued: CoreEvent = { type: 'INVOICE_ISSUED', ...invoice, periodIndex: command.periodIndex };
        // Paid before the core knew it (an operator recorded a transfer while it was being issued).
        return !invoice.settled && paid ? [issued, { type: 'PAYMENT_RECORDED', invoiceId: invoice.invoiceId, at: iso(now()) }] : [issued];
      }
      case 'CHARGE_INVOICE':
        return [chargeResult(command, await ports.chargeInvoice({ invoiceId: command.invoiceId, attempt: command.attempt }))];
      case 'SEND_EMAIL':
        await ports.sendEmail({ ...emailRequest(command, subscriptionId, profile), organizationId });
        return [];
      case 'RECORD': {
        const at = now();
        const sequenceKey = `${input.sequence.prefix}-${next}`;
        next += 1;
        history.push({ at: new Date(at), type: command.event, detail: command.detail, status: command.status, key: `${sequenceKey}:${command.event}` });
        webhookEvents.push(...webhookEventsFor({ event: command.event, detail: command.detail, status: command.status, previousStatus: recordedStatus, sequenceKey }, decision.state, iso(at)));
        if (command.status) recordedStatus = command.status;
        return [];
      }
      case 'WRITE_OFF_INVOICE':
        await ports.writeOffInvoice({ invoiceId: command.invoiceId, at: iso(now()), reason: command.reason });
        return [];
      case 'ACCRUE_COMMISSION':
        if (profile.referredByPartnerId) await ports.accruePartnerCommission({ invoiceId: command.invoiceId, partnerId: profile.referredByPartnerId });
        return [];
      case 'FINISH':
        return [];
      default:
        throw new Error(`${command.type} is not one of billing's lifecycle steps`);
    }
  }
}
