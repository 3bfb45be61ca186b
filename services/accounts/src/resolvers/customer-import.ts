import { Types } from 'mongoose';
import { forbidden, isEntityId, requireAuthenticated, requireOperator, type Resolvers } from '@omurga/shared';
import { MAX_IMPORT_ROWS, importCustomers, type Importer } from '../customer-import.ts';
import type { AccountsDeps, Ctx } from '../deps.ts';
import { requirePartner } from './partners.ts';
import { failure } from './payloads.ts';

interface ImportArgs {
  input: { rows: unknown[]; inviteOwners?: boolean | null; referredByPartnerId?: string | null };
}

/** Issue 16: operators (SUPER_ADMIN, BILLING_ADMIN) and partners (customers:write) import customers in bulk. */
export function customerImportResolvers(deps: AccountsDeps): Resolvers {
  const { models } = deps;

  /** Who imports, or a userError code. */
  async function importerOf(ctx: Ctx, referredByPartnerId: string | null | undefined): Promise<Importer | { code: string; field: string[] | null }> {
    const principal = requireAuthenticated(ctx);
    if (principal.kind === 'partner') {
      requirePartner(ctx, 'customers:write');
      const partnerOrg = await models.Organization.findById(principal.partnerOrganizationId, { status: 1 }).lean();
      if (partnerOrg?.status !== 'ACTIVE') return { code: 'ACCOUNT_SUSPENDED', field: null };
      if (referredByPartnerId && referredByPartnerId !== principal.partnerOrganizationId) throw forbidden(ctx.locale);
      const partnerId = new Types.ObjectId(principal.partnerOrganizationId);
      return { scope: `partner:${principal.partnerOrganizationId}`, actor: `partner:${principal.partnerOrganizationId}`, referredByPartnerId: partnerId };
    }
    const operator = requireOperator(ctx, 'SUPER_ADMIN', 'BILLING_ADMIN');
    if (referredByPartnerId && !(isEntityId(referredByPartnerId) && (await models.Partner.exists({ organizationId: referredByPartnerId })))) {
      return { code: 'NOT_A_PARTNER', field: ['input', 'referredByPartnerId'] };
    }
    return { scope: 'operator', actor: `operator:${operator.userId}`, referredByPartnerId: referredByPartnerId ? new Types.ObjectId(referredByPartnerId) : null };
  }

  return {
    Mutation: {
      importCustomers: async (_: unknown, { input }: ImportArgs, ctx: Ctx) => {
        const importer = await importerOf(ctx, input.referredByPartnerId);
        if ('code' in importer) return { rows: [], ...failure(ctx.locale, importer.code, importer.field) };
        if (input.rows.length > MAX_IMPORT_ROWS) return { rows: [], ...failure(ctx.locale, 'TOO_MANY_ROWS', ['input', 'rows'], { max: MAX_IMPORT_ROWS }) };
        const rows = await importCustomers(deps, importer, input, ctx.locale);
        return { rows, userErrors: [] };
      },
    },
  };
}
