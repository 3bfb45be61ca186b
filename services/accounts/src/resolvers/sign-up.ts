import { setTimeout as delay } from 'node:timers/promises';
import { createHash } from 'node:crypto';
import { Types } from 'mongoose';
import { withId, type Resolvers, isDuplicateKeyError } from '@omurga/shared';
import { legalAcceptancesWorkflowId, type RecordLegalAcceptancesInput, type SignUpConsent } from '@omurga/shared/contracts';
import { startWorkflowOnce } from '@omurga/shared/temporal';
import type { AccountsDeps, Ctx } from '../deps.ts';
import { signUpInput, type SignUpInput } from '../inputs.ts';
import { missingAcceptances, type CurrentDocument } from '../legal-documents.ts';
import { createPendingOrganization } from '../new-organization.ts';
import { passwordProblem } from '../password-policy.ts';
import { hashPassword } from '../passwords.ts';
import { THROTTLE_RULES } from '../throttle.ts';
import { sendVerificationEmail } from '../verification-email.ts';
import { failure, invalidInput } from './payloads.ts';

type Rejection = { userErrors: ReturnType<typeof failure>['userErrors'] };

/** Checks the accepted legal documents; a rejection, or the documents accepted. */
export async function checkAcceptances(deps: AccountsDeps, ids: readonly string[], ctx: Ctx, field: string[]): Promise<Rejection | CurrentDocument[]> {
  try {
    const { missing, accepted } = await missingAcceptances(deps.legalDocuments, ids);
    if (missing[0]) return failure(ctx.locale, 'DOCUMENT_NOT_ACCEPTED', field, { kind: missing[0] });
    return accepted;
  } catch (error) {
    deps.logger.error({ err: error }, 'legal documents unavailable');
    return failure(ctx.locale, 'LEGAL_DOCUMENTS_UNAVAILABLE', field);
  }
}

/**
 * CON-2: hands the accepted versions to consent's append-only acceptance
 * records through recordLegalAcceptancesWorkflow (consent owns them; accounts
 * keeps no copy). The workflow ID makes a repeated hand-over a no-op. Throws
 * when Temporal cannot take it, so the caller can undo the account rather
 * than keep one without its acceptance evidence.
 */
export async function handOverAcceptances(
  deps: AccountsDeps,
  ctx: Ctx,
  acceptance: { userId: string; organizationId: string | null; accepted: readonly CurrentDocument[]; acceptedAt: Date; consents?: SignUpConsent[] },
): Promise<void> {
  const documentVersionIds = [...new Set(acceptance.accepted.map((doc) => doc.id))].sort();
  const versionsKey = createHash('sha256').update(documentVersionIds.join(','), 'utf8').digest('hex').slice(0, 16);
  const input: RecordLegalAcceptancesInput = {
    userId: acceptance.userId,
    organizationId: acceptance.organizationId,
    documentVersionIds,
    method: 'CHECKBOX',
    acceptedAt: acceptance.acceptedAt.toISOString(),
    ip: ctx.ip ?? null,
    userAgent: ctx.userAgent ?? null,
    ...(acceptance.consents?.length ? { consents: acceptance.consents } : {}),
  };
  const workflowId = legalAcceptancesWorkflowId(acceptance.userId, versionsKey);
  await startWorkflowOnce(deps.temporal, 'recordLegalAcceptancesWorkflow', { workflowId, args: [input] });
  // Read your writes: the person's own records are there when the mutation answers, unless consent is slow to take
  // them (then they follow durably through the workflow).
  const waited = new AbortController();
  const recorded = deps.temporal.workflow.getHandle(workflowId).result();
  await Promise.race([recorded, delay(HAND_OVER_WAIT_MS, undefined, { signal: waited.signal })])
    .catch((error: unknown) => deps.logger.warn({ err: error, workflowId }, 'legal acceptances not recorded yet'))
    .finally(() => waited.abort());
}

/** How long sign-up waits for consent to record the acceptances and consents before answering anyway. */
const HAND_OVER_WAIT_MS = 5_000;

