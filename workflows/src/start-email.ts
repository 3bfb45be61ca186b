import type { Client } from '@temporalio/client';
import { emailWorkflowId, type EmailMessage } from './email.ts';
import { TASK_QUEUES } from './task-queues.ts';

/**
 * Hands one e-mail to the durable sendEmailWorkflow under ID email/<key>. An
 * existing run with that ID (running, or completed: the message went out)
 * makes this a no-op, so a retried caller never sends twice; only a failed run
 * may be started again. Other errors are thrown: a caller inside an activity
 * is retried and the e-mail is not lost.
 */
export async function startEmailWorkflow(client: Client, key: string, message: EmailMessage): Promise<'STARTED' | 'ALREADY_STARTED'> {
  try {
    await client.workflow.start('sendEmailWorkflow', {
      taskQueue: TASK_QUEUES.workflows,
      workflowId: emailWorkflowId(key),
      workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
      args: [message],
    });
    return 'STARTED';
  } catch (error) {
    if ((error as Error).name === 'WorkflowExecutionAlreadyStartedError') return 'ALREADY_STARTED';
    throw error;
  }
}
