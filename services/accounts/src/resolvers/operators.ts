import { Types } from 'mongoose';
import { GraphQLError } from 'graphql';
import {
  ErrorCode,
  OPERATOR_ROLES,
  addTurkishBusinessDays,
  badUserInput,
  decodeCursor,
  isEntityId,
  pageSize,
  requireOperator,
  toConnection,
  withId,
  type Locale,
  type OperatorRole,
  type PageArgs,
  type Resolvers,
  isDuplicateKeyError,
} from '@omurga/shared';
import { SUSPENSION_REASONS, TASK_QUEUES, documentRequestWorkflowId, licensedResourceHoldWorkflowId, type DocumentDeadlineInput, type LicensedResourceHoldInput, type SuspensionReason } from '@omurga/shared/contracts';
import { startWorkflowOnce } from '@omurga/shared/temporal';
import { issueActionToken } from '../action-tokens.ts';
import { recordAudit } from '../audit.ts';
import { handStandingToBilling } from '../billing-standing.ts';
import { newPartnerCode, withUniqueCode } from '../customer-codes.ts';
import type { AccountsDeps, Ctx } from '../deps.ts';
import { emailAddress } from '../inputs.ts';
import { t } from '../messages.ts';
import { DOCUMENT_KINDS, type AuditEntryDoc, type OrganizationDoc } from '../models.ts';

type DocumentKind = (typeof DOCUMENT_KINDS)[number];
import { LifecycleError, changeOrganization, type OrganizationChange } from '../organization-lifecycle.ts';
import { failure } from './payloads.ts';

const DOCUMENT_DEADLINE_BUSINESS_DAYS = 3;
const DEFAULT_RESOURCE_HOLD_DAYS = 30;

function invalidTransition(locale: Locale) {
  return new GraphQLError(t('INVALID_TRANSITION', locale), { extensions: { code: ErrorCode.BAD_USER_INPUT } });
}

