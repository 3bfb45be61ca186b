import type { Client, WorkflowStartOptions } from '@temporalio/client';
import type { Workflow } from '@temporalio/common';
import { emailWorkflowId, type EmailMessage } from './email.ts';
import { TASK_QUEUES } from '../contracts/task-queues.ts';

/**
 * Starts a workflow by name unless one with its ID already exists (running, or
 * closed under the reuse policy given): workflow IDs are deterministic, so a
 * retried caller starts it once. Other errors are thrown, so a caller inside an
 * activity is retried and nothing is lost.
 */
export async function startWorkflowOnce(
  client: Client,
  workflowType: string,
  options: Omit<WorkflowStartOptions<Workflow>, 'taskQueue'> & { taskQueue?: string },
): Promise<'STARTED' | 'ALREADY_STARTED'> {
  try {
    await client.workflow.start(workflowType, { taskQueue: TASK_QUEUES.workflows, ...options } as WorkflowStartOptions<Workflow>);
    return 'STARTED';
  } catch (error) {
    if ((error as Error).name === 'WorkflowExecutionAlreadyStartedError') return 'ALREADY_STARTED';
    throw error;
  }
}

/**
 * Hands one e-mail to the durable sendEmailWorkflow under ID email/<key>. A
 * run that is going or completed (the message went out) makes this a no-op;
 * only a failed run may be started again.
 */
export function startEmailWorkflow(client: Client, key: string, message: EmailMessage): Promise<'STARTED' | 'ALREADY_STARTED'> {
  return startWorkflowOnce(client, 'sendEmailWorkflow', { workflowId: emailWorkflowId(key), workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY', args: [message] });
}
