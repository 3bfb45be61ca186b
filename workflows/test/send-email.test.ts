import { WORKFLOW_BUNDLE_ENTRY, WORKFLOW_BUNDLER_OPTIONS, createTimeSkippingEnvironment } from '@omurga/workflows/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { EmailMessage } from '@omurga/shared/temporal';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await createTimeSkippingEnvironment();
});
afterAll(async () => {
  await env?.teardown();
});

describe('sendEmailWorkflow', () => {
  it('keeps retrying through an SMTP outage (minutes of backoff, skipped) and delivers once', async () => {
    const attempts: { at: number; message: EmailMessage }[] = [];
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'test-email',
      workflowsPath: WORKFLOW_BUNDLE_ENTRY,
      bundlerOptions: WORKFLOW_BUNDLER_OPTIONS,
      activities: {
        // The SMTP server is down for the first five attempts.
        async deliverEmail(message: EmailMessage) {
          attempts.push({ at: Date.now(), message });
          if (attempts.length <= 5) throw new Error('ECONNREFUSED');
          return { messageId: message.messageId! };
        },
      },
    });
    const startedAt = await env.currentTimeMs();
    const result = await worker.runUntil(
      env.client.workflow.execute('sendEmailWorkflow', {
        taskQueue: 'test-email',
        workflowId: 'email/welcome-42',
        args: [{ to: 'ayse@example.com', subject: 'Hoş geldiniz', text: 'Merhaba' }],
      }),
    );
    expect(attempts).toHaveLength(6);
    expect(result).toEqual({ messageId: '<email.welcome-42@omurga>' });
    expect(attempts.every((a) => a.message.messageId === '<email.welcome-42@omurga>')).toBe(true);
    // 10 s, 20 s, 40 s, 80 s, 160 s of backoff passed on the server's clock, not the test's.
    expect((await env.currentTimeMs()) - startedAt).toBeGreaterThanOrEqual(310_000);
  });
});
