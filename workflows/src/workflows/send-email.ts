import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { MailActivities } from '../activities/mail.ts';
import type { EmailMessage } from '@omurga/shared/temporal';

const { deliverEmail } = proxyActivities<MailActivities>({
  startToCloseTimeout: '30 seconds',
  // SMTP outages are retried for a day with backoff; a message is never dropped silently.
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '30 minutes', maximumAttempts: 60 },
});

/**
 * Durable e-mail delivery. Started with ID `email/<key>`, so sending the same
 * message twice is a no-op; the Message-ID is derived from the workflow ID.
 */
export async function sendEmailWorkflow(message: EmailMessage): Promise<{ messageId: string }> {
  return deliverEmail({ ...message, messageId: `<${workflowInfo().workflowId.replaceAll('/', '.')}@omurga>` });
}
