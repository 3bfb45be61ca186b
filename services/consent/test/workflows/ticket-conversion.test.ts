import { fileURLToPath } from 'node:url';
import { ApplicationFailure } from '@temporalio/activity';
import { WorkflowFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONVERTED_TICKET_NOT_FOUND, ticketToDataSubjectRequestWorkflowId, type TicketConversionSupportActivities, type TicketToDataSubjectRequestInput, TASK_QUEUES } from '@omurga/shared/contracts';
import type { TicketConversionConsentActivities } from '../../src/workflows/contracts/requests.ts';
import { WORKFLOW_BUNDLER_OPTIONS, createTimeSkippingEnvironment, recordingActivities } from '@omurga/workflows/testing';
import type { ticketToDataSubjectRequestWorkflow } from '../../src/workflows/ticket-conversion.ts';

const QUEUE = 'test-ticket-conversion';
const workflowsPath = fileURLToPath(new URL('../../src/workflows/ticket-conversion.ts', import.meta.url));

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await createTimeSkippingEnvironment();
});
afterAll(async () => {
  await env?.teardown();
});

type ConversionActivities = TicketConversionConsentActivities & TicketConversionSupportActivities;

/**
 * Consent and support in one recording, so the order of the calls shows.
 * `consentFailures` first attempts of consent fail (consent briefly away);
 * `missingTickets` are tickets support no longer has.
 */
function fakeServices({ consentFailures = 0, missingTickets = [] as string[] } = {}) {
  let failed = 0;
  return recordingActivities<ConversionActivities>({
    async createDataSubjectRequestFromTicket({ ticketId }) {
      if (failed < consentFailures) {
        failed++;
        throw new Error('consent database unavailable');
      }
      return { requestId: `dsr-of-${ticketId}` };
    },
    async linkTicketToDataSubjectRequest({ ticketId }) {
      if (missingTickets.includes(ticketId)) throw ApplicationFailure.nonRetryable(`ticket ${ticketId} not found`, CONVERTED_TICKET_NOT_FOUND);
    },
  });
}

async function withWorkers<T>(activities: ConversionActivities, body: () => Promise<T>): Promise<T> {
  const workflowWorker = await Worker.create({ connection: env.nativeConnection, taskQueue: QUEUE, workflowsPath, bundlerOptions: WORKFLOW_BUNDLER_OPTIONS });
  const consentWorker = await Worker.create({ connection: env.nativeConnection, taskQueue: TASK_QUEUES.consent, activities });
  const supportWorker = await Worker.create({ connection: env.nativeConnection, taskQueue: TASK_QUEUES.support, activities });
  return workflowWorker.runUntil(consentWorker.runUntil(supportWorker.runUntil(body)));
}

const conversion = (ticketId: string): TicketToDataSubjectRequestInput => ({
  ticketId,
  userId: 'user-1',
  kind: 'ACCESS',
  receivedAt: '2026-11-02T09:15:00.000Z',
  details: 'Support ticket DST-2026-000001: My data\n\n[2026-11-02T09:15:00.000Z] Customer:\nPlease send me my data.',
});

function run(input: TicketToDataSubjectRequestInput) {
  return env.client.workflow.execute<typeof ticketToDataSubjectRequestWorkflow>('ticketToDataSubjectRequestWorkflow', {
    taskQueue: QUEUE,
    workflowId: ticketToDataSubjectRequestWorkflowId(input.ticketId),
    args: [input],
  });
}

describe('ticketToDataSubjectRequestWorkflow (SUP-8: a ticket becomes a CON-5 request)', () => {
  it('SUP-8: consent records the request received when the ticket was opened, then support links the ticket to it', async () => {
    const services = fakeServices();
    const input = conversion('ticket-1');
    const outcome = await withWorkers(services.activities, () => run(input));
    expect(outcome).toEqual({ requestId: 'dsr-of-ticket-1' });
    expect(services.calls.map((c) => [c.activity, c.input])).toEqual([
      ['createDataSubjectRequestFromTicket', input],
      ['linkTicketToDataSubjectRequest', { ticketId: 'ticket-1', requestId: 'dsr-of-ticket-1' }],
    ]);
    // The 30-day clock runs from the ticket's arrival, not from the conversion.
    expect((services.calls[0]!.input as TicketToDataSubjectRequestInput).receivedAt).toBe('2026-11-02T09:15:00.000Z');
  });

  it('SUP-8: while consent is away the request is retried, and the ticket is linked once it is recorded', async () => {
    const services = fakeServices({ consentFailures: 2 });
    const input = conversion('ticket-2');
    const outcome = await withWorkers(services.activities, () => run(input));
    expect(outcome).toEqual({ requestId: 'dsr-of-ticket-2' });
    expect(services.callsOf('createDataSubjectRequestFromTicket').map((c) => c.input)).toEqual([input, input, input]);
    expect(services.callsOf('linkTicketToDataSubjectRequest').map((c) => c.input)).toEqual([{ ticketId: 'ticket-2', requestId: 'dsr-of-ticket-2' }]);
    expect(services.calls.at(-1)!.activity).toBe('linkTicketToDataSubjectRequest');
  });

  it('SUP-8: a ticket that vanished fails the link at once, without retries (the request stays with consent)', async () => {
    const services = fakeServices({ missingTickets: ['ticket-3'] });
    const failure = await withWorkers(services.activities, () => run(conversion('ticket-3')).catch((e: unknown) => e));
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const cause = (failure as WorkflowFailedError).cause?.cause;
    expect((cause as ApplicationFailure).type).toBe(CONVERTED_TICKET_NOT_FOUND);
    expect(services.callsOf('linkTicketToDataSubjectRequest')).toHaveLength(1);
    expect(services.callsOf('createDataSubjectRequestFromTicket')).toHaveLength(1);
  });

  it('SUP-8: the workflow ID names the ticket, so a ticket is converted once', () => {
    expect(ticketToDataSubjectRequestWorkflowId('t1')).toBe('ticket-to-dsr/t1');
  });
});
