import { fileURLToPath } from 'node:url';
import { ApplicationFailure } from '@temporalio/activity';
import { WorkflowFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEGAL_DOCUMENT_VERSION_UNKNOWN, legalAcceptancesWorkflowId, type LegalAcceptanceActivities, type RecordLegalAcceptancesInput } from '@omurga/shared/contracts';
import { createTimeSkippingEnvironment, recordingActivities } from '@omurga/workflows/testing';
import type { recordLegalAcceptancesWorkflow } from '../../src/workflows/legal-acceptances.ts';
import { withConsentWorkers } from './consent-workers.ts';

const QUEUE = 'test-legal-acceptances';
const workflowsPath = fileURLToPath(new URL('../../src/workflows/legal-acceptances.ts', import.meta.url));

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await createTimeSkippingEnvironment();
});
afterAll(async () => {
  await env?.teardown();
});

const KNOWN = new Set(['v-agreement', 'v-notice']);

/** consent's recordLegalAcceptances: unknown versions fail for good; the first attempt of `flaky` fails once (consent briefly away). */
function fakeConsent(flaky = false) {
  let failedOnce = false;
  return recordingActivities<LegalAcceptanceActivities>({
    async recordLegalAcceptances(input) {
      if (flaky && !failedOnce) {
        failedOnce = true;
        throw new Error('consent database unavailable');
      }
      if (!input.documentVersionIds.every((id) => KNOWN.has(id))) throw ApplicationFailure.nonRetryable('unknown version', LEGAL_DOCUMENT_VERSION_UNKNOWN);
      return { recorded: input.documentVersionIds.length };
    },
  });
}

const acceptance = (userId: string, documentVersionIds: string[]): RecordLegalAcceptancesInput => ({
  userId,
  organizationId: 'org-1',
  documentVersionIds,
  method: 'CHECKBOX',
  acceptedAt: '2026-11-21T10:00:00.000Z',
  ip: '198.51.100.7',
  userAgent: 'e2e/1.0',
});

function run(input: RecordLegalAcceptancesInput) {
  return env.client.workflow.execute<typeof recordLegalAcceptancesWorkflow>('recordLegalAcceptancesWorkflow', {
    taskQueue: QUEUE,
    workflowId: legalAcceptancesWorkflowId(input.userId, '0123456789abcdef'),
    args: [input],
  });
}

describe('recordLegalAcceptancesWorkflow (CON-2: accounts hands acceptances to consent)', () => {
  it('CON-2: passes the acceptance through unchanged, retrying while consent is away', async () => {
    const consent = fakeConsent(true);
    const input = acceptance('user-1', ['v-agreement', 'v-notice']);
    const result = await withConsentWorkers(env, consent.activities, () => run(input), workflowsPath, QUEUE);
    expect(result).toEqual({ recorded: 2 });
    expect(consent.callsOf('recordLegalAcceptances').map((c) => c.input)).toEqual([input, input]);
  });

  it('CON-2: an unknown version fails the hand-over at once, without retries', async () => {
    const consent = fakeConsent();
    const failure = await withConsentWorkers(env, consent.activities, () => run(acceptance('user-2', ['v-agreement', 'v-forged'])).catch((e: unknown) => e), workflowsPath, QUEUE);
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const cause = (failure as WorkflowFailedError).cause?.cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect((cause as ApplicationFailure).type).toBe(LEGAL_DOCUMENT_VERSION_UNKNOWN);
    expect(consent.callsOf('recordLegalAcceptances')).toHaveLength(1);
  });

  it('CON-2: the workflow ID names the person and the accepted versions', () => {
    expect(legalAcceptancesWorkflowId('u1', 'abcdef0123456789')).toBe('legal-acceptances/u1/abcdef0123456789');
  });
});
