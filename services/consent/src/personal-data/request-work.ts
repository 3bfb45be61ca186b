import type { Client } from '@temporalio/client';
import { personalDataErasureWorkflowId, type PersonalDataErasureInput } from '@omurga/shared/contracts';
import { startWorkflowOnce } from '@omurga/shared/temporal';
import type { ConsentModels, DataSubjectRequestDoc } from '../models.ts';
import { startExport } from './exports.ts';

/**
 * The work behind a data-subject request once a DPO starts it (CON-5, CON-6):
 * an ACCESS request gets an export of the person's data from every service,
 * an ERASURE request erases the person everywhere and leaves a destruction
 * record. Both are workflows; their IDs derive from the request, so starting
 * twice starts once.
 */
export const erasureIdOfRequest = (requestId: string) => `dsr/${requestId}`;

export async function startRequestWork(models: ConsentModels, temporal: Client, request: DataSubjectRequestDoc, now = new Date()): Promise<void> {
  const requestId = request._id.toString();
  if (request.kind === 'ACCESS') {
    if (await models.PersonalDataExport.exists({ requestId })) return;
    await startExport(models, temporal, { subject: { kind: 'PERSON', userId: request.userId }, requestedBy: request.userId, requestId, now });
  } else if (request.kind === 'ERASURE') {
    const input: PersonalDataErasureInput = {
      erasureId: erasureIdOfRequest(requestId),
      subject: { kind: 'PERSON', userId: request.userId },
      reason: 'DATA_SUBJECT_REQUEST',
      requestId,
    };
    await startWorkflowOnce(temporal, 'personalDataErasureWorkflow', { workflowId: personalDataErasureWorkflowId(input.erasureId), args: [input] });
  }
}

/** An ACCESS answer is its export and an ERASURE answer its destruction record: neither is answered before they exist. */
export async function requestResultReady(models: ConsentModels, request: DataSubjectRequestDoc): Promise<boolean> {
  const requestId = request._id.toString();
  // A FAILED export is a result too: the DPO answers the person another way.
  if (request.kind === 'ACCESS') return (await models.PersonalDataExport.exists({ requestId, status: { $in: ['READY', 'FAILED'] } })) !== null;
  if (request.kind === 'ERASURE') return (await models.DestructionRecord.exists({ erasureId: erasureIdOfRequest(requestId) })) !== null;
  return true;
}
