import type { Principal, RequestContext } from '@omurga/shared';
import type { AccountsModels } from './models.ts';

export interface AuditRecord {
  action: string;
  targetType: 'Organization' | 'User' | 'DocumentRequest';
  targetId: string;
  before?: unknown;
  after?: unknown;
}

const actorOf = (principal: Principal) =>
  principal.kind === 'operator'
    ? { actorId: principal.userId, actorRoles: [...principal.roles] }
    : { actorId: principal.kind === 'user' ? principal.userId : principal.kind, actorRoles: [] };

/** ACC-10: one append-only entry per operator action that changes a customer. */
export async function recordAudit(models: AccountsModels, ctx: RequestContext, record: AuditRecord): Promise<void> {
  await models.AuditEntry.create({
    ...actorOf(ctx.principal),
    ...record,
    before: record.before ?? null,
    after: record.after ?? null,
    ip: ctx.ip ?? null,
    at: new Date(),
  });
}
