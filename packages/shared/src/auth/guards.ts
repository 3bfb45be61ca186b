import { forbidden, unauthenticated } from '../errors.ts';
import { WRITER_ROLES, type MemberRole, type OperatorRole } from '../roles.ts';
import type { RequestContext } from './context.ts';
import type { Principal } from './principal.ts';

type Of<K extends Principal['kind']> = Extract<Principal, { kind: K }>;

export function requireAuthenticated(ctx: RequestContext): Exclude<Principal, { kind: 'anonymous' }> {
  if (ctx.principal.kind === 'anonymous') throw unauthenticated(ctx.locale);
  return ctx.principal;
}

export function requireUser(ctx: RequestContext): Of<'user'> {
  const principal = requireAuthenticated(ctx);
  if (principal.kind !== 'user') throw forbidden(ctx.locale);
  return principal;
}

/** An operator holding any of `roles`; SUPER_ADMIN holds every role. */
export function requireOperator(ctx: RequestContext, ...roles: OperatorRole[]): Of<'operator'> {
  const principal = requireAuthenticated(ctx);
  if (principal.kind !== 'operator' || !hasOperatorRole(principal, roles)) throw forbidden(ctx.locale);
  return principal;
}

export function hasOperatorRole(principal: Principal, roles: readonly OperatorRole[]): boolean {
  if (principal.kind !== 'operator') return false;
  return principal.roles.has('SUPER_ADMIN') || roles.length === 0 || roles.some((role) => principal.roles.has(role));
}

export interface OrganizationAccess {
  /** the change needs one of these member roles (default: any role that may write) */
  write?: boolean;
  roles?: readonly MemberRole[];
  /** operators with one of these roles may act too (default: any operator may read, none may write) */
  operatorRoles?: readonly OperatorRole[];
}

/** True when the caller may read (or, with `write`, change) the organisation's data. */
export function canAccessOrganization(ctx: RequestContext, organizationId: string, access: OrganizationAccess = {}): boolean {
  const principal = ctx.principal;
  switch (principal.kind) {
    case 'anonymous':
    case 'partner': // partners reach referred organisations through accounts' partner operations only
      return false;
    case 'operator':
      if (access.operatorRoles) return hasOperatorRole(principal, access.operatorRoles);
      return !access.write;
    case 'user': {
      const role = principal.memberships.get(organizationId);
      if (!role) return false;
      const allowed = access.roles ?? (access.write ? WRITER_ROLES : undefined);
      return allowed ? allowed.includes(role) : true;
    }
  }
}

export function requireOrganizationAccess(ctx: RequestContext, organizationId: string, access: OrganizationAccess = {}): void {
  requireAuthenticated(ctx);
  if (!canAccessOrganization(ctx, organizationId, access)) throw forbidden(ctx.locale);
}

/** The signed-in person's own records (a user's consents, say), or an operator with one of `operatorRoles`. */
export function canAccessPerson(ctx: RequestContext, userId: string, operatorRoles: readonly OperatorRole[] = []): boolean {
  const principal = ctx.principal;
  if (principal.kind === 'user' || principal.kind === 'operator') {
    if (principal.userId === userId) return true;
  }
  return principal.kind === 'operator' && operatorRoles.length > 0 && hasOperatorRole(principal, operatorRoles);
}
