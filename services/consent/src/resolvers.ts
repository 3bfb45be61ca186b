import type { Client } from '@temporalio/client';
import {
  DateTimeScalar,
  badUserInput,
  canAccessPerson,
  isLocale,
  requireAuthenticated,
  requireOperator,
  requireUser,
  forbidden,
  userError,
  withId,
  type Resolvers,
  type SubgraphContext,
} from '@omurga/shared';
import {
  breachClocks,
  breachEvents,
  breachMessages,
  closeBreach,
  DESCRIPTION_MAX,
  findBreach,
  listBreaches,
  recordBoardNotification,
  recordControllerNotification,
  reportBreach,
  type BreachResult,
} from './breaches.ts';
import { submitDataSubjectRequest, takeOperatorStep, type OperatorStep } from './data-subject-requests.ts';
import {
  CONSENT_PURPOSES,
  consentChoiceSchema,
  consentHistory,
  currentConsents,
  recordConsent,
  withdrawFromLink,
  type ReceiptSettings,
} from './consent-ledger.ts';
import {
  SUMMARY_MAX,
  acknowledgeEndUserRequest,
  endUserRequestMessages,
  forwardEndUserRequest,
  listEndUserRequests,
  type EndUserRequestModel,
  type EndUserRequestResult,
} from './end-user-requests.ts';
import type { ConsentLoaders } from './loaders.ts';
import { t } from './messages.ts';
import { verifyUnsubscribeToken } from './unsubscribe.ts';
import { acceptancesOfUser } from './acceptances.ts';
import { objectToLegalDocument, publishLegalDocumentVersion, termsMessages, type PublishInput, type TermsFailure } from './terms-changes.ts';
import type { BreachDoc, BreachEventDoc, ConsentModels, DataSubjectRequestDoc } from './models.ts';
import { documentsInForce } from './documents-in-force.ts';

type Ctx = SubgraphContext<ConsentLoaders>;

export { currentConsents };

/** Reads a consent choice; an unknown channel or purpose is a coded GraphQL error, since setConsent returns Consent!. */
function parseChoice(ctx: Ctx, args: { channel: string; purpose: string }) {
  const parsed = consentChoiceSchema.safeParse(args);
  if (!parsed.success) throw badUserInput(ctx.locale, `purpose must be one of ${CONSENT_PURPOSES.join(', ')}`);
  return parsed.data;
}

/** Data protection staff may read a person's consent records; the person always may. */
const PRIVACY_READERS = ['DPO'] as const;

function requirePerson(ctx: Ctx, userId: string) {
  requireAuthenticated(ctx);
  if (!canAccessPerson(ctx, userId, [...PRIVACY_READERS])) throw forbidden(ctx.locale);
}

const DETAILS_MAX = 5000;

/** CON-2/CON-4 records name the version they concern; it always exists (versions are never removed once published). */
async function documentVersionOf({ documentVersionId }: { documentVersionId: string }, _: unknown, ctx: Ctx) {
  const doc = await ctx.loaders.legalDocumentVersion.load(documentVersionId);
  return doc && withId(doc);
}

const termsError = (ctx: Ctx, failure: TermsFailure) => userError(termsMessages, ctx.locale, failure.code, failure.field, failure.params);

