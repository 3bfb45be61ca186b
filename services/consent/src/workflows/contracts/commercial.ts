/**
 * Commercial messages (CON-3, ETK art. 6-8): what the consent service offers
 * to commercialMessageWorkflow on TASK_QUEUES.consent, and what the workflow
 * accepts. A campaign goes only to people whose current consent for its
 * channel and purpose is granted; consent is checked again just before each
 * message, and every message ends with an unsubscribe link that works
 * without signing in. Every delivery or skip is recorded once per
 * (campaignId, userId) in an append-only collection.
 */
import type { ContactAddress } from '@omurga/shared/contracts';

/** The consent purposes that are commercial messages (the others are cookie categories). */
export const COMMERCIAL_PURPOSES = ['marketing', 'product-news', 'surveys'] as const;
export type CommercialPurpose = (typeof COMMERCIAL_PURPOSES)[number];
/** Channels a campaign can be sent on; only e-mail so far. */
export type CommercialChannel = 'EMAIL';

export const COMMERCIAL_DELIVERY_STATUSES = ['SENT', 'SKIPPED'] as const;
export type CommercialDeliveryStatus = (typeof COMMERCIAL_DELIVERY_STATUSES)[number];
/** NO_CONSENT: withdrawn (or never granted) when the message was due; NO_ADDRESS: unknown or erased person. */
export const COMMERCIAL_SKIP_REASONS = ['NO_CONSENT', 'NO_ADDRESS'] as const;
export type CommercialSkipReason = (typeof COMMERCIAL_SKIP_REASONS)[number];

/** Raised (non-retryable) by sendCommercialEmail when the campaign was never recorded. */
export const COMMERCIAL_CAMPAIGN_NOT_FOUND = 'CommercialCampaignNotFound';

export interface LocalisedText {
  tr: string;
  en: string;
}

/** Input of commercialMessageWorkflow. */
export interface CommercialMessageInput {
  campaignId: string;
  channel: CommercialChannel;
  purpose: CommercialPurpose;
  subject: LocalisedText;
  /** plain text; the unsubscribe link is appended to it */
  body: LocalisedText;
  /** the operator who sent the campaign (kept with the campaign record) */
  requestedBy?: string | null;
  /** pages (of COMMERCIAL_MESSAGE_PAGE_SIZE) one run handles before it continues as new; tests lower it */
  pagesPerRun?: number;
  /** set by the workflow itself when it continues as new */
  carried?: CommercialMessageCarried;
}

export interface CommercialMessageCarried {
  /** the next page of listConsentingRecipients */
  cursor: string | null;
  sent: number;
  skipped: number;
}

export interface CommercialMessageResult {
  sent: number;
  skipped: number;
}

export interface ConsentingRecipientsPage {
  userIds: string[];
  /** pass back to get the next page; null after the last page */
  nextCursor: string | null;
}

export interface CommercialDeliveryOutcome {
  status: CommercialDeliveryStatus;
  reason: CommercialSkipReason | null;
}

export interface CommercialMessageActivities {
  /** Records the campaign (who sent which texts for which purpose) once; a repeated call changes nothing. */
  recordCommercialCampaign(input: Omit<CommercialMessageInput, 'pagesPerRun' | 'carried'>): Promise<void>;
  /**
   * The people whose current consent (the latest ledger event) for the
   * channel and purpose is a grant, at most `limit` a page, in a stable order.
   */
  listConsentingRecipients(input: {
    campaignId: string;
    channel: CommercialChannel;
    purpose: CommercialPurpose;
    cursor: string | null;
    limit: number;
  }): Promise<ConsentingRecipientsPage>;
  /**
   * Checks the consent again and e-mails the campaign to `to` (accounts'
   * userContact; null for an unknown or erased person), with the
   * unsubscribe link, once per (campaignId, userId) however often it is
   * called. The first outcome recorded is the one answered.
   */
  sendCommercialEmail(input: { campaignId: string; userId: string; to: ContactAddress | null }): Promise<CommercialDeliveryOutcome>;
}

export const commercialMessageWorkflowId = (campaignId: string) => `commercial-message/${campaignId}`;
