import type { HydratedDocument } from 'mongoose';
import { INVALID_TRANSITION, ORGANIZATION_NOT_FOUND, type ChangeActor, type OrganizationState, type SuspensionReason } from '@omurga/shared/contracts';
import type { AccountsModels, OrganizationDoc } from './models.ts';

/**
 * ACC-6 account states. The one place where an organisation's status
 * changes: every transition is recorded with its reason, actor and time.
 *
 *   PENDING_VERIFICATION ─verify─▶ ACTIVE ◀─reinstate─ SUSPENDED (one or more reasons)
 *   any open state ─terminate─▶ TERMINATED ─erase─▶ ERASED
 */
export type OrganizationChange =
  | { type: 'activate' }
  | { type: 'suspend'; reason: SuspensionReason; note?: string | null }
  | { type: 'reinstate'; reason?: SuspensionReason }
  | { type: 'terminate'; reason: string }
  | { type: 'erase' };

export class LifecycleError extends Error {
  readonly code: typeof INVALID_TRANSITION | typeof ORGANIZATION_NOT_FOUND;
  constructor(code: LifecycleError['code'], message: string) {
    super(message);
    this.code = code;
    this.name = code;
  }
}

type OrgDocument = HydratedDocument<OrganizationDoc>;
const CLOSED = new Set(['TERMINATED', 'ERASED']);

export const actorLabel = (actor: ChangeActor) => `${actor.kind}:${actor.id}`;

/** Applies `change` to the loaded document; false when it changes nothing (changes are idempotent). */
export function applyChange(org: OrgDocument, change: OrganizationChange, actor: ChangeActor, now = new Date()): boolean {
  const record = (to: OrganizationDoc['status'], reason: string | null) => {
    org.statusHistory.push({ from: org.status, to, reason, actor: actorLabel(actor), at: now });
    org.status = to;
  };
  const syncReason = () => {
    org.suspensionReason = org.suspensions[0]?.reason ?? null;
  };
  switch (change.type) {
    case 'activate': {
      const first = !org.verifiedAt;
      org.verifiedAt ??= now;
      if (org.status !== 'PENDING_VERIFICATION') return first; // e.g. verified while suspended: active once lifted
      record('ACTIVE', 'EMAIL_VERIFIED');
      return true;
    }
    case 'suspend': {
      if (CLOSED.has(org.status) || org.suspensions.some((s) => s.reason === change.reason)) return false;
      org.suspensions.push({ reason: change.reason, note: change.note ?? null, actor: actorLabel(actor), since: now });
      syncReason();
      if (org.status !== 'SUSPENDED') record('SUSPENDED', change.reason);
      return true;
    }
    case 'reinstate': {
      if (CLOSED.has(org.status)) throw new LifecycleError(INVALID_TRANSITION, `cannot reinstate a ${org.status} organisation`);
      const remaining = org.suspensions.filter((s) => change.reason !== undefined && s.reason !== change.reason);
      if (remaining.length === org.suspensions.length) return false;
      org.suspensions.splice(0, org.suspensions.length, ...remaining);
      syncReason();
      if (remaining.length === 0 && org.status === 'SUSPENDED') record(statusBeforeSuspension(org), change.reason ?? 'ALL_SUSPENSIONS_LIFTED');
      return true;
    }
    case 'terminate':
      if (CLOSED.has(org.status)) return false;
      org.suspensions.splice(0, org.suspensions.length);
      syncReason();
      record('TERMINATED', change.reason);
      return true;
    case 'erase':
      if (org.status === 'ERASED') return false;
      if (org.status !== 'TERMINATED') throw new LifecycleError(INVALID_TRANSITION, `only a terminated organisation can be erased, this one is ${org.status}`);
      record('ERASED', 'PERSONAL_DATA_ERASED');
      return true;
  }
}

/** Where a lifted suspension returns to: the state it was suspended from (an unverified account stays unverified). */
function statusBeforeSuspension(org: OrgDocument): OrganizationDoc['status'] {
  const entered = org.statusHistory.findLast((entry) => entry.to === 'SUSPENDED');
  return entered?.from === 'PENDING_VERIFICATION' && !org.verifiedAt ? 'PENDING_VERIFICATION' : 'ACTIVE';
}

export const stateOf = (org: Pick<OrganizationDoc, 'status' | 'suspensions'> & { _id: { toString(): string } }): OrganizationState => ({
  organizationId: org._id.toString(),
  status: org.status,
  suspensionReasons: org.suspensions.map((s) => s.reason),
});

export interface ChangeResult {
  before: OrganizationState;
  after: OrganizationState;
  changed: boolean;
  organization: OrganizationDoc;
}

/**
 * Loads, changes and saves with optimistic concurrency (the document version),
 * retrying when another writer got there first: no lost updates without
 * multi-document transactions.
 */
export async function changeOrganization(models: AccountsModels, organizationId: string, change: OrganizationChange, actor: ChangeActor): Promise<ChangeResult> {
  for (let attempt = 0; ; attempt++) {
    const org = (await models.Organization.findById(organizationId)) as OrgDocument | null;
    if (!org) throw new LifecycleError(ORGANIZATION_NOT_FOUND, `organisation ${organizationId} does not exist`);
    const before = stateOf(org);
    const changed = applyChange(org, change, actor);
    if (!changed) return { before, after: before, changed, organization: org.toObject() };
    try {
      await org.save();
      return { before, after: stateOf(org), changed, organization: org.toObject() };
    } catch (error) {
      if ((error as Error).name !== 'VersionError' || attempt >= 4) throw error;
    }
  }
}
