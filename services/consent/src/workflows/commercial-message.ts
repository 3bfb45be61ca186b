import { continueAsNew, proxyActivities, workflowInfo } from '@temporalio/workflow';
import { type UserContactActivities, TASK_QUEUES } from '@omurga/shared/contracts';
import { COMMERCIAL_CAMPAIGN_NOT_FOUND, type CommercialMessageActivities, type CommercialMessageInput, type CommercialMessageResult } from './contracts/commercial.ts';

const RETRY = { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' } as const;

/** No maximumAttempts: a campaign waits out a consent or accounts outage instead of losing recipients. */
const commercial = proxyActivities<CommercialMessageActivities>({
  taskQueue: TASK_QUEUES.consent,
  startToCloseTimeout: '30 seconds',
  retry: { ...RETRY, nonRetryableErrorTypes: [COMMERCIAL_CAMPAIGN_NOT_FOUND] },
});

const { userContact } = proxyActivities<UserContactActivities>({
  taskQueue: TASK_QUEUES.accounts,
  startToCloseTimeout: '30 seconds',
  retry: RETRY,
});

/** IDs asked of listConsentingRecipients per page. */
export const COMMERCIAL_MESSAGE_PAGE_SIZE = 100;
/** At most this many recipients are handled at once. */
const MAX_CONCURRENT = 50;
/** About 620 history events a page (two activities a recipient), so a run stays near 6 200 events. */
const DEFAULT_PAGES_PER_RUN = 10;

/**
 * CON-3: sends a commercial e-mail campaign to everyone whose consent for its
 * channel and purpose is granted. Started with ID
 * commercialMessageWorkflowId(campaignId). The consent service checks the
 * consent again right before each message (a withdrawal after listing still
 * counts), appends the unsubscribe link and records the delivery or skip;
 * the contact comes from accounts (null for erased people, who are skipped).
 * History stays bounded: the workflow continues as new every `pagesPerRun`
 * pages, carrying only the cursor and counts.
 */
export async function commercialMessageWorkflow(input: CommercialMessageInput): Promise<CommercialMessageResult> {
  const { campaignId, channel, purpose, carried } = input;
  const pagesPerRun = Math.max(1, input.pagesPerRun ?? DEFAULT_PAGES_PER_RUN);
  let cursor = carried?.cursor ?? null;
  let sent = carried?.sent ?? 0;
  let skipped = carried?.skipped ?? 0;

  if (!carried) {
    const { pagesPerRun: _pages, carried: _carried, ...campaign } = input;
    await commercial.recordCommercialCampaign(campaign);
  }

  let pages = 0;
  do {
    if (pages >= pagesPerRun || (pages > 0 && workflowInfo().continueAsNewSuggested)) {
      return continueAsNew<typeof commercialMessageWorkflow>({ ...input, carried: { cursor, sent, skipped } });
    }
    const page = await commercial.listConsentingRecipients({ campaignId, channel, purpose, cursor, limit: COMMERCIAL_MESSAGE_PAGE_SIZE });
    for (let i = 0; i < page.userIds.length; i += MAX_CONCURRENT) {
      const outcomes = await Promise.all(
        page.userIds.slice(i, i + MAX_CONCURRENT).map(async (userId) => {
          const to = await userContact({ userId });
          return commercial.sendCommercialEmail({ campaignId, userId, to });
        }),
      );
      for (const outcome of outcomes) {
        if (outcome.status === 'SENT') sent++;
        else skipped++;
      }
    }
    cursor = page.nextCursor;
    pages++;
  } while (cursor !== null);

  return { sent, skipped };
}
