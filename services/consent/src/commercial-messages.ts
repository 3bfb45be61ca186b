// CON-3 (ETK art. 6-8): commercial e-mail campaigns. An operator's campaign
// runs as commercialMessageWorkflow, which pages through the people whose
// current consent for the channel and purpose is a grant; just before each
// message the consent is read again, so a withdrawal takes effect at once.
// Every message ends with a signed unsubscribe link (and carries the RFC 8058
// one-click List-Unsubscribe headers); every delivery or skip is recorded once
// in commercial_message_deliveries.
import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { Client } from '@temporalio/client';
import {
  createTranslator,
  isDuplicateKeyError,
  isEntityId,
  requireOperator,
  userError,
  withId,
  type Resolvers,
  type SubgraphContext,
  type UserError,
} from '@omurga/shared';
import { COMMERCIAL_CAMPAIGN_NOT_FOUND, COMMERCIAL_PURPOSES, commercialMessageWorkflowId, type CommercialDeliveryOutcome, type CommercialMessageActivities, type CommercialMessageInput, type CommercialPurpose } from './workflows/contracts/commercial.ts';
import { TASK_QUEUES, type ContactAddress } from '@omurga/shared/contracts';
import { mayReceiveCommercialMessage } from './consent-ledger.ts';
import type { ConsentOutbox } from './emails.ts';
import type { ConsentLoaders } from './loaders.ts';
import type { CommercialCampaignDoc, CommercialMessageDeliveryDoc, ConsentModels } from './models.ts';
import { unsubscribeLink } from './unsubscribe.ts';

type Ctx = SubgraphContext<ConsentLoaders>;

export const SUBJECT_MAX = 200;
export const BODY_MAX = 20_000;

export const commercialMessageTexts = createTranslator({
  UNKNOWN_PURPOSE: {
    tr: 'Ticari ileti amacı şunlardan biri olmalıdır: {purposes}.',
    en: 'The purpose of a commercial message must be one of: {purposes}.',
  },
});

const isCommercialPurpose = (purpose: string): purpose is CommercialPurpose => (COMMERCIAL_PURPOSES as readonly string[]).includes(purpose);

// ── activities (consent's task queue) ─────────────────────────────────────────

export interface CommercialMessageDeps {
  models: ConsentModels;
  outbox: ConsentOutbox;
  /** the panel's address; unsubscribe links point at its /unsubscribe page */
  publicAppUrl: string;
}

