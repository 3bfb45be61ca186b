import { proxyActivities } from '@temporalio/workflow';
import { LEGAL_DOCUMENT_VERSION_UNKNOWN, type LegalAcceptanceActivities, type RecordLegalAcceptancesInput, TASK_QUEUES } from '@omurga/shared/contracts';

/** No maximumAttempts: an acceptance must reach consent's ledger however long consent is away. */
const { recordLegalAcceptances } = proxyActivities<LegalAcceptanceActivities>({
  taskQueue: TASK_QUEUES.consent,
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '10 minutes',
    nonRetryableErrorTypes: [LEGAL_DOCUMENT_VERSION_UNKNOWN],
  },
});

/**
 * CON-2: hands the legal documents a person accepted in accounts (sign-up,
 * invitation) to consent's append-only acceptance records. Started with ID
 * legalAcceptancesWorkflowId(userId, versionsKey), so the same acceptance is
 * handed over once; the activity itself is idempotent too.
 */
export async function recordLegalAcceptancesWorkflow(input: RecordLegalAcceptancesInput): Promise<{ recorded: number }> {
  return recordLegalAcceptances(input);
}
