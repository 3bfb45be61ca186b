import type { Client } from '@temporalio/client';
import { Types } from 'mongoose';
import { isDuplicateKeyError } from '@omurga/shared';
import type { BillingModels, CardCaptureSessionDoc } from '../models/index.ts';
import { openSubscription } from '../open-subscription.ts';
import { checkSubscriptionStart, type SubscriptionOrder } from '../subscription-start.ts';
import { CARD_CAPTURE_CALLBACK_PATH, CAPTURE_TOKEN, type HostedCardCapture } from './card-capture.ts';
import { savePaymentMethod } from './payment-method.ts';

export interface CardCaptureDeps {
  models: BillingModels;
  temporal: Client;
  capture: HostedCardCapture;
  /** where browsers reach the platform (PUBLIC_APP_URL): the provider sends them back to its callback path */
  publicBaseUrl: string;
}

/**
 * Starts a hosted card capture for the organisation (issue 15). With an
 * order, the subscription it describes starts once the card is on file: how
 * a policy that requires a card [000 §4.5] is satisfied. The session's id is
 * that subscription's id to be.
 */
export async function beginCardCapture(
  deps: CardCaptureDeps,
  request: { organizationId: string; requestedBy: string | null; locale: 'tr' | 'en'; order: Omit<SubscriptionOrder, 'organizationId'> | null },
): Promise<CardCaptureSessionDoc> {
  const { models, capture } = deps;
  const id = new Types.ObjectId();
  const account = await models.BillingAccount.findById(request.organizationId).lean();
  const existing = account?.paymentMethod?.provider === capture.provider ? account.paymentMethod.token : null;
  const session = await capture.start({
    sessionId: id.toString(),
    organizationId: request.organizationId,
    callbackUrl: `${deps.publicBaseUrl.replace(/\/+$/, '')}${CARD_CAPTURE_CALLBACK_PATH}`,
    locale: request.locale,
    existingToken: existing,
  });
  const created = await models.CardCaptureSession.create({
    _id: id,
    token: session.token,
    pageUrl: session.pageUrl,
    provider: capture.provider,
    organizationId: request.organizationId,
    requestedBy: request.requestedBy,
    status: 'PENDING',
    subscriptionRequest: request.order
      ? { planCode: request.order.planCode, currency: request.order.currency, addOns: request.order.addOns ?? [], oneOffFees: request.order.oneOffFees ?? [] }
      : null,
    subscriptionId: request.order ? id : null,
    expiresAt: session.expiresAt,
  });
  return created.toObject() as CardCaptureSessionDoc;
}

/**
 * The provider sent the customer back with `token`: asks the provider for the
 * outcome, stores the card's token as the payment method, and starts the
 * subscription the session was for. Safe to repeat: a finished session
 * answers as it ended, and the subscription (its id fixed) opens once.
 */
export async function completeCardCapture(deps: CardCaptureDeps, token: string): Promise<CardCaptureSessionDoc | null> {
  const { models, capture } = deps;
  if (!CAPTURE_TOKEN.test(token)) return null;
  const session = await models.CardCaptureSession.findOne({ token }).lean<CardCaptureSessionDoc>();
  if (!session || session.status !== 'PENDING') return session;
  const result = await capture.result(token, session._id.toString());
  if (result.status === 'PENDING') return session;
  if (result.status === 'FAILED') {
    return (await models.CardCaptureSession.findOneAndUpdate({ _id: session._id, status: 'PENDING' }, { $set: { status: 'FAILED', failure: result.reason, completedAt: new Date() } }, { returnDocument: 'after' }).lean<CardCaptureSessionDoc>()) ?? session;
  }
  await savePaymentMethod(models, deps.temporal, { organizationId: session.organizationId, provider: capture.provider, token: result.paymentMethodToken, cardLabel: result.cardLabel });
  const subscriptionProblem = await startOrdered(deps, session);
  return (
    (await models.CardCaptureSession.findOneAndUpdate(
      { _id: session._id, status: 'PENDING' },
      { $set: { status: 'COMPLETED', cardLabel: result.cardLabel, subscriptionProblem, completedAt: new Date() } },
      { returnDocument: 'after' },
    ).lean<CardCaptureSessionDoc>()) ?? (await models.CardCaptureSession.findById(session._id).lean<CardCaptureSessionDoc>())
  );
}

/** Opens the ordered subscription under the session's id; a coded problem when it may no longer start. */
async function startOrdered(deps: CardCaptureDeps, session: CardCaptureSessionDoc): Promise<string | null> {
  const { models } = deps;
  const order = session.subscriptionRequest;
  if (!order || !session.subscriptionId || (await models.Subscription.exists({ _id: session.subscriptionId }))) return null;
  const checked = await checkSubscriptionStart(
    models,
    { organizationId: session.organizationId, planCode: order.planCode, currency: order.currency, addOns: order.addOns.map((a) => ({ code: a.code!, quantity: a.quantity! })), oneOffFees: order.oneOffFees },
    { hasPaymentMethod: true, tokenProblem: null, field: ['input'] },
  );
  if (!checked.ok) return checked.code;
  try {
    await openSubscription(models, deps.temporal, {
      id: session.subscriptionId,
      organizationId: session.organizationId,
      plan: checked.plan,
      policy: checked.policy,
      currency: order.currency,
      addOns: order.addOns.map((a) => ({ code: a.code!, quantity: a.quantity! })),
      oneOffFees: order.oneOffFees,
      hasPaymentMethod: true,
      startedBy: session.requestedBy ?? null,
      now: new Date(),
    });
  } catch (error) {
    // a concurrent callback for the same session opened it first
    if (!isDuplicateKeyError(error)) throw error;
  }
  return null;
}
