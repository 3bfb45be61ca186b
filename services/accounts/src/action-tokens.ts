import type { Types } from 'mongoose';
import type { MemberRole } from '@omurga/shared';
import type { AccountsModels, ActionTokenDoc, ActionTokenPurpose } from './models.ts';
import { hashSecret, randomSecret } from './secrets.ts';

/** How long each kind of e-mailed link stays valid. */
export const ACTION_TOKEN_TTL_MS: Record<ActionTokenPurpose, number> = {
  EMAIL_VERIFICATION: 24 * 3_600_000,
  PASSWORD_RESET: 3_600_000,
  EMAIL_CHANGE: 24 * 3_600_000,
  INVITATION: 7 * 24 * 3_600_000,
};

export interface ActionTokenTarget {
  email: string;
  userId?: Types.ObjectId | null;
  organizationId?: Types.ObjectId | null;
  role?: MemberRole | null;
  createdBy?: string | null;
  /** lifetime override, e.g. a longer first-password link for a new operator */
  ttlMs?: number;
}

/**
 * Issues a single-use link token (ACC-3, ACC-4, ACC-5, ACC-8) and returns the
 * secret, which exists only in the e-mail. Earlier unused tokens for the same
 * purpose and person (or invitation) stop working, so only the newest link does.
 */
export async function issueActionToken(models: AccountsModels, purpose: ActionTokenPurpose, target: ActionTokenTarget): Promise<{ token: string; id: string }> {
  const now = new Date();
  const earlier =
    purpose === 'INVITATION'
      ? { purpose, organizationId: target.organizationId, email: target.email }
      : purpose === 'EMAIL_CHANGE'
        ? { purpose, userId: target.userId ?? null }
        : { purpose, userId: target.userId ?? null, email: target.email };
  await models.ActionToken.updateMany({ ...earlier, usedAt: null }, { $set: { usedAt: now } });
  await models.ActionToken.deleteMany({ ...earlier, expiresAt: { $lt: now } });
  const token = randomSecret();
  const created = await models.ActionToken.create({
    purpose,
    tokenHash: hashSecret(token),
    email: target.email,
    userId: target.userId ?? null,
    organizationId: target.organizationId ?? null,
    role: target.role ?? null,
    createdBy: target.createdBy ?? null,
    expiresAt: new Date(now.getTime() + (target.ttlMs ?? ACTION_TOKEN_TTL_MS[purpose])),
  });
  return { token, id: created._id.toString() };
}

const usable = (purpose: ActionTokenPurpose, token: string) => ({
  purpose,
  tokenHash: hashSecret(token),
  usedAt: null,
  expiresAt: { $gt: new Date() },
});

/** The token's record if it is valid now, without using it up (to validate the rest of a form first). */
export async function peekActionToken(models: AccountsModels, purpose: ActionTokenPurpose, token: string): Promise<ActionTokenDoc | null> {
  if (!token) return null;
  return models.ActionToken.findOne(usable(purpose, token)).lean<ActionTokenDoc>();
}

/** Uses the token up, atomically: of two concurrent uses exactly one succeeds. */
export async function consumeActionToken(models: AccountsModels, purpose: ActionTokenPurpose, token: string): Promise<ActionTokenDoc | null> {
  if (!token) return null;
  return models.ActionToken.findOneAndUpdate(usable(purpose, token), { $set: { usedAt: new Date() } }, { new: true }).lean<ActionTokenDoc>();
}
