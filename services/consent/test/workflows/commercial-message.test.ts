import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { commercialMessageWorkflowId, type CommercialDeliveryOutcome, type CommercialMessageActivities, type CommercialMessageInput } from '../../src/workflows/contracts/commercial.ts';
import { createTimeSkippingEnvironment, recordingActivities } from '@omurga/workflows/testing';
import type { commercialMessageWorkflow } from '../../src/workflows/commercial-message.ts';
import { withConsentWorkers } from './consent-workers.ts';
import { contactOf, fakeContactActivities } from './terms-workers.ts';

const QUEUE = 'test-commercial-workflows';
const WORKFLOWS_PATH = fileURLToPath(new URL('../../src/workflows/commercial-message.ts', import.meta.url));

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await createTimeSkippingEnvironment();
});
afterAll(async () => {
  await env?.teardown();
});

/**
 * A recording stand-in for consent's commercial-message activities:
 * `consenting` served `pageSize` at a time (cursor = index); sendCommercialEmail
 * answers SKIPPED/NO_ADDRESS without an address, SKIPPED/NO_CONSENT for the
 * `withdrawn` IDs (a withdrawal after listing), SENT otherwise.
 */
function fakeCommercialActivities(consenting: string[], pageSize: number, withdrawn: readonly string[] = []) {
  return recordingActivities<CommercialMessageActivities>({
    async recordCommercialCampaign() {},
    async listConsentingRecipients({ cursor, limit }) {
      const from = cursor === null ? 0 : Number(cursor);
      const to = Math.min(consenting.length, from + Math.min(pageSize, limit));
      return { userIds: consenting.slice(from, to), nextCursor: to < consenting.length ? String(to) : null };
    },
    async sendCommercialEmail({ userId, to }): Promise<CommercialDeliveryOutcome> {
      if (withdrawn.includes(userId)) return { status: 'SKIPPED', reason: 'NO_CONSENT' };
      if (!to) return { status: 'SKIPPED', reason: 'NO_ADDRESS' };
      return { status: 'SENT', reason: null };
    },
  });
}

function campaign(campaignId: string, extra: Partial<CommercialMessageInput> = {}): CommercialMessageInput {
  return {
    campaignId,
    channel: 'EMAIL',
    purpose: 'marketing',
    subject: { tr: 'Yeni özellikler', en: 'New features' },
    body: { tr: 'Merhaba!', en: 'Hello!' },
    requestedBy: 'operator-1',
    ...extra,
  };
}

async function run(input: CommercialMessageInput, activities: CommercialMessageActivities, contacts = fakeContactActivities().activities) {
  return withConsentWorkers(
    env,
    activities,
    async () => {
      const handle = await env.client.workflow.start<typeof commercialMessageWorkflow>('commercialMessageWorkflow', {
        taskQueue: QUEUE,
        workflowId: commercialMessageWorkflowId(input.campaignId),
        args: [input],
      });
      const result = await handle.result();
      const { runId } = await env.client.workflow.getHandle(commercialMessageWorkflowId(input.campaignId)).describe();
      return { result, firstRunId: handle.firstExecutionRunId, lastRunId: runId };
    },
    WORKFLOWS_PATH,
    QUEUE,
    contacts,
  );
}

const sendInputs = (calls: { input: unknown }[]) =>
  calls.map((c) => c.input as { campaignId: string; userId: string; to: unknown }).sort((a, b) => a.userId.localeCompare(b.userId));

describe('commercialMessageWorkflow (CON-3: commercial messages only to consenting people, each once)', () => {
  it('CON-3: records the campaign once, pages through the consenting people across continue-as-new runs, and sends each one the campaign at the address accounts gives', async () => {
    const recipients = ['user-1', 'user-2', 'user-3', 'user-4', 'user-5-en'];
    const commercial = fakeCommercialActivities(recipients, 2);
    const contacts = fakeContactActivities();

    const { result, firstRunId, lastRunId } = await run(campaign('c-paged', { pagesPerRun: 1 }), commercial.activities, contacts.activities);

    expect(result).toEqual({ sent: 5, skipped: 0 });
    expect(lastRunId).not.toBe(firstRunId);
    // The campaign is recorded by the first run only; later runs carry the cursor.
    expect(commercial.callsOf('recordCommercialCampaign').map((c) => c.input)).toEqual([
      { campaignId: 'c-paged', channel: 'EMAIL', purpose: 'marketing', subject: { tr: 'Yeni özellikler', en: 'New features' }, body: { tr: 'Merhaba!', en: 'Hello!' }, requestedBy: 'operator-1' },
    ]);
    const listings = commercial.callsOf('listConsentingRecipients').map((c) => c.input as { cursor: string | null; channel: string; purpose: string });
    expect(listings.map((l) => l.cursor)).toEqual([null, '2', '4']);
    expect(listings.every((l) => l.channel === 'EMAIL' && l.purpose === 'marketing')).toBe(true);
    // Each person: one contact look-up, one send, with that person's address.
    expect(contacts.callsOf('userContact').map((c) => (c.input as { userId: string }).userId).sort()).toEqual(recipients);
    expect(sendInputs(commercial.callsOf('sendCommercialEmail'))).toEqual(recipients.map((userId) => ({ campaignId: 'c-paged', userId, to: contactOf(userId) })));
  });

  it('CON-3: an erased person (no address) and one who withdrew after listing are handed to the sender, which skips them; they count as skipped', async () => {
    const commercial = fakeCommercialActivities(['user-a', 'user-erased', 'user-withdrew'], 100, ['user-withdrew']);
    const contacts = fakeContactActivities(['user-erased']);

    const { result } = await run(campaign('c-skips'), commercial.activities, contacts.activities);

    expect(result).toEqual({ sent: 1, skipped: 2 });
    expect(sendInputs(commercial.callsOf('sendCommercialEmail'))).toEqual([
      { campaignId: 'c-skips', userId: 'user-a', to: contactOf('user-a') },
      { campaignId: 'c-skips', userId: 'user-erased', to: null },
      { campaignId: 'c-skips', userId: 'user-withdrew', to: contactOf('user-withdrew') },
    ]);
  });

  it('CON-3: nobody consenting sends nothing', async () => {
    const commercial = fakeCommercialActivities([], 100);
    const { result } = await run(campaign('c-empty'), commercial.activities);
    expect(result).toEqual({ sent: 0, skipped: 0 });
    expect(commercial.callsOf('listConsentingRecipients')).toHaveLength(1);
    expect(commercial.callsOf('sendCommercialEmail')).toHaveLength(0);
  });
});
