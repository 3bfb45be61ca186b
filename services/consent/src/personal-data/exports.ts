import type { Client } from '@temporalio/client';
import { TASK_QUEUES, personalDataExportWorkflowId, type PersonalDataExportInput } from '@omurga/shared/contracts';
import type { ConsentModels } from '../models.ts';
import type { PersonalDataExportDoc } from './models.ts';

/** How long a prepared export can be downloaded before periodic destruction removes it. */
export const EXPORT_DAYS = 30;

/** Relative to the gateway, which proxies it to the consent service. */
export const exportDownloadPath = (exportId: string) => `/exports/${exportId}`;

/**
 * Creates an export record (PREPARING) and starts the workflow that assembles
 * it from every service (CON-5 ACCESS, CON-9). Returns the record.
 */
export async function startExport(
  models: ConsentModels,
  temporal: Client,
  input: { subject: PersonalDataExportInput['subject']; requestedBy: string; requestId?: string | null; now: Date },
): Promise<PersonalDataExportDoc> {
  const created = await models.PersonalDataExport.create({
    subjectKind: input.subject.kind,
    subjectId: input.subject.kind === 'PERSON' ? input.subject.userId : input.subject.organizationId,
    requestedBy: input.requestedBy,
    requestId: input.requestId ?? null,
    status: 'PREPARING',
    expiresAt: new Date(input.now.getTime() + EXPORT_DAYS * 86_400_000),
  });
  const exportId = created._id.toString();
  const workflowInput: PersonalDataExportInput = { exportId, subject: input.subject };
  try {
    await temporal.workflow.start('personalDataExportWorkflow', {
      taskQueue: TASK_QUEUES.workflows,
      workflowId: personalDataExportWorkflowId(exportId),
      args: [workflowInput],
    });
  } catch (error) {
    await models.PersonalDataExport.deleteOne({ _id: created._id }); // nobody would ever fill it
    throw error;
  }
  return created.toObject() as PersonalDataExportDoc;
}

export const exportView = (doc: PersonalDataExportDoc) => ({
  id: doc._id.toString(),
  subjectKind: doc.subjectKind,
  status: doc.status,
  services: doc.services,
  createdAt: (doc as { createdAt?: Date }).createdAt ?? doc.expiresAt,
  readyAt: doc.readyAt,
  expiresAt: doc.expiresAt,
  downloadUrl: doc.status === 'READY' ? exportDownloadPath(doc._id.toString()) : null,
});
