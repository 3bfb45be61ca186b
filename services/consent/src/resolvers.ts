import { DateTimeScalar, badUserInput, canAccessPerson, isLocale, requireAuthenticated, forbidden, withId, type Resolvers, type SubgraphContext } from '@omurga/shared';
import type { ConsentLoaders } from './loaders.ts';
import type { ConsentEventDoc, ConsentModels, LegalDocumentVersionDoc } from './models.ts';

type Ctx = SubgraphContext<ConsentLoaders>;

/** The latest event per channel and purpose is the consent's current state (CON-3). */
export function currentConsents(events: readonly ConsentEventDoc[]) {
  const latest = new Map<string, ConsentEventDoc>();
  for (const event of events) latest.set(`${event.channel}\u0000${event.purpose}`, event);
  return [...latest.values()].map((e) => ({ channel: e.channel, purpose: e.purpose, granted: e.granted, changedAt: e.at }));
}

/** Data protection staff may read a person's consent records; the person always may. */
const PRIVACY_READERS = ['DPO'] as const;

function requirePerson(ctx: Ctx, userId: string) {
  requireAuthenticated(ctx);
  if (!canAccessPerson(ctx, userId, [...PRIVACY_READERS])) throw forbidden(ctx.locale);
}

export function consentResolvers(models: ConsentModels): Resolvers {
  return {
    DateTime: DateTimeScalar,
    Query: {
      currentLegalDocuments: async (_: unknown, { locale }: { locale: string }, ctx: Ctx) => {
        if (!isLocale(locale)) throw badUserInput(ctx.locale, 'locale must be tr or en');
        const versions = await models.LegalDocumentVersion.find({ locale, effectiveAt: { $lte: new Date() } })
          .sort({ kind: 1, version: -1 })
          .lean<LegalDocumentVersionDoc[]>();
        const current = new Map<string, LegalDocumentVersionDoc>();
        for (const v of versions) if (!current.has(v.kind)) current.set(v.kind, v);
        return [...current.values()].map(withId);
      },
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
    },
    DataSubjectRequest: {
      __resolveReference: async ({ id }: { id: string }, ctx: Ctx) => {
        const request = await ctx.loaders.dataSubjectRequest.load(id);
        return request && canAccessPerson(ctx, request.userId, [...PRIVACY_READERS]) ? withId(request) : null;
      },
    },
    LegalDocumentVersion: {
      __resolveReference: async ({ id }: { id: string }, ctx: Ctx) => {
        const doc = await ctx.loaders.legalDocumentVersion.load(id);
        return doc && withId(doc);
      },
    },
  };
}
