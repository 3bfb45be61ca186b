import { sleep, workflowInfo } from '@temporalio/workflow';
import type { OrganizationErasureInput } from '../../contracts/billing.ts';
import { accountsActivities } from '../accounts-activities.ts';
import { parseInstant } from '../time.ts';

/**
 * CON-6: erase a terminated organisation's personal data once its policy's
 * deletion delay has passed ([000 §7.5] at once, [002 §9] at termination).
 * Registered under ORGANIZATION_ERASURE_WORKFLOW with ID
 * organizationErasureWorkflowId(organizationId). This first version erases
 * what accounts holds; the consent service's erasure fan-out (issue 5)
 * replaces this body under the same name, so billing's hand-over stays put.
 */
export async function organizationErasureWorkflow(input: OrganizationErasureInput): Promise<{ erasedAt: string }> {
  const eraseAt = parseInstant(input.eraseAt, 'eraseAt');
  await sleep(Math.max(0, eraseAt - Date.now()));
  await accountsActivities.eraseOrganizationPersonalData({
    organizationId: input.organizationId,
    actor: { kind: 'workflow', id: workflowInfo().workflowId },
  });
  return { erasedAt: new Date(Date.now()).toISOString() };
}
