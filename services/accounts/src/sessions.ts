import type { PlatformConfig } from '@omurga/shared';
import type { AccountsModels, UserDoc } from './models.ts';
import type { SigningKeys } from './signing-keys.ts';
import { issueAccessToken, type IssuedToken } from './tokens.ts';

/** Mints an access token carrying the person's current memberships or operator roles. */
export async function accessTokenFor(user: UserDoc, models: AccountsModels, keys: SigningKeys, config: PlatformConfig): Promise<IssuedToken> {
  const sub = user._id.toString();
  if (user.operatorRoles.length > 0) {
    return issueAccessToken(keys, config, { sub, kind: 'operator', opr: user.operatorRoles });
  }
  const memberships = await models.Membership.find({ userId: user._id }).lean();
  return issueAccessToken(keys, config, {
    sub,
    kind: 'user',
    orgs: memberships.map((m) => ({ id: m.organizationId.toString(), role: m.role })),
  });
}
