import { canAccessOrganization, requireAuthenticated, requireOrganizationAccess, withId } from '@omurga/shared';
import type { CardCaptureSessionDoc } from '../models/index.ts';
import { CAPTURE_TOKEN } from '../payments/card-capture.ts';
import { beginCardCapture } from '../payments/card-capture-flow.ts';
import { checkSubscriptionStart, type SubscriptionOrder } from '../subscription-start.ts';
import { BILLING_WRITE_ACCESS, INVOICE_ACCESS, type BillingDeps, type Ctx } from './deps.ts';
import { failure } from './payloads.ts';

interface CardCaptureInput {
  organizationId: string;
  subscription?: Omit<SubscriptionOrder, 'organizationId'> | null;
}

/** Issue 15: hosted card capture through the provider's page; the platform keeps only the token. */
export function cardCaptureResolvers({ models, temporal, cardCapture }: BillingDeps) {
  return {
    Query: {
      cardCaptureSession: async (_: unknown, { token }: { token: string }, ctx: Ctx) => {
        requireAuthenticated(ctx);
        if (!CAPTURE_TOKEN.test(token)) return null;
        const session = await models.CardCaptureSession.findOne({ token }).lean<CardCaptureSessionDoc>();
        return session && canAccessOrganization(ctx, session.organizationId) ? withId(session) : null;
      },
    },
    Mutation: {
      startCardCapture: async (_: unknown, { input }: { input: CardCaptureInput }, ctx: Ctx) => {
        requireOrganizationAccess(ctx, input.organizationId, BILLING_WRITE_ACCESS);
        if (!cardCapture) return failure(ctx.locale, 'CARD_CAPTURE_UNAVAILABLE', null);
        const order = input.subscription ?? null;
        if (order) {
          // Checked now as if the card were on file, so the customer hears of any other problem before typing a card.
          const checked = await checkSubscriptionStart(models, { ...order, organizationId: input.organizationId }, { hasPaymentMethod: true, tokenProblem: null, field: ['input'] });
          if (!checked.ok) return failure(ctx.locale, checked.code, ['input', 'subscription', ...checked.field.slice(1)], checked.params);
        }
        const principal = requireAuthenticated(ctx);
        const session = await beginCardCapture(
          { models, temporal, capture: cardCapture.capture, publicBaseUrl: cardCapture.publicBaseUrl },
          { organizationId: input.organizationId, requestedBy: 'userId' in principal ? principal.userId : null, locale: ctx.locale, order },
        );
        return { session: withId(session), userErrors: [] };
      },
    },
    CardCaptureSession: {
      subscription: async (s: CardCaptureSessionDoc, _: unknown, ctx: Ctx) => {
        if (s.status !== 'COMPLETED' || !s.subscriptionId || s.subscriptionProblem) return null;
        const subscription = await ctx.loaders.subscription.load(s.subscriptionId.toString());
        return subscription ? withId(subscription) : null;
      },
    },
    Organization: {
      paymentMethod: async ({ id }: { id: string }, _: unknown, ctx: Ctx) => {
        requireOrganizationAccess(ctx, id, INVOICE_ACCESS);
        const account = await models.BillingAccount.findById(id).lean();
        const method = account?.paymentMethod;
        return method ? { provider: method.provider, cardLabel: method.cardLabel ?? null, addedAt: method.addedAt } : null;
      },
    },
  };
}
