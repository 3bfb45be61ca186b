// CON-3: explicit consents (açık rıza) per channel and purpose. Grants and
// withdrawals are appended to the consent_events ledger (never changed, see
// models.ts); the current state is the latest event per channel and purpose.
// ETK art. 8 allows 3 business days to honour a withdrawal; ours applies at
// once, because senders read the ledger before every commercial message.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Locale } from '@omurga/shared';
import { CONSENT_CHANNELS, type ConsentEventDoc, type ConsentModels } from './models.ts';
import { subjectKeys } from './personal-data/subject-keys.ts';
import { documentInForce } from './documents-in-force.ts';

/** The purposes a person can consent to: commercial messages and cookie categories. */
export const CONSENT_PURPOSES = ['marketing', 'product-news', 'surveys', 'cookies-analytics', 'cookies-marketing'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number];
export const CONSENT_SOURCES = ['API', 'UNSUBSCRIBE_LINK', 'SIGN_UP'] as const;
export type ConsentSource = (typeof CONSENT_SOURCES)[number];

export const consentChoiceSchema = z.object({
  channel: z.enum(CONSENT_CHANNELS),
  purpose: z.enum(CONSENT_PURPOSES),
});

/** Receipt settings: the data controller named on every receipt and where the information notice is read. */
export interface ReceiptSettings {
  controllerName: string;
  controllerContact: string;
  publicAppUrl: string;
}

const settingsSchema = z.object({
  CONSENT_CONTROLLER_NAME: z.string().min(1).default('Omurga Yazılım A.Ş.'),
  CONSENT_CONTROLLER_CONTACT: z.string().min(1).default('kvkk@omurga.local'),
});

export function receiptSettings(publicAppUrl: string, env: NodeJS.ProcessEnv = process.env): ReceiptSettings {
  const parsed = settingsSchema.parse(env);
  return { controllerName: parsed.CONSENT_CONTROLLER_NAME, controllerContact: parsed.CONSENT_CONTROLLER_CONTACT, publicAppUrl };
}

export interface CurrentConsent {
  channel: ConsentEventDoc['channel'];
  purpose: string;
  granted: boolean;
  changedAt: Date;
  receiptId: string | null;
}

const key = (channel: string, purpose: string) => `${channel}\u0000${purpose}`;

/** The latest event per channel and purpose is the consent's current state; `events` are oldest first. */
export function currentConsents(events: readonly ConsentEventDoc[]): CurrentConsent[] {
  const latest = new Map<string, ConsentEventDoc>();
  for (const event of events) latest.set(key(event.channel, event.purpose), event);
  return [...latest.values()].map((e) => ({
    channel: e.channel,
    purpose: e.purpose,
    granted: e.granted,
    changedAt: e.at,
    receiptId: e.receipt?.receiptId ?? null,
  }));
}

async function latestEvent(models: ConsentModels, userId: string, channel: ConsentChannel, purpose: string) {
  return models.ConsentEvent.findOne({ userId, channel, purpose }).sort({ at: -1, _id: -1 }).lean<ConsentEventDoc>();
}

/** Senders ask this before every commercial message. No recorded grant means no (opt-in). */
export async function mayReceiveCommercialMessage(models: ConsentModels, userId: string, channel: ConsentChannel, purpose: ConsentPurpose): Promise<boolean> {
  return (await latestEvent(models, userId, channel, purpose))?.granted ?? false;
}

/** The information notice in force, whose URL the receipt points to. */
const currentInformationNotice = (models: ConsentModels, locale: Locale, now: Date) => documentInForce(models, 'INFORMATION_NOTICE', locale, now);

export interface ConsentChange {
  userId: string;
  channel: ConsentChannel;
  purpose: ConsentPurpose;
  granted: boolean;
  source: ConsentSource;
  ip: string | null;
  userAgent: string | null;
  locale: Locale;
  now: Date;
}

/** Appends one grant or withdrawal with its receipt and returns the stored event. */
export async function recordConsent(models: ConsentModels, settings: ReceiptSettings, change: ConsentChange): Promise<ConsentEventDoc> {
  const notice = await currentInformationNotice(models, change.locale, change.now);
  const policyUrl = notice ? `${settings.publicAppUrl.replace(/\/$/, '')}/legal/${notice._id.toString()}` : null;
  // Sealed with the person's key, so erasure can make them unreadable without touching the ledger (CON-6).
  const [ip, userAgent] = await subjectKeys(models).sealEach(change.userId, [change.ip, change.userAgent]);
  const created = await models.ConsentEvent.create({
    userId: change.userId,
    channel: change.channel,
    purpose: change.purpose,
    granted: change.granted,
    at: change.now,
    source: change.source,
    ip: ip ?? null,
    userAgent: userAgent ?? null,
    receipt: {
      version: 'KI-CR-v1.1.0',
      receiptId: randomUUID(),
      timestamp: change.now,
      jurisdiction: 'TR',
      collectionMethod: change.source,
      piiPrincipalId: change.userId,
      controllerName: settings.controllerName,
      controllerContact: settings.controllerContact,
      policyUrl,
      purposes: [change.purpose],
    },
  });
  return created.toObject() as ConsentEventDoc;
}

/**
 * CON-3: the consents a person gave in the sign-up form, handed over by
 * accounts with the legal acceptances. Recorded once: a retried hand-over
 * finds a SIGN_UP event for the same channel and purpose and adds nothing.
 */
export async function recordSignUpConsents(
  models: ConsentModels,
  settings: ReceiptSettings,
  input: { userId: string; consents: readonly { channel: string; purpose: string; locale: Locale }[]; ip: string | null; userAgent: string | null; at: Date },
): Promise<number> {
  let recorded = 0;
  for (const consent of input.consents) {
    const choice = consentChoiceSchema.safeParse({ channel: consent.channel, purpose: consent.purpose });
    if (!choice.success) continue;
    const { channel, purpose } = choice.data;
    if (await models.ConsentEvent.exists({ userId: input.userId, channel, purpose, source: 'SIGN_UP' })) continue;
    await recordConsent(models, settings, { userId: input.userId, channel, purpose, granted: true, source: 'SIGN_UP', ip: input.ip, userAgent: input.userAgent, locale: consent.locale, now: input.at });
    recorded++;
  }
  return recorded;
}

/**
 * Withdraws through an unsubscribe link. Idempotent: when the consent is not
 * granted (withdrawn already, or never given) nothing is appended.
 */
export async function withdrawFromLink(
  models: ConsentModels,
  settings: ReceiptSettings,
  change: Omit<ConsentChange, 'granted' | 'source'>,
): Promise<{ appended: boolean }> {
  const latest = await latestEvent(models, change.userId, change.channel, change.purpose);
  if (!latest?.granted) return { appended: false };
  await recordConsent(models, settings, { ...change, granted: false, source: 'UNSUBSCRIBE_LINK' });
  return { appended: true };
}

/** The person's own ledger, oldest first. */
export async function consentHistory(models: ConsentModels, userId: string): Promise<ConsentEventDoc[]> {
  return models.ConsentEvent.find({ userId }).sort({ at: 1, _id: 1 }).lean<ConsentEventDoc[]>();
}
