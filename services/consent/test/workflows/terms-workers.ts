import { fileURLToPath } from 'node:url';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { UserContactActivities, TermsObjectionAccountsActivities, TermsObjectionBillingActivities } from '@omurga/shared/contracts';
import type { TermsRolloutActivities } from '../../src/workflows/contracts/terms.ts';
import { recordingActivities, type RecordedActivityCall } from '@omurga/workflows/testing';
import { withConsentWorkers } from './consent-workers.ts';

export const TERMS_TEST_WORKFLOWS_QUEUE = 'test-terms-workflows';
export type RecordedTermsCall = RecordedActivityCall<TermsRolloutActivities>;

/**
 * A recording stand-in for the consent service: `recipients` are the affected
 * customers, served `pageSize` at a time (never more than the workflow asks);
 * like consent, it keeps each one's binding instant from their notice and
 * lists by it when asked.
 */
export function fakeTermsActivities(recipients: string[], pageSize = 100) {
  const notified = new Set<string>();
  const bindingAtOf = new Map<string, string>();
  return recordingActivities<TermsRolloutActivities>({
    async listAffectedCustomers(input) {
      const listed = input.bindingAt === undefined ? recipients : recipients.filter((id) => bindingAtOf.get(id) === input.bindingAt);
      const from = input.cursor === null ? 0 : Number(input.cursor);
      const to = Math.min(listed.length, from + Math.min(pageSize, input.limit));
      return { ids: listed.slice(from, to), nextCursor: to < listed.length ? String(to) : null };
    },
    async notifyTermsChange({ recipientId, bindingAt, to }) {
      if (!bindingAtOf.has(recipientId)) bindingAtOf.set(recipientId, bindingAt);
      // Like the consent service: one notice per recipient, none to someone without an address.
      const sent = to !== null && !notified.has(recipientId);
      if (sent) notified.add(recipientId);
      return { sent };
    },
    async recordTermsObjection() {},
    async offerCostFreeCancellation() {},
    async makeBinding() {},
    async recordContinuedUseAcceptance() {},
  });
}

/** The address the fake accounts service gives a recipient. */
export const contactOf = (userId: string) => ({ email: `${userId}@example.test`, locale: userId.endsWith('-en') ? ('en' as const) : ('tr' as const) });

/** The organisations the fake accounts service says a recipient represents (OWNER or ADMIN). */
export const organizationsOf = (userId: string) => [`${userId}/org-1`, `${userId}/org-2`];

/**
 * A recording stand-in for accounts' userContact: everyone has an address
 * except the `unknown` IDs (erased people); everyone represents two organisations.
 */
export function fakeContactActivities(unknown: readonly string[] = []) {
  return recordingActivities<UserContactActivities & TermsObjectionAccountsActivities>({
    async userContact({ userId }) {
      return unknown.includes(userId) ? null : contactOf(userId);
    },
    async organizationsRepresentedBy({ userId }) {
      return organizationsOf(userId);
    },
    async representedOrganizations({ userIds }) {
      return Object.fromEntries(userIds.map((userId) => [userId, organizationsOf(userId)]));
    },
  });
}

/** A recording stand-in for billing's side of an objection. */
/** Billing's side; `notices` gives organisations a live subscription with that terms-change notice (none by default). */
export function fakeTermsBillingActivities(notices: Record<string, string> = {}) {
  return recordingActivities<TermsObjectionBillingActivities>({
    async grantNoticeFreeCancellation() {},
    async termsChangeNotices({ organizationIds }) {
      return Object.fromEntries(organizationIds.flatMap((id) => (notices[id] ? [[id, notices[id]]] : [])));
    },
  });
}

/**
 * Runs `body` with the terms-rollout workflow on TERMS_TEST_WORKFLOWS_QUEUE,
 * `activities` on consent's queue, `contacts` (default: everyone has an
 * address) on accounts' queue and `billing` on billing's.
 */
export function withTermsWorkers<T>(
  env: TestWorkflowEnvironment,
  activities: TermsRolloutActivities,
  body: () => Promise<T>,
  contacts: UserContactActivities & TermsObjectionAccountsActivities = fakeContactActivities().activities,
  billing: TermsObjectionBillingActivities = fakeTermsBillingActivities().activities,
): Promise<T> {
  const workflowsPath = fileURLToPath(new URL('../../src/workflows/terms-rollout.ts', import.meta.url));
  return withConsentWorkers(env, activities, body, workflowsPath, TERMS_TEST_WORKFLOWS_QUEUE, contacts, billing);
}
