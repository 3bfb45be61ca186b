import { Types } from 'mongoose';
import {
  forbidden,
  pageSize,
  decodeCursor,
  requireAuthenticated,
  toConnection,
  userError,
  withId,
  type PageArgs,
  type Resolvers,
} from '@omurga/shared';
import { PARTNER_SCOPES, authenticateApiKey, createApiKey, type PartnerScope } from '../api-keys.ts';
import { createPendingOrganization } from '../new-organization.ts';
import type { AccountsDeps, Ctx } from '../deps.ts';
import { referredCustomerInput } from '../inputs.ts';
import { sendInvitation } from '../invitations.ts';
import { t } from '../messages.ts';
import type { OrganizationDoc } from '../models.ts';
import { THROTTLE_RULES } from '../throttle.ts';
import { issueAccessToken } from '../tokens.ts';
import { MANAGERS, requireMemberRole } from './access.ts';
import { failure, invalidInput, ok, refused } from './payloads.ts';

/** A partner token holding `scope`, or FORBIDDEN: partners reach their referred customers and nothing else (ACC-9). */
export function requirePartner(ctx: Ctx, scope: PartnerScope) {
  const principal = requireAuthenticated(ctx);
  if (principal.kind !== 'partner' || !principal.scopes.has(scope)) throw forbidden(ctx.locale);
  return principal;
}

/** ACC-9: partner API keys, the key-for-token exchange, and the customers a partner refers. */
export function partnerResolvers(deps: AccountsDeps): Resolvers {
  const { models, keys, config, throttle } = deps;
  return {
    Query: {
      partnerCustomers: async (_: unknown, args: PageArgs, ctx: Ctx) => {
        const partner = requirePartner(ctx, 'customers:read');
        const size = pageSize(args, ctx.locale);
        const filter: Record<string, unknown> = { referredByPartnerId: partner.partnerOrganizationId };
        if (args.after) filter._id = { $gt: decodeCursor(args.after, ctx.locale) };
        const rows = await models.Organization.find(filter).sort({ _id: 1 }).limit(size + 1).lean<OrganizationDoc[]>();
        return toConnection(rows.map(withId), size, (row) => row.id);
      },
    },
    Mutation: {
      createApiKey: async (_: unknown, args: { organizationId: string; name: string; scopes: string[] }, ctx: Ctx) => {
        const actor = await requireMemberRole(deps, ctx, args.organizationId, MANAGERS);
        if (!(await models.Partner.exists({ organizationId: args.organizationId }))) return failure(ctx.locale, 'NOT_A_PARTNER', ['organizationId']);
        const name = args.name.trim();
        if (!name || name.length > 100) return failure(ctx.locale, name ? 'TOO_LONG' : 'REQUIRED', ['name'], { max: 100 });
        const unknown = args.scopes.filter((scope) => !(PARTNER_SCOPES as readonly string[]).includes(scope));
        if (unknown.length || !args.scopes.length) {
          return { userErrors: (unknown.length ? unknown : ['']).map((scope) => userError(t, ctx.locale, 'INVALID_SCOPE', ['scopes'], { scope })) };
        }
        const { apiKey, key } = await createApiKey(models, {
          organizationId: new Types.ObjectId(args.organizationId),
          name,
          scopes: [...new Set(args.scopes)],
          createdBy: actor.userId,
        });
        return { apiKey, keyId: key._id.toString(), userErrors: [] };
      },

      revokeApiKey: async (_: unknown, args: { organizationId: string; keyId: string }, ctx: Ctx) => {
        await requireMemberRole(deps, ctx, args.organizationId, MANAGERS);
        if (!Types.ObjectId.isValid(args.keyId)) return refused(ctx.locale, 'INVALID_API_KEY', ['keyId']);
        const result = await models.ApiKey.updateOne(
          { _id: args.keyId, organizationId: args.organizationId, revokedAt: null },
          { $set: { revokedAt: new Date() } },
        );
        const exists = result.matchedCount || (await models.ApiKey.exists({ _id: args.keyId, organizationId: args.organizationId }));
        return exists ? ok : refused(ctx.locale, 'INVALID_API_KEY', ['keyId']);
      },

      exchangeApiKey: async (_: unknown, { apiKey }: { apiKey: string }, ctx: Ctx) => {
        const ipKey = `apikey:ip:${ctx.ip ?? 'unknown'}`;
        const wait = await throttle.blockedFor(ipKey, THROTTLE_RULES.apiKeyPerIp);
        if (wait) return failure(ctx.locale, 'TOO_MANY_ATTEMPTS', null, { minutes: wait });
        const key = await authenticateApiKey(models, apiKey);
        if (!key) {
          await throttle.hit(ipKey, THROTTLE_RULES.apiKeyPerIp);
          return failure(ctx.locale, 'INVALID_API_KEY', ['apiKey']);
        }
        const partner = await models.Organization.findById(key.organizationId).lean<OrganizationDoc>();
        if (partner?.status !== 'ACTIVE') return failure(ctx.locale, 'ACCOUNT_SUSPENDED', ['apiKey']);
        const token = await issueAccessToken(keys, config, {
          sub: key._id.toString(),
          kind: 'partner',
          porg: key.organizationId.toString(),
          scp: key.scopes,
        });
        return { ...token, refreshToken: null, user: null, userErrors: [] };
      },

      createCustomerOrganization: async (_: unknown, { input }: { input: unknown }, ctx: Ctx) => {
        const partner = requirePartner(ctx, 'customers:write');
        const partnerOrg = await models.Organization.findById(partner.partnerOrganizationId, { status: 1 }).lean();
        if (partnerOrg?.status !== 'ACTIVE') return failure(ctx.locale, 'ACCOUNT_SUSPENDED', null);
        const parsed = referredCustomerInput.safeParse(input);
        if (!parsed.success) return invalidInput(parsed.error, ctx.locale);
        const data = parsed.data;
        const organization = await createPendingOrganization(models, data, {
          reason: 'OPENED_BY_PARTNER',
          actor: `partner:${partner.keyId}`,
          referredByPartnerId: new Types.ObjectId(partner.partnerOrganizationId),
        });
        await sendInvitation(deps, {
          organizationId: organization._id,
          email: data.ownerEmail,
          role: 'OWNER',
          invitedBy: `partner:${partner.partnerOrganizationId}`,
          locale: data.locale ?? ctx.locale,
        });
        return { organization: withId(organization.toObject()), userErrors: [] };
      },
    },
  };
}
