import { condition, defineQuery, defineSignal, setHandler, workflowInfo } from '@temporalio/workflow';
import { DOCUMENT_SIGNALS, type ChangeActor, type DocumentDeadlineInput } from '@omurga/shared/contracts';
import { accountsActivities, parseInstant } from '@omurga/shared/workflow';

export const documentsSubmittedSignal = defineSignal(DOCUMENT_SIGNALS.submitted);
export const documentRequestWithdrawnSignal = defineSignal(DOCUMENT_SIGNALS.withdrawn);

export interface DocumentRequestState {
  phase: 'WAITING' | 'SUSPENDED' | 'DONE';
  deadline: string;
}
export const documentRequestStateQuery = defineQuery<DocumentRequestState>('documentRequestState');

export type DocumentDeadlineOutcome = 'SUBMITTED' | 'WITHDRAWN' | 'SUBMITTED_LATE' | 'WITHDRAWN_LATE';

/**
 * ACC-7: an organisation asked for documents has until `deadline` to upload
 * them. If neither an upload nor a withdrawal arrives by then, the request is
 * expired and the organisation suspended for MISSING_DOCUMENTS until one does.
 * Started with ID documentRequestWorkflowId(requestId).
 */
export async function documentDeadlineWorkflow(input: DocumentDeadlineInput): Promise<{ outcome: DocumentDeadlineOutcome }> {
  const { requestId, organizationId, deadline } = input;
  const deadlineAt = parseInstant(deadline, 'deadline');
  let resolution: 'SUBMITTED' | 'WITHDRAWN' | undefined;
  let phase: DocumentRequestState['phase'] = 'WAITING';

  // The first signal wins: a withdrawal after an upload does not change the outcome.
  setHandler(documentsSubmittedSignal, () => {
    resolution ??= 'SUBMITTED';
  });
  setHandler(documentRequestWithdrawnSignal, () => {
    resolution ??= 'WITHDRAWN';
  });
  setHandler(documentRequestStateQuery, () => ({ phase, deadline }));

  // Workflow time (Date.now) is deterministic and, under test, the server's skipped clock.
  if (await condition(() => resolution !== undefined, Math.max(0, deadlineAt - Date.now()))) {
    phase = 'DONE';
    return { outcome: resolution! };
  }

  const actor: ChangeActor = { kind: 'workflow', id: workflowInfo().workflowId };
  await accountsActivities.expireDocumentRequest({ requestId });
  await accountsActivities.suspendOrganization({ organizationId, reason: 'MISSING_DOCUMENTS', actor });
  phase = 'SUSPENDED';

  await condition(() => resolution !== undefined);
  await accountsActivities.reinstateOrganization({ organizationId, reason: 'MISSING_DOCUMENTS', actor });
  phase = 'DONE';
  return { outcome: resolution === 'SUBMITTED' ? 'SUBMITTED_LATE' : 'WITHDRAWN_LATE' };
}
