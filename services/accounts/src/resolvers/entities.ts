import {
  DateTimeScalar,
  canAccessOrganization,
  canAccessPerson,
  forbidden,
  isEntityId,
  requireAuthenticated,
  withId,
  type Resolvers,
} from '@omurga/shared';
import type { AccountsDeps, Ctx } from '../deps.ts';
import type { MembershipDoc, OrganizationDoc, UserDoc } from '../models.ts';
import { MANAGERS } from './access.ts';

/** Operators who may look people up (support, billing, data protection). */
const PEOPLE_READERS = ['SUPPORT_AGENT', 'BILLING_ADMIN', 'DPO'] as const;

type OrgRef = OrganizationDoc & { id: string };

/** Members and operators see an organisation; a partner sees the customers it referred (ACC-9). */
function maySee(ctx: Ctx, org: OrganizationDoc): boolean {
  const principal = ctx.principal;
  if (principal.kind === 'partner') return principal.scopes.has('customers:read') && org.referredByPartnerId?.toString() === principal.partnerOrganizationId;
  return canAccessOrganization(ctx, org._id.toString());
}

/** Members and operators only: partners see a referred customer's standing, not its people or keys. */
function requireInside(ctx: Ctx, org: OrgRef) {
  if (!canAccessOrganization(ctx, org.id)) throw forbidden(ctx.locale);
}

function requireManager(ctx: Ctx, org: OrgRef) {
  if (!canAccessOrganization(ctx, org.id, { roles: MANAGERS, operatorRoles: ['SUPPORT_AGENT', 'BILLING_ADMIN'] })) throw forbidden(ctx.locale);
}

export function entityResolvers(_deps: AccountsDeps): Resolvers {
  const loadOrganization = async (id: string, ctx: Ctx) => {
    const org = isEntityId(id) ? await ctx.loaders.organization.load(id) : null;
    return org && maySee(ctx, org) ? withId(org) : null;
  };
  return {
    DateTime: DateTimeScalar,
    Query: {
      me: async (_: unknown, __: unknown, ctx: Ctx) => {
        if (ctx.principal.kind !== 'user' && ctx.principal.kind !== 'operator') return null;
        const user = await ctx.loaders.user.load(ctx.principal.userId);
        return user && withId(user);
      },
      organization: async (_: unknown, { id }: { id: string }, ctx: Ctx) => {
        requireAuthenticated(ctx);
        const org = await loadOrganization(id, ctx);
        // The same answer for "does not exist" and "not yours": no probing for ids.
        if (!org) throw forbidden(ctx.locale);
        return org;
      },
    },
    User: {
      __resolveReference: async ({ id }: { id: string }, ctx: Ctx) => {
        if (!canAccessPerson(ctx, id, [...PEOPLE_READERS])) return null;
        const user = await ctx.loaders.user.load(id);
        return user && withId(user);
      },
      emailVerified: (user: UserDoc) => user.emailVerifiedAt != null,
      memberships: async (user: { id: string }, _: unknown, ctx: Ctx) => {
        const rows = await ctx.loaders.membershipsOfUser.load(user.id);
        // A colleague sees only the organisations the viewer shares, never the person's others.
        const all = canAccessPerson(ctx, user.id, [...PEOPLE_READERS]);
        return rows
          .map((m: MembershipDoc) => ({ organizationId: m.organizationId.toString(), role: m.role }))
          .filter((m) => all || canAccessOrganization(ctx, m.organizationId));
      },
    },
    Membership: {
      organization: async (m: { organizationId: string }, _: unknown, ctx: Ctx) => {
        // Reached only through User.memberships, which already left out what the viewer may not see.
        const org = await ctx.loaders.organization.load(m.organizationId);
        return org && withId(org);
      },
    },
    Member: {
      user: async (m: MembershipDoc, _: unknown, ctx: Ctx) => {
        const user = await ctx.loaders.user.load(m.userId.toString());
        return user && withId(user);
      },
      since: (m: MembershipDoc & { createdAt?: Date }) => m.createdAt ?? new Date(0),
    },
    Organization: {
      __resolveReference: ({ id }: { id: string }, ctx: Ctx) => loadOrganization(id, ctx),
      suspensions: (org: OrgRef) => org.suspensions ?? [],
      statusHistory: (org: OrgRef, _: unknown, ctx: Ctx) => {
        requireInside(ctx, org);
        return org.statusHistory ?? [];
      },
      members: (org: OrgRef, _: unknown, ctx: Ctx) => {
        requireInside(ctx, org);
        return ctx.loaders.membersOfOrganization.load(org.id);
      },
      invitations: async (org: OrgRef, _: unknown, ctx: Ctx) => {
        requireManager(ctx, org);
        return (await ctx.loaders.invitationsOfOrganization.load(org.id)).map(withId);
      },
      apiKeys: async (org: OrgRef, _: unknown, ctx: Ctx) => {
        requireManager(ctx, org);
        return (await ctx.loaders.apiKeysOfOrganization.load(org.id)).map(withId);
      },
      documentRequests: async (org: OrgRef, _: unknown, ctx: Ctx) => {
        requireInside(ctx, org);
        return (await ctx.loaders.documentRequestsOfOrganization.load(org.id)).map(withId);
      },
      licensedResources: async (org: OrgRef, _: unknown, ctx: Ctx) => {
        requireInside(ctx, org);
        return (await ctx.loaders.licensedResourcesOfOrganization.load(org.id)).map(withId);
      },
    },
  };
}
