import { forbidden, isEntityId, requireUser, type MemberRole } from '@omurga/shared';
import type { AccountsDeps, Ctx } from '../deps.ts';

export const MANAGERS: readonly MemberRole[] = ['OWNER', 'ADMIN'];

/**
 * The signed-in user's role in the organisation, read from accounts' own
 * records rather than the token (which may be minutes stale), for changes to
 * who may do what. FORBIDDEN unless the role is one of `roles`.
 */
export async function requireMemberRole(deps: AccountsDeps, ctx: Ctx, organizationId: string, roles: readonly MemberRole[]): Promise<{ userId: string; role: MemberRole }> {
  const principal = requireUser(ctx);
  if (!isEntityId(organizationId)) throw forbidden(ctx.locale);
  const membership = await deps.models.Membership.findOne({ organizationId, userId: principal.userId }).lean();
  if (!membership || !roles.includes(membership.role)) throw forbidden(ctx.locale);
  return { userId: principal.userId, role: membership.role };
}
