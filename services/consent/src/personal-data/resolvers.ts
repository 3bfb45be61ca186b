import type { Client } from '@temporalio/client';
import { isValidObjectId } from 'mongoose';
import {
  canAccessOrganization,
  canAccessPerson,
  requireOperator,
  requireUser,
  userError,
  withId,
  type MemberRole,
  type OperatorRole,
  type SubgraphContext,
} from '@omurga/shared';
import { type DataInventoryEntry, TASK_QUEUES } from '@omurga/shared/contracts';
import type { ConsentLoaders } from '../loaders.ts';
import { t } from '../messages.ts';
import type { ConsentModels, DataSubjectRequestDoc } from '../models.ts';
import { exportView, startExport } from './exports.ts';
import type { PersonalDataExportDoc } from './models.ts';
import { erasureIdOfRequest } from './request-work.ts';
import { subjectKeys } from './subject-keys.ts';

type Ctx = SubgraphContext<ConsentLoaders>;

/**
 * CON-9: who may export an organisation's data and read its exports: its
 * owners and admins (also while it is suspended: access comes from membership,
 * not status), and DPO operators.
 */
export const ORGANIZATION_EXPORT_ACCESS = { roles: ['OWNER', 'ADMIN'] as readonly MemberRole[], operatorRoles: ['DPO'] as readonly OperatorRole[] };

const INVENTORY_TIMEOUT = '1 minute';

/** Queries and mutations of CON-5 (exports), CON-6 (destruction records), CON-7 (inventory, runs) and CON-9. */
export function personalDataResolvers(models: ConsentModels, temporal: Client) {
  const recordView = <T extends { _id: { toString(): string } }>(doc: T) => withId(doc);
  return {
    Query: {
      dataInventory: async (_: unknown, __: unknown, ctx: Ctx): Promise<DataInventoryEntry[]> => {
        requireOperator(ctx, 'DPO');
        return temporal.workflow.execute('dataInventoryWorkflow', {
          taskQueue: TASK_QUEUES.workflows,
          workflowId: `data-inventory/${crypto.randomUUID()}`,
          workflowExecutionTimeout: INVENTORY_TIMEOUT,
          args: [],
        });
      },
      destructionRecords: async (_: unknown, args: { subjectId?: string | null; first?: number | null }, ctx: Ctx) => {
        requireOperator(ctx, 'DPO');
        const filter = args.subjectId ? { subjectId: args.subjectId } : {};
        const docs = await models.DestructionRecord.find(filter).sort({ completedAt: -1 }).limit(Math.min(Math.max(args.first ?? 50, 1), 200)).lean();
        return docs.map(recordView);
      },
      destructionRuns: async (_: unknown, args: { first?: number | null }, ctx: Ctx) => {
        requireOperator(ctx, 'DPO');
        const docs = await models.DestructionRun.find().sort({ startedAt: -1 }).limit(Math.min(Math.max(args.first ?? 20, 1), 200)).lean();
        return docs.map(recordView);
      },
      dataExport: async (_: unknown, { id }: { id: string }, ctx: Ctx) => {
        const doc = isValidObjectId(id) ? await models.PersonalDataExport.findById(id).lean<PersonalDataExportDoc>() : null;
        return doc && mayDownloadExport(ctx, doc) ? exportView(doc) : null;
      },
    },
    Mutation: {
      requestOrganizationExport: async (_: unknown, { organizationId }: { organizationId: string }, ctx: Ctx) => {
        const { userId } = requireUser(ctx);
        // Someone outside the organisation learns nothing, not even that it exists.
        if (!canAccessOrganization(ctx, organizationId, ORGANIZATION_EXPORT_ACCESS)) {
          return { export: null, userErrors: [userError(t, ctx.locale, 'ORGANIZATION_NOT_FOUND', ['organizationId'])] };
        }
        const doc = await startExport(models, temporal, { subject: { kind: 'ORGANIZATION', organizationId }, requestedBy: userId, now: new Date() });
        return { export: exportView(doc), userErrors: [] };
      },
    },
    Organization: {
      dataExports: async ({ id }: { id: string }, _: unknown, ctx: Ctx) => {
        if (!canAccessOrganization(ctx, id, ORGANIZATION_EXPORT_ACCESS)) return [];
        const docs = await models.PersonalDataExport.find({ subjectKind: 'ORGANIZATION', subjectId: id }).sort({ _id: -1 }).limit(20).lean<PersonalDataExportDoc[]>();
        return docs.map(exportView);
      },
    },
    LegalAcceptance: {
      ip: (acceptance: { userId: string; ip?: string | null }) => subjectKeys(models).open(acceptance.userId, acceptance.ip ?? null),
      userAgent: (acceptance: { userId: string; userAgent?: string | null }) => subjectKeys(models).open(acceptance.userId, acceptance.userAgent ?? null),
    },
    DataSubjectRequest: {
      details: (request: DataSubjectRequestDoc) => subjectKeys(models).open(request.userId, request.details ?? null),
      export: async (request: DataSubjectRequestDoc & { id: string }) => {
        if (request.kind !== 'ACCESS') return null;
        const doc = await models.PersonalDataExport.findOne({ requestId: request.id }).lean<PersonalDataExportDoc>();
        return doc && exportView(doc);
      },
      destructionRecord: async (request: DataSubjectRequestDoc & { id: string }) => {
        if (request.kind !== 'ERASURE') return null;
        const doc = await models.DestructionRecord.findOne({ erasureId: erasureIdOfRequest(request.id) }).lean();
        return doc && recordView(doc);
      },
    },
  };
}

/** A person's export: that person and DPOs. An organisation's: its owners and admins now (not whoever asked), and DPOs. */
export function mayDownloadExport(ctx: Pick<Ctx, 'principal'>, doc: PersonalDataExportDoc): boolean {
  const context = ctx as Ctx;
  if (doc.subjectKind === 'PERSON') return canAccessPerson(context, doc.subjectId, ['DPO']);
  return canAccessOrganization(context, doc.subjectId, ORGANIZATION_EXPORT_ACCESS);
}
