import { sleep } from '@temporalio/workflow';
import type { LicensedResourceHoldInput } from '@omurga/shared/contracts';
import { accountsActivities, parseInstant } from '@omurga/shared/workflow';

/**
 * ACC-11: an organisation's licensed resources stay reserved for it until
 * `holdUntil`, then are released for others to claim.
 * Started with ID licensedResourceHoldWorkflowId(organizationId).
 */
export async function licensedResourceHoldWorkflow(input: LicensedResourceHoldInput): Promise<{ held: number; released: number }> {
  const { organizationId, holdUntil } = input;
  const releaseAt = parseInstant(holdUntil, 'holdUntil');
  const { held } = await accountsActivities.holdLicensedResources({ organizationId, until: holdUntil });
  // Measured after the hold, which may have been retried for a while.
  await sleep(Math.max(0, releaseAt - Date.now()));
  const { released } = await accountsActivities.releaseLicensedResources({ organizationId });
  return { held, released };
}
