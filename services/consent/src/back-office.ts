import type { Client } from '@temporalio/client';
import { type SubgraphContext, canAccessOrganization, forbidden, hasOperatorRole, isEntityId, requireAuthenticated, withId, type MemberRole } from '@omurga/shared';
import { breachWorkflowId, endUserRequestWorkflowId } from './workflows/contracts/breaches.ts';
import { dataSubjectRequestWorkflowId } from './workflows/contracts/requests.ts';
import { acknowledgeEndUserRequest, findEndUserRequest, listEndUserRequests, type EndUserRequestModel } from './end-user-requests.ts';
import type { ConsentModels, DataSubjectRequestDoc } from './models.ts';
import type { ConsentLoaders } from './loaders.ts';

type Ctx = SubgraphContext<ConsentLoaders>;

/** The customer is the controller of its end-users' data: its owners and admins read and acknowledge what was forwarded to it (CON-8). */
const CONTROLLER_ROLES: readonly MemberRole[] = ['OWNER', 'ADMIN'];
const controllerAccess = { roles: CONTROLLER_ROLES, operatorRoles: ['DPO'] as const };

/**
 * What the portal and the back office read beyond the original API
 * (issue 14): one data-subject request or forwarded end-user request by id
 * (the pages e-mails link to), and a customer's own forwarded requests.
 */
export function backOfficeResolvers(models: ConsentModels, temporal: Client, endUserRequests: EndUserRequestModel) {
  return {
    Query: {
      dataSubjectRequest: async (_: unknown, { id }: { id: string }, ctx: Ctx) => {
        requireAuthenticated(ctx);
        if (!isEntityId(id)) return null;
        const request = await models.DataSubjectRequest.findById(id).lean<DataSubjectRequestDoc>();
        if (!request) return null;
        const principal = ctx.principal;
        const own = principal.kind === 'user' && principal.userId === request.userId;
        return own || hasOperatorRole(principal, ['DPO']) ? withId(request) : null;
      },
      endUserRequest: async (_: unknown, { id }: { id: string }, ctx: Ctx) => {
        requireAuthenticated(ctx);
        const request = await findEndUserRequest(endUserRequests, id);
        return request && canAccessOrganization(ctx, request.organizationId, controllerAccess) ? withId(request) : null;
      },
    },
    Mutation: {
      acknowledgeForwardedRequest: async (_: unknown, { id }: { id: string }, ctx: Ctx) => {
        requireAuthenticated(ctx);
        const request = await findEndUserRequest(endUserRequests, id);
        if (!request || !canAccessOrganization(ctx, request.organizationId, controllerAccess)) throw forbidden(ctx.locale);
        const result = await acknowledgeEndUserRequest(endUserRequests, temporal, id, new Date());
        // The request was found above, so acknowledging it cannot miss.
        return { request: result.ok ? withId(result.request) : null, userErrors: [] };
      },
    },
    DataSubjectRequest: { workflowId: ({ id }: { id: string }) => dataSubjectRequestWorkflowId(id) },
    Breach: { workflowId: ({ id }: { id: string }) => breachWorkflowId(id) },
    EndUserRequest: { workflowId: ({ id }: { id: string }) => endUserRequestWorkflowId(id) },
    Organization: {
      endUserRequests: async ({ id }: { id: string }, _: unknown, ctx: Ctx) => {
        if (!canAccessOrganization(ctx, id, controllerAccess)) throw forbidden(ctx.locale);
        return (await listEndUserRequests(endUserRequests, id)).map(withId);
      },
    },
  };
}