/** ACC-1, ACC-2, ACC-3: a person, their organisation (they own it) and a verification e-mail. */
export function signUpResolvers(deps: AccountsDeps): Resolvers {
  const { models, throttle } = deps;
  return {
    Mutation: {
      signUp: async (_: unknown, { input }: { input: unknown }, ctx: Ctx) => {
        const ipKey = `signup:ip:${ctx.ip ?? 'unknown'}`;
        const wait = await throttle.blockedFor(ipKey, THROTTLE_RULES.signUpPerIp);
        if (wait) return failure(ctx.locale, 'TOO_MANY_ATTEMPTS', null, { minutes: wait });
        await throttle.hit(ipKey, THROTTLE_RULES.signUpPerIp);
        const parsed = signUpInput.safeParse(input);
        if (!parsed.success) return invalidInput(parsed.error, ctx.locale);
        const data = parsed.data;
        const problem = passwordProblem(data.password, data);
        if (problem) return failure(ctx.locale, problem, ['input', 'password'], { min: 10, max: 128 });
        const accepted = await checkAcceptances(deps, data.acceptedDocumentVersionIds, ctx, ['input', 'acceptedDocumentVersionIds']);
        if (!Array.isArray(accepted)) return accepted;
        let partnerId: Types.ObjectId | null = null;
        if (data.referralPartnerCode) {
          const partner = await models.Partner.findById(data.referralPartnerCode.toUpperCase()).lean();
          if (!partner) return failure(ctx.locale, 'UNKNOWN_PARTNER_CODE', ['input', 'referralPartnerCode']);
          partnerId = partner.organizationId;
        }
        // The contract names EMAIL_TAKEN: sign-up is the one door that tells
        // whether an address has an account, so every attempt counts against
        // the caller's IP (partner-code guessing too).
        if (await models.User.exists({ email: data.email })) return failure(ctx.locale, 'EMAIL_TAKEN', ['input', 'email']);
        const created = await createAccount(deps, data, accepted, partnerId, ctx);
        if (!created) return failure(ctx.locale, 'EMAIL_TAKEN', ['input', 'email']);
        await sendVerificationEmail(deps, created.user);
        return { user: withId(created.user), organization: withId(created.organization), userErrors: [] };
      },
    },
  };
}

/**
 * Writes the person, the organisation and the owner membership, and hands the
 * accepted documents to consent (CON-2). Without
 * multi-document transactions the steps are ordered so that a crash leaves
 * at worst an unverified person without an organisation, which sign-up
 * cleans up on the spot; null when the e-mail was taken concurrently.
 */
async function createAccount(deps: AccountsDeps, data: SignUpInput, accepted: CurrentDocument[], partnerId: Types.ObjectId | null, ctx: Ctx) {
  const { models } = deps;
  const now = new Date();
  const userId = new Types.ObjectId();
  try {
    await models.User.create({
      _id: userId,
      email: data.email,
      passwordHash: await hashPassword(data.password),
      firstName: data.firstName,
      lastName: data.lastName,
      phone: data.phone,
      locale: data.locale ?? ctx.locale,
      ageConfirmedAt: now,
      marketingEmailOptIn: data.marketingEmailOptIn,
      signUpIp: ctx.ip ?? null,
    });
  } catch (error) {
    if (isDuplicateKeyError(error)) return null;
    throw error;
  }
  try {
    const organization = await createPendingOrganization(
      models,
      data,
      { reason: 'SIGNED_UP', actor: `user:${userId.toString()}`, referredByPartnerId: partnerId },
      {
        promoCode: data.promoCode,
        ownerCount: 1,
        ...(data.customerType === 'CORPORATE' ? { authorityDeclaredBy: userId.toString(), authorityDeclaredAt: now } : {}),
      },
    );
    await models.Membership.create({ userId, organizationId: organization._id, role: 'OWNER' });
    // CON-3: the marketing e-mail opt-in of the form is an explicit consent, recorded in consent's ledger.
    const consents: SignUpConsent[] = data.marketingEmailOptIn ? [{ channel: 'EMAIL', purpose: 'marketing', locale: data.locale ?? ctx.locale }] : [];
    await handOverAcceptances(deps, ctx, { userId: userId.toString(), organizationId: organization._id.toString(), accepted, acceptedAt: now, consents });
    const user = (await models.User.findById(userId).lean())!;
    return { user, organization: organization.toObject() };
  } catch (error) {
    await models.User.deleteOne({ _id: userId });
    throw error;
  }
}