export function commercialMessageActivities({ models, outbox, publicAppUrl }: CommercialMessageDeps): CommercialMessageActivities {
  async function requireCampaign(campaignId: string): Promise<CommercialCampaignDoc> {
    const campaign = await models.CommercialCampaign.findOne({ campaignId }).lean<CommercialCampaignDoc>();
    if (!campaign) throw ApplicationFailure.nonRetryable(`commercial campaign ${campaignId} not recorded`, COMMERCIAL_CAMPAIGN_NOT_FOUND);
    return campaign;
  }

  /** Hands the e-mail to sendEmailWorkflow; keyed per campaign and person, so a repeat is a no-op. */
  async function deliver(campaign: CommercialCampaignDoc, userId: string, to: ContactAddress): Promise<void> {
    const purpose = campaign.purpose as CommercialPurpose;
    const link = unsubscribeLink({ publicAppUrl }, userId, 'EMAIL', purpose);
    await outbox.send(
      'COMMERCIAL_MESSAGE',
      `commercial/${campaign.campaignId}/${userId}`,
      [to],
      { subject: campaign.subject, body: campaign.body, unsubscribeLink: link },
      // RFC 2369 / RFC 8058: mail clients offer a one-click unsubscribe that POSTs to the link.
      { headers: { 'List-Unsubscribe': `<${link}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } },
    );
  }

  return {
    async recordCommercialCampaign(input) {
      try {
        await models.CommercialCampaign.create({
          campaignId: input.campaignId,
          channel: input.channel,
          purpose: input.purpose,
          subject: input.subject,
          body: input.body,
          requestedBy: input.requestedBy ?? null,
          recordedAt: new Date(),
        });
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error; // recorded by an earlier attempt or run
      }
    },

    async listConsentingRecipients({ channel, purpose, cursor, limit }) {
      // Everyone with any event for the channel and purpose, a page of user IDs in order ...
      const candidates = await models.ConsentEvent.aggregate<{ _id: string }>([
        { $match: { channel, purpose, ...(cursor !== null ? { userId: { $gt: cursor } } : {}) } },
        { $group: { _id: '$userId' } },
        { $sort: { _id: 1 } },
        { $limit: limit },
      ]);
      const ids = candidates.map((c) => c._id);
      if (ids.length === 0) return { userIds: [], nextCursor: null };
      // ... of whom those whose latest event is a grant.
      const events = await models.ConsentEvent.find({ channel, purpose, userId: { $in: ids } }, { userId: 1, granted: 1 })
        .sort({ at: 1, _id: 1 })
        .lean();
      const latest = new Map<string, boolean>();
      for (const event of events) latest.set(event.userId, event.granted);
      return {
        userIds: ids.filter((id) => latest.get(id) === true),
        nextCursor: ids.length === limit ? ids.at(-1)! : null,
      };
    },

    async sendCommercialEmail({ campaignId, userId, to }): Promise<CommercialDeliveryOutcome> {
      const campaign = await requireCampaign(campaignId);
      const purpose = campaign.purpose as CommercialPurpose;
      for (;;) {
        const recorded = await models.CommercialMessageDelivery.findOne({ campaignId, userId }).lean<CommercialMessageDeliveryDoc>();
        if (recorded) {
          // A retry after a crash between recording SENT and starting the e-mail completes it; otherwise a no-op.
          if (recorded.status === 'SENT' && to) await deliver(campaign, userId, to);
          return { status: recorded.status, reason: recorded.reason ?? null };
        }
        // ETK art. 8: read the ledger at send time, so a withdrawal after listing is honoured at once.
        const consenting = await mayReceiveCommercialMessage(models, userId, 'EMAIL', purpose);
        const outcome: CommercialDeliveryOutcome = !consenting
          ? { status: 'SKIPPED', reason: 'NO_CONSENT' }
          : !to
            ? { status: 'SKIPPED', reason: 'NO_ADDRESS' }
            : { status: 'SENT', reason: null };
        try {
          await models.CommercialMessageDelivery.create({ campaignId, userId, channel: campaign.channel, purpose, ...outcome, at: new Date() });
        } catch (error) {
          if (isDuplicateKeyError(error)) continue; // a concurrent attempt recorded first: answer its outcome
          throw error;
        }
        if (outcome.status === 'SENT' && to) await deliver(campaign, userId, to);
        return outcome;
      }
    },
  };
}

// ── GraphQL ───────────────────────────────────────────────────────────────────

export interface SendCommercialMessageArgs {
  purpose: string;
  subjectTr: string;
  subjectEn: string;
  bodyTr: string;
  bodyEn: string;
}

/** The campaign texts, trimmed, or the userErrors that stop it. */
export function validateCommercialMessage(
  input: SendCommercialMessageArgs,
  locale: Ctx['locale'],
): { ok: true; purpose: CommercialPurpose; subject: { tr: string; en: string }; body: { tr: string; en: string } } | { ok: false; userErrors: UserError[] } {
  const errors: UserError[] = [];
  if (!isCommercialPurpose(input.purpose)) {
    errors.push(userError(commercialMessageTexts, locale, 'UNKNOWN_PURPOSE', ['input', 'purpose'], { purposes: COMMERCIAL_PURPOSES.join(', ') }));
  }
  const text = (field: keyof SendCommercialMessageArgs, max: number) => {
    const value = input[field].trim();
    if (!value) errors.push(userError(commercialMessageTexts, locale, 'REQUIRED', ['input', field]));
    else if (value.length > max) errors.push(userError(commercialMessageTexts, locale, 'TOO_LONG', ['input', field], { max }));
    return value;
  };
  const subject = { tr: text('subjectTr', SUBJECT_MAX), en: text('subjectEn', SUBJECT_MAX) };
  const body = { tr: text('bodyTr', BODY_MAX), en: text('bodyEn', BODY_MAX) };
  if (errors.length > 0 || !isCommercialPurpose(input.purpose)) return { ok: false, userErrors: errors };
  return { ok: true, purpose: input.purpose, subject, body };
}

const DELIVERIES_DEFAULT = 100;
const DELIVERIES_MAX = 1000;

export function commercialMessageResolvers(models: ConsentModels, temporal: Client): Resolvers {
  return {
    Query: {
      /** DPO (and SUPER_ADMIN): the campaign's delivery records in the order they were made. */
      commercialMessageDeliveries: async (_: unknown, args: { campaignId: string; first?: number | null; after?: string | null }, ctx: Ctx) => {
        requireOperator(ctx, 'DPO');
        const first = Math.min(Math.max(args.first ?? DELIVERIES_DEFAULT, 1), DELIVERIES_MAX);
        const after = args.after && isEntityId(args.after) ? { _id: { $gt: args.after } } : {};
        const rows = await models.CommercialMessageDelivery.find({ campaignId: args.campaignId, ...after })
          .sort({ _id: 1 })
          .limit(first)
          .lean<CommercialMessageDeliveryDoc[]>();
        return rows.map(withId);
      },
    },
    Mutation: {
      sendCommercialMessage: async (_: unknown, { input }: { input: SendCommercialMessageArgs }, ctx: Ctx) => {
        const operator = requireOperator(ctx, 'SUPER_ADMIN');
        const valid = validateCommercialMessage(input, ctx.locale);
        if (!valid.ok) return { campaignId: null, userErrors: valid.userErrors };
        const campaignId = randomUUID();
        const workflowInput: CommercialMessageInput = {
          campaignId,
          channel: 'EMAIL',
          purpose: valid.purpose,
          subject: valid.subject,
          body: valid.body,
          requestedBy: operator.userId,
        };
        await temporal.workflow.start('commercialMessageWorkflow', {
          taskQueue: TASK_QUEUES.workflows,
          workflowId: commercialMessageWorkflowId(campaignId),
          args: [workflowInput],
        });
        return { campaignId, userErrors: [] };
      },
    },
    CommercialMessageDelivery: {
      user: ({ userId }: { userId: string }) => ({ id: userId }),
    },
  };
}