/** ACC-6, ACC-7, ACC-9, ACC-10: operator actions on customers, each written to the audit log. */
export function operatorResolvers(deps: AccountsDeps): Resolvers {
  const { models, temporal, outbox } = deps;

  /** Applies a lifecycle change as the signed-in operator, audited when it changed anything. */
  /** `note`: the operator's reason, kept with the audit entry when the change itself has no place for it. */
  async function operatorChange(ctx: Ctx, organizationId: string, change: OrganizationChange, action: string, operatorId: string, note?: string) {
    if (!isEntityId(organizationId)) throw badUserInput(ctx.locale, 'id');
    try {
      const actor = { kind: 'operator', id: operatorId } as const;
      const result = await changeOrganization(models, organizationId, change, actor);
      await handStandingToBilling(temporal, change, result, actor);
      const after = note ? { ...(result.after as object), note } : result.after;
      if (result.changed) await recordAudit(models, ctx, { action, targetType: 'Organization', targetId: organizationId, before: result.before, after });
      return withId(result.organization);
    } catch (error) {
      if (error instanceof LifecycleError) {
        if (error.code === 'OrganizationNotFound') throw badUserInput(ctx.locale, 'id');
        throw invalidTransition(ctx.locale);
      }
      throw error;
    }
  }

  return {
    Query: {
      operatorAuditLog: async (_: unknown, args: PageArgs & { targetId?: string | null }, ctx: Ctx) => {
        requireOperator(ctx, 'SUPER_ADMIN');
        const size = pageSize(args, ctx.locale);
        const filter: Record<string, unknown> = {};
        if (args.targetId) filter.targetId = args.targetId;
        if (args.after) filter._id = { $lt: decodeCursor(args.after, ctx.locale) };
        const rows = await models.AuditEntry.find(filter).sort({ _id: -1 }).limit(size + 1).lean<AuditEntryDoc[]>();
        return toConnection(
          rows.map((row) => ({
            ...withId(row),
            before: row.before == null ? null : JSON.stringify(row.before),
            after: row.after == null ? null : JSON.stringify(row.after),
          })),
          size,
          (row) => row.id,
        );
      },
    },
    Mutation: {
      suspendOrganization: async (_: unknown, args: { id: string; reason: string; note?: string | null }, ctx: Ctx) => {
        const operator = requireOperator(ctx, 'SUPPORT_AGENT', 'BILLING_ADMIN');
        const reason = args.reason.trim().toUpperCase().replaceAll(' ', '_') as SuspensionReason;
        if (!SUSPENSION_REASONS.includes(reason)) {
          throw new GraphQLError(t('INVALID_SUSPENSION_REASON', ctx.locale, { reasons: SUSPENSION_REASONS.join(', ') }), {
            extensions: { code: ErrorCode.BAD_USER_INPUT },
          });
        }
        const note = args.note?.trim().slice(0, 500) || null;
        return operatorChange(ctx, args.id, { type: 'suspend', reason, note }, 'suspendOrganization', operator.userId);
      },

      reinstateOrganization: async (_: unknown, args: { id: string; reason?: SuspensionReason | null; note?: string | null }, ctx: Ctx) => {
        const operator = requireOperator(ctx, 'SUPPORT_AGENT', 'BILLING_ADMIN');
        const change: OrganizationChange = args.reason ? { type: 'reinstate', reason: args.reason } : { type: 'reinstate' };
        return operatorChange(ctx, args.id, change, 'reinstateOrganization', operator.userId, args.note?.trim().slice(0, 500) || undefined);
      },

      terminateOrganization: async (_: unknown, args: { id: string; reason: string; resourceHoldDays?: number | null }, ctx: Ctx) => {
        const operator = requireOperator(ctx, 'SUPER_ADMIN');
        const reason = args.reason.trim().slice(0, 200);
        const holdDays = args.resourceHoldDays ?? DEFAULT_RESOURCE_HOLD_DAYS;
        if (!reason) throw badUserInput(ctx.locale, 'reason');
        if (!Number.isInteger(holdDays) || holdDays < 0 || holdDays > 3650) throw badUserInput(ctx.locale, 'resourceHoldDays');
        const organization = await operatorChange(ctx, args.id, { type: 'terminate', reason }, 'terminateOrganization', operator.userId);
        const input: LicensedResourceHoldInput = {
          organizationId: args.id,
          holdUntil: new Date(Date.now() + holdDays * 86_400_000).toISOString(),
        };
        await startWorkflowOnce(temporal, 'licensedResourceHoldWorkflow', {
          workflowId: licensedResourceHoldWorkflowId(args.id),
          args: [input],
          searchAttributes: { OrganizationId: [args.id], CustomerCode: [organization.customerCode] },
        });
        return organization;
      },

      requestDocuments: async (_: unknown, args: { organizationId: string; kinds: string[]; note?: string | null }, ctx: Ctx) => {
        const operator = requireOperator(ctx, 'SUPPORT_AGENT');
        const org = isEntityId(args.organizationId) ? await models.Organization.findById(args.organizationId).lean<OrganizationDoc>() : null;
        if (!org) throw badUserInput(ctx.locale, 'organizationId');
        const kinds = [...new Set(args.kinds)].filter((kind): kind is DocumentKind => (DOCUMENT_KINDS as readonly string[]).includes(kind));
        if (!kinds.length) return failure(ctx.locale, 'REQUIRED', ['kinds']);
        if (org.status === 'TERMINATED' || org.status === 'ERASED') throw invalidTransition(ctx.locale);
        const requestedAt = new Date();
        const deadline = addTurkishBusinessDays(requestedAt, DOCUMENT_DEADLINE_BUSINESS_DAYS);
        const note = args.note?.trim().slice(0, 1000) || null;
        const request = await models.DocumentRequest.create({
          organizationId: org._id,
          kinds,
          note,
          requestedBy: operator.userId,
          requestedAt,
          deadline,
          status: 'PENDING',
        });
        const requestId = request._id.toString();
        const input: DocumentDeadlineInput = { requestId, organizationId: args.organizationId, deadline: deadline.toISOString() };
        try {
          await temporal.workflow.start('documentDeadlineWorkflow', {
            taskQueue: TASK_QUEUES.workflows,
            workflowId: documentRequestWorkflowId(requestId),
            args: [input],
            searchAttributes: { OrganizationId: [args.organizationId], CustomerCode: [org.customerCode] },
          });
        } catch (error) {
          // No deadline without its workflow: the request is withdrawn and the operator sees the failure.
          await models.DocumentRequest.updateOne({ _id: request._id }, { $set: { status: 'WITHDRAWN' } });
          throw error;
        }
        await recordAudit(models, ctx, { action: 'requestDocuments', targetType: 'Organization', targetId: args.organizationId, after: { requestId, kinds, deadline } });
        const owners = await models.Membership.find({ organizationId: org._id, role: { $in: ['OWNER', 'ADMIN'] } }).lean();
        const people = await models.User.find({ _id: { $in: owners.map((m) => m.userId) } }).lean();
        await Promise.all(
          people.map((person) =>
            outbox.send('documentsRequested', `${requestId}/${person._id.toString()}`, person.email, person.locale, {
              organization: org.name,
              kinds: kinds.join(', '),
              note: note ?? '',
              deadline: deadline.toISOString(),
            }),
          ),
        );
        return { request: withId(request.toObject()), userErrors: [] };
      },

      approvePartner: async (_: unknown, { organizationId }: { organizationId: string }, ctx: Ctx) => {
        const operator = requireOperator(ctx, 'SUPER_ADMIN');
        const org = isEntityId(organizationId) ? await models.Organization.findById(organizationId).lean<OrganizationDoc>() : null;
        if (!org) throw badUserInput(ctx.locale, 'organizationId');
        if (org.partnerCode) return withId(org);
        const partnerCode = await withUniqueCode(newPartnerCode, async (code) => {
          await models.Partner.create({ _id: code, organizationId: org._id, approvedBy: operator.userId });
          return code;
        }).catch(async (error: { code?: number }) => {
          // Approved concurrently: the unique organisation index kept one code.
          if (!isDuplicateKeyError(error)) throw error;
          return (await models.Partner.findOne({ organizationId: org._id }).lean())!._id;
        });
        await models.Organization.updateOne({ _id: org._id }, { $set: { partnerCode } });
        await recordAudit(models, ctx, { action: 'approvePartner', targetType: 'Organization', targetId: organizationId, before: { partnerCode: null }, after: { partnerCode } });
        return withId({ ...org, partnerCode });
      },

      createOperator: async (_: unknown, { input }: { input: { email: string; firstName: string; lastName: string; roles: OperatorRole[] } }, ctx: Ctx) => {
        requireOperator(ctx, 'SUPER_ADMIN');
        const email = emailAddress.safeParse(input.email);
        if (!email.success) return failure(ctx.locale, 'INVALID_EMAIL', ['input', 'email']);
        const roles = [...new Set(input.roles)].filter((role) => OPERATOR_ROLES.includes(role));
        if (!roles.length) return failure(ctx.locale, 'REQUIRED', ['input', 'roles']);
        const firstName = input.firstName.trim();
        const lastName = input.lastName.trim();
        if (!firstName || !lastName) return failure(ctx.locale, 'REQUIRED', ['input', firstName ? 'lastName' : 'firstName']);
        let operatorId: Types.ObjectId;
        try {
          const created = await models.User.create({ email: email.data, firstName, lastName, operatorRoles: roles, locale: ctx.locale });
          operatorId = created._id;
        } catch (error) {
          if (isDuplicateKeyError(error)) return failure(ctx.locale, 'EMAIL_TAKEN', ['input', 'email']);
          throw error;
        }
        // The new operator sets a password through a reset link (3 days), so no one else ever knows it.
        const { token, id } = await issueActionToken(models, 'PASSWORD_RESET', { email: email.data, userId: operatorId, ttlMs: 3 * 86_400_000 });
        await outbox.send('setOperatorPassword', id, email.data, ctx.locale, { name: firstName, roles: roles.join(', '), link: outbox.link('/reset-password', token) });
        await recordAudit(models, ctx, { action: 'createOperator', targetType: 'User', targetId: operatorId.toString(), after: { email: email.data, roles } });
        const user = (await models.User.findById(operatorId).lean())!;
        return { user: withId(user), userErrors: [] };
      },
    },
  };
}
