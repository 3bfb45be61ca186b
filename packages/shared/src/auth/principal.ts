import type { MemberRole, OperatorRole } from '../roles.ts';
import type { AccessTokenClaims } from './claims.ts';

export type Principal =
  | { kind: 'anonymous' }
  | { kind: 'user'; userId: string; sessionId?: string; memberships: ReadonlyMap<string, MemberRole> }
  | { kind: 'operator'; userId: string; sessionId?: string; roles: ReadonlySet<OperatorRole> }
  | { kind: 'partner'; keyId: string; partnerOrganizationId: string; scopes: ReadonlySet<string> };

export const ANONYMOUS: Principal = { kind: 'anonymous' };

export function principalFromClaims(claims: AccessTokenClaims): Principal {
  switch (claims.kind) {
    case 'user':
      return {
        kind: 'user',
        userId: claims.sub,
        ...(claims.sid ? { sessionId: claims.sid } : {}),
        memberships: new Map(claims.orgs.map((m) => [m.id, m.role])),
      };
    case 'operator':
      return {
        kind: 'operator',
        userId: claims.sub,
        ...(claims.sid ? { sessionId: claims.sid } : {}),
        roles: new Set(claims.opr),
      };
    case 'partner':
      return {
        kind: 'partner',
        keyId: claims.sub,
        partnerOrganizationId: claims.porg ?? '',
        scopes: new Set(claims.scp),
      };
  }
}
