import { Types } from 'mongoose';
import { decodeCursor, pageSize, requireOperator, toConnection, withId, type PageArgs } from '@omurga/shared';
import type { AccountsDeps, Ctx } from '../deps.ts';
import type { OrganizationDoc, UserDoc } from '../models.ts';
import { normalizeNationalId, normalizeTaxId } from '../turkish-identity.ts';

interface SearchArgs extends PageArgs {
  query?: string | null;
  status?: string | null;
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * What an operator typed, as a filter on organisations: an e-mail finds the
 * organisations its person belongs to, a valid VKN or TCKN its holder, a
 * customer code its organisation, anything else a part of the name.
 */
async function filterFor(deps: AccountsDeps, query: string): Promise<Record<string, unknown>> {
  const { models } = deps;
  if (query.includes('@')) {
    const user = await models.User.findOne({ email: query.toLowerCase() }, { _id: 1 }).lean<Pick<UserDoc, '_id'>>();
    if (!user) return { _id: { $in: [] } };
    const memberships = await models.Membership.find({ userId: user._id }, { organizationId: 1 }).lean<{ organizationId: Types.ObjectId }[]>();
    return { _id: { $in: memberships.map((m) => m.organizationId) } };
  }
  const digits = query.replace(/\s/g, '');
  if (/^\d{10}$/.test(digits)) return { taxId: normalizeTaxId(digits) ?? digits };
  if (/^\d{11}$/.test(digits)) return { nationalId: normalizeNationalId(digits) ?? digits };
  if (/^MUS-/i.test(query)) return { customerCode: query.toUpperCase() };
  return { name: { $regex: escapeRegex(query), $options: 'i' } };
}

/** The back office's customer search (issue 14): any operator role, paginated by id. */
export function operatorSearchResolvers(deps: AccountsDeps) {
  return {
    Query: {
      operatorOrganizations: async (_: unknown, args: SearchArgs, ctx: Ctx) => {
        requireOperator(ctx);
        const size = pageSize(args, ctx.locale);
        const query = args.query?.trim().slice(0, 200) ?? '';
        const filter: Record<string, unknown> = query ? await filterFor(deps, query) : {};
        if (args.status) filter.status = args.status;
        if (args.after) filter._id = { ...(filter._id as object), $lt: new Types.ObjectId(decodeCursor(args.after, ctx.locale)) };
        const rows = await deps.models.Organization.find(filter).sort({ _id: -1 }).limit(size + 1).lean<OrganizationDoc[]>();
        return toConnection(rows.map(withId), size, (row) => row.id);
      },
    },
    Organization: {
      /** operators only: the tax identity the search matched (partners and members see their own elsewhere) */
      taxId: (org: OrganizationDoc, _: unknown, ctx: Ctx) => (ctx.principal.kind === 'operator' ? org.taxId : null),
      nationalId: (org: OrganizationDoc, _: unknown, ctx: Ctx) => (ctx.principal.kind === 'operator' ? org.nationalId : null),
      createdAt: (org: OrganizationDoc & { createdAt?: Date }) => org.createdAt ?? null,
      referredByPartnerId: (org: OrganizationDoc) => org.referredByPartnerId?.toString() ?? null,
    },
  };
}
