import { WRITER_ROLES, hasOperatorRole, type RequestContext } from '@omurga/shared';

/**
 * Who may do what with tickets (SUP-1, SUP-7). Agents are operators with
 * SUPPORT_AGENT (SUPER_ADMIN holds every role); other operators see no
 * tickets. Members of the organisation read its tickets, and all but
 * READ_ONLY members write; a partner acts for the organisations it referred.
 */
export const AGENT_ROLES = ['SUPPORT_AGENT'] as const;

export type TicketAccess = 'none' | 'read' | 'write';

export function isAgent(ctx: RequestContext): boolean {
  return hasOperatorRole(ctx.principal, AGENT_ROLES);
}

/** The caller's access to the organisation's tickets; `partnerOrganizations` is asked only for partner callers. */
export async function organizationTicketAccess(
  ctx: RequestContext,
  organizationId: string,
  partnerOrganizations: () => Promise<readonly string[]>,
): Promise<TicketAccess> {
  const principal = ctx.principal;
  switch (principal.kind) {
    case 'anonymous':
      return 'none';
    case 'operator':
      return isAgent(ctx) ? 'write' : 'none';
    case 'user': {
      const role = principal.memberships.get(organizationId);
      if (!role) return 'none';
      return WRITER_ROLES.includes(role) ? 'write' : 'read';
    }
    case 'partner':
      return (await partnerOrganizations()).includes(organizationId) ? 'write' : 'none';
  }
}

/** The id recorded as a message's author. */
export function actorId(ctx: RequestContext): string {
  const principal = ctx.principal;
  switch (principal.kind) {
    case 'user':
    case 'operator':
      return principal.userId;
    case 'partner':
      return `partner:${principal.keyId}`;
    case 'anonymous':
      return 'anonymous';
  }
}
