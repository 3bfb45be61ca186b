import { z } from 'zod';
import { MEMBER_ROLES, OPERATOR_ROLES } from '../roles.ts';

export const PRINCIPAL_KINDS = ['user', 'operator', 'partner'] as const;
export type PrincipalKind = (typeof PRINCIPAL_KINDS)[number];

/**
 * The claims of an access token signed by accounts (besides iss/aud/exp/iat/jti).
 * Tokens are short-lived, so memberships and roles carried here are at most
 * one token lifetime stale; accounts re-reads them on every refresh.
 */
export const accessTokenClaimsSchema = z.object({
  sub: z.string().min(1),
  kind: z.enum(PRINCIPAL_KINDS),
  orgs: z.array(z.object({ id: z.string().min(1), role: z.enum(MEMBER_ROLES) })).default([]),
  opr: z.array(z.enum(OPERATOR_ROLES)).default([]),
  /** partner tokens: the partner organisation and the API key's scopes */
  porg: z.string().optional(),
  scp: z.array(z.string()).default([]),
  sid: z.string().optional(),
});

export type AccessTokenClaims = z.infer<typeof accessTokenClaimsSchema>;
