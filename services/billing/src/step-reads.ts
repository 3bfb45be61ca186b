import { AsyncLocalStorage } from 'node:async_hooks';
import type { InvoiceDoc, SubscriptionDoc } from './models/index.ts';

/**
 * Issue 16: what one lifecycle step (one carryOutLifecycleSteps activity) has
 * read or written, so that its later commands do not read it again: the
 * subscription as the step last left it, and the invoices it issued, whose
 * number, total and due date never change. Status reads (is it paid, is it
 * void) always go to the database.
 */
export interface StepReads {
  subscription?: SubscriptionDoc;
  invoices: Map<string, InvoiceDoc>;
}

const current = new AsyncLocalStorage<StepReads>();

/** Runs one step with its own (empty) reads; outside a step nothing is kept. */
export const inStep = <T>(body: () => Promise<T>): Promise<T> => current.run({ invoices: new Map() }, body);

export const stepReads = (): StepReads | undefined => current.getStore();

/** Keeps the subscription as the step has just written it (undefined: forget it, the step changed it unseen). */
export function keepStepSubscription(subscription: SubscriptionDoc | undefined): void {
  const step = current.getStore();
  if (step) step.subscription = subscription;
}

/** What the step knows of this subscription and invoice, for an e-mail's facts. */
export function knownToStep(subscriptionId: string, invoiceId?: string): { subscription?: SubscriptionDoc; invoice?: InvoiceDoc } {
  const step = current.getStore();
  const subscription = step?.subscription;
  return {
    subscription: subscription?._id.toString() === subscriptionId ? subscription : undefined,
    invoice: invoiceId ? step?.invoices.get(invoiceId) : undefined,
  };
}
