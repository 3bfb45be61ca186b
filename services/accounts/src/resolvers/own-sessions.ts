import { isEntityId, requireAuthenticated, withId } from '@omurga/shared';
import type { AccountsDeps, Ctx } from '../deps.ts';
import { revokeSession } from '../sessions.ts';
import { failure, ok } from './payloads.ts';

interface SessionRow {
  _id: { toString(): string };
  createdAt?: Date;
  lastUsedAt?: Date | null;
  expiresAt: Date;
  ip?: string | null;
  userAgent?: string | null;
}

/** ACC-4: a person sees the sessions signed in to their login and ends any of them (the portal's "sessions"). */
export function ownSessionResolvers({ models }: AccountsDeps) {
  const ownerOf = (ctx: Ctx) => {
    const principal = requireAuthenticated(ctx);
    return principal.kind === 'user' || principal.kind === 'operator' ? principal : null;
  };
  return {
    User: {
      sessions: async ({ id }: { id: string }, _: unknown, ctx: Ctx) => {
        const principal = ownerOf(ctx);
        if (!principal || principal.userId !== id) return [];
        const rows = await models.Session.find({ userId: id, revokedAt: null, expiresAt: { $gt: new Date() } }).sort({ _id: -1 }).limit(50).lean<SessionRow[]>();
        return rows.map((row) => ({ ...withId(row), startedAt: row.createdAt ?? new Date(0), current: row._id.toString() === principal.sessionId }));
      },
    },
    Mutation: {
      endSession: async (_: unknown, { id }: { id: string }, ctx: Ctx) => {
        const principal = ownerOf(ctx);
        const session = principal && isEntityId(id) ? await models.Session.findOne({ _id: id, userId: principal.userId, revokedAt: null }, { _id: 1 }).lean() : null;
        if (!session) return { ok: false, ...failure(ctx.locale, 'SESSION_NOT_FOUND', ['id']) };
        await revokeSession(models, id, 'ENDED_BY_USER');
        return ok;
      },
    },
  };
}
