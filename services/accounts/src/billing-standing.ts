import type { Client } from '@temporalio/client';
import { ORGANIZATION_STANDING_WORKFLOW, organizationStandingWorkflowId, type OrganizationStanding, type OrganizationStandingChange, type SuspensionReason, type ChangeActor } from '@omurga/shared/contracts';
import { startWorkflowOnce } from '@omurga/shared/temporal';
import { actorLabel, type ChangeResult, type OrganizationChange } from './organization-lifecycle.ts';

/** Suspensions billing itself decides (BIL-6, BIL-10): its lifecycle already knows them. */
const BILLING_OWN_REASONS: readonly SuspensionReason[] = ['NON_PAYMENT', 'CHARGEBACK'];

/**
 * Issue 12 (ACC-6 → BIL-6): what a change of an organisation means for its
 * subscriptions, or null when billing has nothing to follow (a suspension or
 * reinstatement billing made itself).
 * Read from the state after the change, so a repeated request (which changes
 * nothing) hands the same standing over again, under the same workflow ID.
 */
export function standingOf(change: OrganizationChange, result: Pick<ChangeResult, 'after'>): OrganizationStanding | null {
  const { status, suspensionReasons } = result.after;
  switch (change.type) {
    case 'terminate':
      return status === 'TERMINATED' ? 'TERMINATED' : null;
    case 'suspend':
      return !BILLING_OWN_REASONS.includes(change.reason) && suspensionReasons.includes(change.reason) ? 'SUSPENDED' : null;
    case 'reinstate':
      if (status === 'TERMINATED' || status === 'ERASED') return null;
      if (change.reason) {
        // Lifting a suspension billing did not make restores the subscriptions' service, even while billing's
        // own (non-payment, chargeback) still stands: the lifecycle keeps that one itself.
        if (BILLING_OWN_REASONS.includes(change.reason)) return null;
        return suspensionReasons.includes(change.reason) ? null : 'REINSTATED';
      }
      return status === 'SUSPENDED' ? null : 'REINSTATED';
    default:
      return null;
  }
}

/**
 * Hands a change of standing to billing's organizationStandingWorkflow, which
 * reaches every live subscription of the organisation at once: termination
 * stops billing, suspension and reinstatement are followed. Durable: once
 * started, Temporal delivers it even while billing is away.
 */
export async function handStandingToBilling(temporal: Client, change: OrganizationChange, result: ChangeResult, actor: ChangeActor): Promise<void> {
  const standing = standingOf(change, result);
  if (!standing) return;
  const organizationId = result.after.organizationId;
  const reason = 'reason' in change && change.reason ? change.reason : standing;
  const input: OrganizationStandingChange = { organizationId, standing, reason, at: new Date().toISOString(), actor: actorLabel(actor) };
  const changeKey = `v${(result.organization as { __v?: number }).__v ?? 0}-${standing}`;
  await startWorkflowOnce(temporal, ORGANIZATION_STANDING_WORKFLOW, {
    workflowId: organizationStandingWorkflowId(organizationId, changeKey),
    args: [input],
    searchAttributes: { OrganizationId: [organizationId] },
  });
}