export function consentResolvers(models: ConsentModels, temporal: Client, receipts: ReceiptSettings, endUserRequests: EndUserRequestModel): Resolvers {
  /** CON-5 operator steps: DPO (or SUPER_ADMIN) only, checked against the stored status, then signalled to the workflow. */
  const operatorStep =
    <A extends { id: string }>(step: OperatorStep, payload?: (args: A) => { answerRef?: string } | { reason: string }) =>
    async (_: unknown, args: A, ctx: Ctx) => {
      requireOperator(ctx, 'DPO');
      const result = await takeOperatorStep(models, temporal, args.id, step, payload?.(args));
      if (result.ok) return { request: withId(result.request), userErrors: [] };
      return {
        request: null,
        userErrors:
          result.code === 'INVALID_TRANSITION'
            ? [userError(t, ctx.locale, 'INVALID_TRANSITION', ['id'], { status: result.status })]
            : [userError(t, ctx.locale, result.code, ['id'])],
      };
    };

  /** CON-8 breach steps answer a BreachPayload; the codes are breachMessages'. */
  const breachPayload = (ctx: Ctx, result: BreachResult) =>
    result.ok
      ? { breach: withId(result.breach), userErrors: [] }
      : { breach: null, userErrors: [userError(breachMessages, ctx.locale, result.code, result.field, { max: DESCRIPTION_MAX })] };

  /** CON-8 end-user request steps answer an EndUserRequestPayload; the codes are endUserRequestMessages'. */
  const endUserRequestPayload = (ctx: Ctx, result: EndUserRequestResult) =>
    result.ok
      ? { request: withId(result.request), userErrors: [] }
      : { request: null, userErrors: [userError(endUserRequestMessages, ctx.locale, result.code, result.field, { max: SUMMARY_MAX })] };

  return {
    DateTime: DateTimeScalar,
    Query: {
      currentLegalDocuments: async (_: unknown, { locale }: { locale: string }, ctx: Ctx) => {
        if (!isLocale(locale)) throw badUserInput(ctx.locale, 'locale must be tr or en');
        return (await documentsInForce(models, locale)).map(withId);
      },
      legalDocumentVersion: async (_: unknown, { id }: { id: string }, ctx: Ctx) => {
        const doc = await ctx.loaders.legalDocumentVersion.load(id);
        return doc && withId(doc);
      },
      dataSubjectRequests: async (_: unknown, { status }: { status?: DataSubjectRequestDoc['status'] | null }, ctx: Ctx) => {
        requireOperator(ctx, 'DPO');
        const filter = status == null ? {} : { status };
        return (await models.DataSubjectRequest.find(filter).sort({ dueAt: 1, _id: 1 }).lean<DataSubjectRequestDoc[]>()).map(withId);
      },
      consentHistory: async (_: unknown, __: unknown, ctx: Ctx) => {
        const { userId } = requireUser(ctx);
        return consentHistory(models, userId);
      },
      breaches: async (_: unknown, __: unknown, ctx: Ctx) => {
        requireOperator(ctx, 'DPO');
        return (await listBreaches(models)).map(withId);
      },
      breach: async (_: unknown, { id }: { id: string }, ctx: Ctx) => {
        requireOperator(ctx, 'DPO');
        const breach = await findBreach(models, id);
        return breach && withId(breach);
      },
      endUserRequests: async (_: unknown, { organizationId }: { organizationId?: string | null }, ctx: Ctx) => {
        requireOperator(ctx, 'DPO');
        return (await listEndUserRequests(endUserRequests, organizationId ?? null)).map(withId);
      },
    },
    Mutation: {
      publishLegalDocumentVersion: async (_: unknown, { input }: { input: PublishInput }, ctx: Ctx) => {
        const operator = requireOperator(ctx, 'DPO');
        const result = await publishLegalDocumentVersion(models, temporal, input, operator.userId, new Date());
        return result.ok ? { version: withId(result.version), userErrors: [] } : { version: null, userErrors: [termsError(ctx, result)] };
      },
      objectToLegalDocument: async (_: unknown, { documentVersionId }: { documentVersionId: string }, ctx: Ctx) => {
        const { userId } = requireUser(ctx);
        const result = await objectToLegalDocument(models, temporal, userId, documentVersionId, new Date());
        if (!result.ok) return { objection: null, userErrors: [termsError(ctx, result)] };
        return { objection: { documentVersionId, objectedAt: result.objectedAt, cancellationOfferedAt: null }, userErrors: [] };
      },
      setConsent: async (_: unknown, args: { channel: string; purpose: string; granted: boolean }, ctx: Ctx) => {
        const { userId } = requireUser(ctx);
        const { channel, purpose } = parseChoice(ctx, args);
        const event = await recordConsent(models, receipts, {
          userId,
          channel,
          purpose,
          granted: args.granted,
          source: 'API',
          ip: ctx.ip ?? null,
          userAgent: ctx.userAgent ?? null,
          locale: ctx.locale,
          now: new Date(),
        });
        const [current] = currentConsents([event]);
        return current;
      },
      unsubscribe: async (_: unknown, { token }: { token: string }, ctx: Ctx) => {
        const request = verifyUnsubscribeToken(token);
        if (!request) throw badUserInput(ctx.locale, 'invalid unsubscribe token');
        await withdrawFromLink(models, receipts, {
          userId: request.userId,
          channel: request.channel,
          purpose: request.purpose,
          ip: ctx.ip ?? null,
          userAgent: ctx.userAgent ?? null,
          locale: ctx.locale,
          now: new Date(),
        });
        return true;
      },
      submitDataSubjectRequest: async (_: unknown, args: { kind: DataSubjectRequestDoc['kind']; details?: string | null }, ctx: Ctx) => {
        const { userId } = requireUser(ctx);
        const details = args.details?.trim() || null;
        if (details && details.length > DETAILS_MAX) {
          return { request: null, userErrors: [userError(t, ctx.locale, 'TOO_LONG', ['details'], { max: DETAILS_MAX })] };
        }
        const request = await submitDataSubjectRequest(models, temporal, { userId, kind: args.kind, details, now: new Date() });
        return { request: withId(request), userErrors: [] };
      },
      verifyDataSubjectRequestIdentity: operatorStep('verifyIdentity'),
      startDataSubjectRequest: operatorStep('start'),
      answerDataSubjectRequest: operatorStep<{ id: string; answer?: string | null }>('answer', ({ answer }) => (answer ? { answerRef: answer } : {})),
      rejectDataSubjectRequest: operatorStep<{ id: string; reason: string }>('reject', ({ reason }) => ({ reason })),
      reportBreach: async (
        _: unknown,
        { input }: { input: { detectedAt: Date; role: BreachDoc['role']; description: string; affectedOrganizationIds?: string[] | null } },
        ctx: Ctx,
      ) => {
        const operator = requireOperator(ctx, 'DPO');
        const result = await reportBreach(models, temporal, {
          detectedAt: new Date(input.detectedAt),
          role: input.role,
          description: input.description,
          affectedOrganizationIds: input.affectedOrganizationIds ?? [],
          reportedBy: operator.userId,
          now: new Date(),
        });
        return breachPayload(ctx, result);
      },
      recordBoardNotification: async (_: unknown, args: { breachId: string; reference: string }, ctx: Ctx) => {
        requireOperator(ctx, 'DPO');
        return breachPayload(ctx, await recordBoardNotification(models, temporal, args.breachId, args.reference, new Date()));
      },
      recordControllerNotification: async (_: unknown, args: { breachId: string; organizationId: string }, ctx: Ctx) => {
        requireOperator(ctx, 'DPO');
        return breachPayload(ctx, await recordControllerNotification(models, temporal, args.breachId, args.organizationId, new Date()));
      },
      closeBreach: async (_: unknown, args: { breachId: string }, ctx: Ctx) => {
        requireOperator(ctx, 'DPO');
        return breachPayload(ctx, await closeBreach(models, temporal, args.breachId, new Date()));
      },
      forwardEndUserRequest: async (_: unknown, { input }: { input: { organizationId: string; receivedAt: Date; summary: string } }, ctx: Ctx) => {
        const operator = requireOperator(ctx, 'DPO');
        const result = await forwardEndUserRequest(endUserRequests, temporal, {
          organizationId: input.organizationId,
          receivedAt: new Date(input.receivedAt),
          summary: input.summary,
          createdBy: operator.userId,
          now: new Date(),
        });
        return endUserRequestPayload(ctx, result);
      },
      acknowledgeEndUserRequest: async (_: unknown, { id }: { id: string }, ctx: Ctx) => {
        requireOperator(ctx, 'DPO');
        return endUserRequestPayload(ctx, await acknowledgeEndUserRequest(endUserRequests, temporal, id, new Date()));
      },
    },
    Breach: {
      clocks: (breach: BreachDoc) => breachClocks(temporal, breach),
      events: async ({ id }: { id: string }) => (await breachEvents(models, id)).map((e: BreachEventDoc) => withId(e)),
    },
    User: {
      consents: async ({ id }: { id: string }, _: unknown, ctx: Ctx) => {
        requirePerson(ctx, id);
        return currentConsents(await ctx.loaders.consentEventsOfUser.load(id));
      },
      dataSubjectRequests: async ({ id }: { id: string }, _: unknown, ctx: Ctx) => {
        requirePerson(ctx, id);
        return (await ctx.loaders.requestsOfUser.load(id)).map(withId);
      },
      legalAcceptances: async ({ id }: { id: string }, _: unknown, ctx: Ctx) => {
        requirePerson(ctx, id);
        return acceptancesOfUser(models, id);
      },
      termsObjections: async ({ id }: { id: string }, _: unknown, ctx: Ctx) => {
        requirePerson(ctx, id);
        return models.TermsObjection.find({ userId: id }).sort({ objectedAt: 1, _id: 1 }).lean();
      },
    },
    DataSubjectRequest: {
      __resolveReference: async ({ id }: { id: string }, ctx: Ctx) => {
        const request = await ctx.loaders.dataSubjectRequest.load(id);
        return request && canAccessPerson(ctx, request.userId, [...PRIVACY_READERS]) ? withId(request) : null;
      },
      user: ({ userId }: { userId: string }) => ({ id: userId }),
      events: async ({ id }: { id: string }, _: unknown, ctx: Ctx) => (await ctx.loaders.eventsOfRequest.load(id)).map(withId),
    },
    LegalAcceptance: { documentVersion: documentVersionOf },
    TermsObjection: { documentVersion: documentVersionOf },
    LegalDocumentVersion: {
      awaitingBinding: (version: { awaitingBinding?: boolean | null }) => version.awaitingBinding === true,
      __resolveReference: async ({ id }: { id: string }, ctx: Ctx) => {
        const doc = await ctx.loaders.legalDocumentVersion.load(id);
        return doc && withId(doc);
      },
    },
  };
}
