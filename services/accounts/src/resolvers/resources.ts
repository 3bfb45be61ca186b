import { Types } from 'mongoose';
import { withId, type Resolvers } from '@omurga/shared';
import type { AccountsDeps, Ctx } from '../deps.ts';
import { claimResource, normalizeResource, type LicensedResourceKind } from '../licensed-resources.ts';
import { LICENSED_RESOURCE_KINDS } from '../models.ts';
import { MANAGERS, requireMemberRole } from './access.ts';
import { failure } from './payloads.ts';

/** ACC-11: binding a website, domain or phone number to the organisation's licence. */
export function resourceResolvers(deps: AccountsDeps): Resolvers {
  return {
    Mutation: {
      addLicensedResource: async (_: unknown, args: { organizationId: string; kind: LicensedResourceKind; value: string }, ctx: Ctx) => {
        await requireMemberRole(deps, ctx, args.organizationId, MANAGERS);
        const org = await deps.models.Organization.findById(args.organizationId, { status: 1 }).lean();
        if (org?.status === 'TERMINATED' || org?.status === 'ERASED') return failure(ctx.locale, 'INVALID_TRANSITION', ['organizationId']);
        if (!LICENSED_RESOURCE_KINDS.includes(args.kind)) return failure(ctx.locale, 'INVALID_VALUE', ['kind']);
        const value = normalizeResource(args.kind, args.value.slice(0, 300));
        if (!value) return failure(ctx.locale, 'INVALID_RESOURCE', ['value'], { kind: args.kind });
        const resource = await claimResource(deps.models, new Types.ObjectId(args.organizationId), args.kind, value);
        if (!resource) return failure(ctx.locale, 'RESOURCE_TAKEN', ['value']);
        return { resource: withId(resource), userErrors: [] };
      },
    },
  };
}
