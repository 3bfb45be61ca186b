import type { OrganizationBillingProfile } from '@omurga/shared/contracts';
import type { ChargeOutcome, LifecycleCommand, LifecycleEvent as CoreEvent } from '../lifecycle/index.ts';
import type { InvoiceCustomer } from './contracts.ts';

/**
 * What a lifecycle command asks of billing and what billing's answer tells
 * the core, shaped once for both interpreters: the workflow's (one activity
 * per command, for runs begun before issue 16) and billing's own
 * (carryOutLifecycleSteps). Pure, so the workflow bundle loads it.
 */

/** The buyer frozen on the invoice, from accounts' billing profile. */
export const invoiceCustomer = (profile: OrganizationBillingProfile): InvoiceCustomer => ({ name: profile.name, customerCode: profile.customerCode, buyer: profile.buyer ?? null });

/** A SEND_EMAIL command as billing's e-mail input: the organisation's contacts, its name among the params. */
export function emailRequest(command: Extract<LifecycleCommand, { type: 'SEND_EMAIL' }>, subscriptionId: string, profile: OrganizationBillingProfile) {
  return {
    kind: command.kind,
    key: command.key,
    subscriptionId,
    ...(command.invoiceId ? { invoiceId: command.invoiceId } : {}),
    to: profile.contacts,
    params: { organization: profile.name, ...command.params },
  };
}

/** A charge's outcome as the core hears it. */
export const chargeResult = (command: Extract<LifecycleCommand, { type: 'CHARGE_INVOICE' }>, outcome: ChargeOutcome): CoreEvent => ({
  type: 'CHARGE_RESULT',
  invoiceId: command.invoiceId,
  attempt: command.attempt,
  outcome,
});
