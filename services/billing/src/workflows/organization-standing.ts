import { proxyActivities } from '@temporalio/workflow';
import { TASK_QUEUES, type OrganizationStandingBillingActivities, type OrganizationStandingChange } from '@omurga/shared/contracts';

/** No attempt limit: a termination must reach billing however long billing is away. */
const { applyOrganizationStanding } = proxyActivities<OrganizationStandingBillingActivities>({
  taskQueue: TASK_QUEUES.billing,
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/**
 * Issue 12: hands an organisation's change of standing (started by accounts
 * under ORGANIZATION_STANDING_WORKFLOW) to every live subscription of it.
 */
export async function organizationStandingWorkflow(change: OrganizationStandingChange): Promise<{ subscriptions: number }> {
  return applyOrganizationStanding(change);
}
