import { ApplicationFailure } from '@temporalio/common';
import type { AccountsActivities } from '@omurga/workflows';
import { holdResources, releaseResources } from './licensed-resources.ts';
import type { AccountsModels } from './models.ts';
import { LifecycleError, changeOrganization, type OrganizationChange } from './organization-lifecycle.ts';
import { eraseOrganizationPersonalData } from './personal-data.ts';
import type { ChangeActor } from '@omurga/workflows';

/**
 * The internal operations billing and consent workflows call (ACC-6, ACC-7,
 * ACC-11), registered on accounts' own task queue. A state that makes the
 * change impossible fails without retries; anything else (the database
 * briefly away) is retried by Temporal.
 */
export function accountsActivities(models: AccountsModels): AccountsActivities {
  const change = async (organizationId: string, what: OrganizationChange, actor: ChangeActor) => {
    try {
      return (await changeOrganization(models, organizationId, what, actor)).after;
    } catch (error) {
      if (error instanceof LifecycleError) throw ApplicationFailure.nonRetryable(error.message, error.code);
      throw error;
    }
  };
  return {
    suspendOrganization: ({ organizationId, reason, note, actor }) => change(organizationId, { type: 'suspend', reason, note: note ?? null }, actor),
    reinstateOrganization: ({ organizationId, reason, actor }) => change(organizationId, reason ? { type: 'reinstate', reason } : { type: 'reinstate' }, actor),
    terminateOrganization: ({ organizationId, reason, actor }) => change(organizationId, { type: 'terminate', reason }, actor),
    async eraseOrganizationPersonalData({ organizationId, actor }) {
      const state = await change(organizationId, { type: 'erase' }, actor);
      // Erasing again after a crash half-way is harmless, so it always runs.
      const org = await models.Organization.findById(organizationId, { _id: 1 }).lean();
      if (org) await eraseOrganizationPersonalData(models, org._id);
      return state;
    },
    async expireDocumentRequest({ requestId }) {
      await models.DocumentRequest.updateOne({ _id: requestId, status: 'PENDING' }, { $set: { status: 'EXPIRED' } });
    },
    async holdLicensedResources({ organizationId, until }) {
      return { held: await holdResources(models, organizationId, new Date(until)) };
    },
    async releaseLicensedResources({ organizationId }) {
      return { released: await releaseResources(models, organizationId) };
    },
  };
}
