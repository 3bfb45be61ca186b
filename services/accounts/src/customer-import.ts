import { createHash, randomUUID } from 'node:crypto';
import { Types } from 'mongoose';
import { z } from 'zod';
import { isDuplicateKeyError, userError, userErrorsFromZod, withId, type Locale, type UserError } from '@omurga/shared';
import { SUBSCRIPTION_IMPORT_WORKFLOW, TASK_QUEUES, type ImportedSubscriptionRequest, type ImportedSubscriptionResult } from '@omurga/shared/contracts';
import type { AccountsDeps } from './deps.ts';
import { checkCustomerIdentity, customerIdentityFields, emailAddress } from './inputs.ts';
import { sendInvitation } from './invitations.ts';
import { t } from './messages.ts';
import type { OrganizationDoc } from './models.ts';
import { createPendingOrganization } from './new-organization.ts';

/** Rows per call: a call answers within a request's time even on a busy local database. */
export const MAX_IMPORT_ROWS = 500;
/** Organisations created at once. */
const PARALLEL = 8;

const reference = z.string().trim().min(1).max(100);
const importRow = z
  .object({
    externalReference: reference,
    ...customerIdentityFields,
    ownerEmail: emailAddress.nullish(),
    ownerFirstName: z.string().trim().max(100).nullish(),
    ownerLastName: z.string().trim().max(100).nullish(),
    billingEmail: emailAddress.nullish(),
    locale: z.enum(['tr', 'en']).nullish(),
    subscription: z
      .object({
        planCode: z.string().trim().min(1).max(64),
        currency: z.string().trim().min(3).max(3),
        paymentMethodToken: z.string().max(200).nullish(),
        renewsAt: z.coerce.date({ error: 'INVALID_VALUE' }).nullish(),
      })
      .nullish(),
  })
  .transform(checkCustomerIdentity);
type ImportRow = z.infer<typeof importRow>;

/** Who imports: an operator (referring partner optional) or a partner (its own referred customers). */
export interface Importer {
  /** the namespace of external references: `operator` or `partner:<organisationId>` */
  scope: string;
  actor: string;
  referredByPartnerId: Types.ObjectId | null;
}

export interface ImportedRow {
  externalReference: string;
  organization: (OrganizationDoc & { id: string }) | null;
  created: boolean;
  subscriptionId: string | null;
  subscriptionStatus: string | null;
  userErrors: UserError[];
}

/** An imported organisation's ID, derived from the importer's namespace and the row's reference. */
export function importedOrganizationId(scope: string, externalReference: string): Types.ObjectId {
  return new Types.ObjectId(createHash('sha256').update(`customer-import/${scope}/${externalReference}`).digest('hex').slice(0, 24));
}

/**
 * Issue 16: a seller's mass onboarding. Each row becomes a customer
 * organisation (PENDING_VERIFICATION, like one a partner opens) under an ID
 * derived from the row's external reference, so importing it again creates
 * nothing and answers the same organisation. The owner gets an invitation
 * only when `inviteOwners` asks; otherwise no e-mail at all. Rows with a
 * subscription are handed to billing in one workflow (by name), which opens
 * them idempotently too.
 */
export async function importCustomers(
  deps: Pick<AccountsDeps, 'models' | 'outbox' | 'temporal'>,
  importer: Importer,
  input: { rows: unknown[]; inviteOwners?: boolean | null },
  locale: Locale,
): Promise<ImportedRow[]> {
  const results: ImportedRow[] = input.rows.map((raw, index) => ({
    externalReference: String((raw as { externalReference?: unknown })?.externalReference ?? ''),
    organization: null,
    created: false,
    subscriptionId: null,
    subscriptionStatus: null,
    userErrors: [],
  }));
  const valid: { index: number; row: ImportRow }[] = [];
  const seen = new Set<string>();
  input.rows.forEach((raw, index) => {
    const parsed = importRow.safeParse(raw);
    const field = ['input', 'rows', String(index)];
    if (!parsed.success) results[index]!.userErrors = userErrorsFromZod(parsed.error, t, locale, field);
    else if (seen.has(parsed.data.externalReference)) results[index]!.userErrors = [userError(t, locale, 'DUPLICATE_REFERENCE', [...field, 'externalReference'])];
    else if (input.inviteOwners && !parsed.data.ownerEmail) results[index]!.userErrors = [userError(t, locale, 'REQUIRED', [...field, 'ownerEmail'])];
    else {
      seen.add(parsed.data.externalReference);
      valid.push({ index, row: parsed.data });
    }
  });

  await inParallel(valid, async ({ index, row }) => {
    const { organization, created } = await findOrCreate(deps, importer, row);
    Object.assign(results[index]!, { organization: withId(organization), created });
    if (created && input.inviteOwners && row.ownerEmail) {
      await sendInvitation(deps, { organizationId: organization._id, email: row.ownerEmail, role: 'OWNER', invitedBy: importer.actor, locale: row.locale ?? locale });
    }
  });

  const wanted = valid.filter(({ row }) => row.subscription);
  if (wanted.length) {
    const requests: ImportedSubscriptionRequest[] = wanted.map(({ index, row }) => ({
      organizationId: results[index]!.organization!.id,
      planCode: row.subscription!.planCode,
      currency: row.subscription!.currency.toUpperCase(),
      paymentMethodToken: row.subscription!.paymentMethodToken ?? null,
      startedBy: importer.actor,
      renewsAt: row.subscription!.renewsAt?.toISOString() ?? null,
    }));
    const opened = await deps.temporal.workflow.execute<(input: { rows: ImportedSubscriptionRequest[]; locale: Locale }) => Promise<ImportedSubscriptionResult[]>>(SUBSCRIPTION_IMPORT_WORKFLOW, {
      taskQueue: TASK_QUEUES.workflows,
      // The rows' IDs make it idempotent; the workflow itself needs no ID of meaning.
      workflowId: `subscription-import/${randomUUID()}`,
      args: [{ rows: requests, locale }],
    });
    opened.forEach((result, i) => {
      const row = results[wanted[i]!.index]!;
      if ('subscriptionId' in result) Object.assign(row, { subscriptionId: result.subscriptionId, subscriptionStatus: result.status });
      else row.userErrors.push({ code: result.code, field: ['input', 'rows', String(wanted[i]!.index), 'subscription', result.field], message: result.message });
    });
  }
  return results;
}

async function findOrCreate(deps: Pick<AccountsDeps, 'models'>, importer: Importer, row: ImportRow): Promise<{ organization: OrganizationDoc; created: boolean }> {
  const { models } = deps;
  const _id = importedOrganizationId(importer.scope, row.externalReference);
  const existing = await models.Organization.findById(_id).lean<OrganizationDoc>();
  if (existing) return { organization: existing, created: false };
  try {
    const created = await createPendingOrganization(
      models,
      row,
      { reason: importer.referredByPartnerId ? 'OPENED_BY_PARTNER' : 'IMPORTED', actor: importer.actor, referredByPartnerId: importer.referredByPartnerId },
      { _id, billingContact: row.billingEmail ? { email: row.billingEmail, locale: row.locale ?? 'tr' } : null },
    );
    return { organization: created.toObject() as OrganizationDoc, created: true };
  } catch (error) {
    // The same reference imported by a concurrent call: answer what it created.
    const raced = isDuplicateKeyError(error) ? await models.Organization.findById(_id).lean<OrganizationDoc>() : null;
    if (!raced) throw error;
    return { organization: raced, created: false };
  }
}

async function inParallel<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < items.length; i = next++) await work(items[i]!);
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, items.length) }, lane));
}
