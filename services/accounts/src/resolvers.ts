import { z } from 'zod';
import {
  DateTimeScalar,
  canAccessOrganization,
  canAccessPerson,
  isEntityId,
  requireOrganizationAccess,
  userError,
  userErrorsFromZod,
  withId,
  type PlatformConfig,
  type Resolvers,
  type SubgraphContext,
} from '@omurga/shared';
import type { AccountsLoaders } from './loaders.ts';
import { t } from './messages.ts';
import type { AccountsModels, MembershipDoc, UserDoc } from './models.ts';
import { verifyPassword } from './passwords.ts';
import { accessTokenFor } from './sessions.ts';
import type { SigningKeys } from './signing-keys.ts';

type Ctx = SubgraphContext<AccountsLoaders>;

const logInInput = z.object({
  email: z.string().trim().toLowerCase().max(254),
  password: z.string().max(1024),
});

/** Operators who may look people up (support, billing, data protection). */
const PEOPLE_READERS = ['SUPPORT_AGENT', 'BILLING_ADMIN', 'DPO'] as const;

export function accountsResolvers(models: AccountsModels, keys: SigningKeys, config: PlatformConfig): Resolvers {
  return {
    DateTime: DateTimeScalar,
    Query: {
      me: async (_: unknown, __: unknown, ctx: Ctx) => {
        if (ctx.principal.kind !== 'user' && ctx.principal.kind !== 'operator') return null;
        const user = await ctx.loaders.user.load(ctx.principal.userId);
        return user && withId(user);
      },
      organization: async (_: unknown, { id }: { id: string }, ctx: Ctx) => {
        requireOrganizationAccess(ctx, id);
        if (!isEntityId(id)) return null;
        const org = await ctx.loaders.organization.load(id);
        return org && withId(org);
      },
    },
    Mutation: {
      logIn: async (_: unknown, { input }: { input: unknown }, ctx: Ctx) => {
        const parsed = logInInput.safeParse(input);
        if (!parsed.success) return { userErrors: userErrorsFromZod(parsed.error, t, ctx.locale, ['input']) };
        const user = await models.User.findOne({ email: parsed.data.email }).lean<UserDoc>();
        const valid = await verifyPassword(user?.passwordHash, parsed.data.password);
        if (!user || !valid) return { userErrors: [userError(t, ctx.locale, 'INVALID_CREDENTIALS', ['input', 'password'])] };
        const token = await accessTokenFor(user, models, keys, config);
        return { ...token, refreshToken: null, user: withId(user), userErrors: [] };
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
        return rows.map((m: MembershipDoc) => ({ organizationId: m.organizationId.toString(), role: m.role }));
      },
    },
    Membership: {
      organization: async (m: { organizationId: string }, _: unknown, ctx: Ctx) => {
        const org = await ctx.loaders.organization.load(m.organizationId);
        return org && withId(org);
      },
    },
    Organization: {
      __resolveReference: async ({ id }: { id: string }, ctx: Ctx) => {
        if (!canAccessOrganization(ctx, id)) return null;
        const org = await ctx.loaders.organization.load(id);
        return org && withId(org);
      },
    },
  };
}
