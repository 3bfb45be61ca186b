import { Types } from 'mongoose';
import type { PlatformConfig, RequestContext } from '@omurga/shared';
import type { AccountsModels, SessionDoc, UserDoc } from './models.ts';
import { hashSecret, randomSecret } from './secrets.ts';
import type { SigningKeys } from './signing-keys.ts';
import { issueAccessToken, type IssuedToken } from './tokens.ts';

/** A refresh token unused this long expires; a session never outlives the absolute limit. */
const IDLE_LIFETIME_MS = 14 * 24 * 3_600_000;
const ABSOLUTE_LIFETIME_MS = 30 * 24 * 3_600_000;
/** rotated secrets remembered per family for reuse detection */
const REMEMBERED_ROTATIONS = 50;

export interface SessionTokens extends IssuedToken {
  refreshToken: string | null;
}

/** Mints an access token carrying the person's current memberships or operator roles. */
export async function accessTokenFor(user: UserDoc, models: AccountsModels, keys: SigningKeys, config: PlatformConfig, sessionId?: string): Promise<IssuedToken> {
  const sub = user._id.toString();
  const sid = sessionId ? { sid: sessionId } : {};
  if (user.operatorRoles.length > 0) {
    return issueAccessToken(keys, config, { sub, kind: 'operator', opr: user.operatorRoles, ...sid });
  }
  const memberships = await models.Membership.find({ userId: user._id }).lean();
  return issueAccessToken(keys, config, {
    sub,
    kind: 'user',
    orgs: memberships.map((m) => ({ id: m.organizationId.toString(), role: m.role })),
    ...sid,
  });
}

const refreshTokenOf = (sessionId: string, secret: string) => `${sessionId}.${secret}`;

function parseRefreshToken(token: string): { sessionId: string; secret: string } | null {
  const [sessionId, secret, ...rest] = token.split('.');
  if (!sessionId || !secret || rest.length || !Types.ObjectId.isValid(sessionId) || sessionId.length !== 24) return null;
  return { sessionId, secret };
}

/** Starts a refresh-token family at sign-in (ACC-4). */
export async function startSession(user: UserDoc, ctx: RequestContext, models: AccountsModels, keys: SigningKeys, config: PlatformConfig): Promise<SessionTokens> {
  const secret = randomSecret();
  const now = Date.now();
  const session = await models.Session.create({
    userId: user._id,
    currentHash: hashSecret(secret),
    expiresAt: new Date(now + IDLE_LIFETIME_MS),
    absoluteExpiresAt: new Date(now + ABSOLUTE_LIFETIME_MS),
    lastUsedAt: new Date(now),
    ip: ctx.ip ?? null,
    userAgent: ctx.userAgent ?? null,
  });
  const sessionId = session._id.toString();
  return { ...(await accessTokenFor(user, models, keys, config, sessionId)), refreshToken: refreshTokenOf(sessionId, secret) };
}

export type RefreshOutcome = { ok: true; user: UserDoc; tokens: SessionTokens } | { ok: false; reuseDetected: boolean };

/**
 * Rotates a refresh token: the presented secret is swapped for a new one in a
 * single conditional update, so it works exactly once. Presenting a secret
 * that was already rotated means a copy leaked: the whole family is revoked,
 * logging out the thief and the owner alike (OAuth 2.0 Security BCP §4.14).
 */
export async function refreshSession(token: string, ctx: RequestContext, models: AccountsModels, keys: SigningKeys, config: PlatformConfig): Promise<RefreshOutcome> {
  const parsed = parseRefreshToken(token);
  if (!parsed) return { ok: false, reuseDetected: false };
  const presented = hashSecret(parsed.secret);
  const secret = randomSecret();
  const now = new Date();
  const rotated = await models.Session.findOneAndUpdate(
    { _id: parsed.sessionId, currentHash: presented, revokedAt: null, expiresAt: { $gt: now }, absoluteExpiresAt: { $gt: now } },
    {
      $set: {
        currentHash: hashSecret(secret),
        lastUsedAt: now,
        expiresAt: new Date(now.getTime() + IDLE_LIFETIME_MS),
        ip: ctx.ip ?? null,
        userAgent: ctx.userAgent ?? null,
      },
      $push: { rotatedHashes: presented },
    },
    { new: true },
  ).lean<SessionDoc>();
  if (rotated && rotated.rotatedHashes.length > REMEMBERED_ROTATIONS) {
    // A separate trim ($push's $slice is not supported by FerretDB); skipped if another rotation came first.
    await models.Session.updateOne({ _id: rotated._id, currentHash: rotated.currentHash }, { $set: { rotatedHashes: rotated.rotatedHashes.slice(-REMEMBERED_ROTATIONS) } });
  }
  if (!rotated) {
    const session = await models.Session.findById(parsed.sessionId).lean<SessionDoc>();
    const reuseDetected = !!session && session.rotatedHashes.includes(presented);
    if (reuseDetected && !session.revokedAt) await revokeSession(models, parsed.sessionId, 'REFRESH_TOKEN_REUSE');
    return { ok: false, reuseDetected };
  }
  const user = await models.User.findById(rotated.userId).lean<UserDoc>();
  if (!user?.passwordHash) {
    await revokeSession(models, parsed.sessionId, 'USER_GONE');
    return { ok: false, reuseDetected: false };
  }
  const access = await accessTokenFor(user, models, keys, config, parsed.sessionId);
  return { ok: true, user, tokens: { ...access, refreshToken: refreshTokenOf(parsed.sessionId, secret) } };
}

export async function revokeSession(models: AccountsModels, sessionId: string, reason: string): Promise<void> {
  await models.Session.updateOne({ _id: sessionId, revokedAt: null }, { $set: { revokedAt: new Date(), revokedReason: reason } });
}

/** Ends every session of a person, e.g. after a password reset. */
export async function revokeAllSessions(models: AccountsModels, userId: Types.ObjectId | string, reason: string): Promise<void> {
  await models.Session.updateMany({ userId, revokedAt: null }, { $set: { revokedAt: new Date(), revokedReason: reason } });
}
