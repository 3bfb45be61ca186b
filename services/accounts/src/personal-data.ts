import { Types } from 'mongoose';
import { sumReportLines } from '@omurga/shared';
import type { DataSubject, ErasureLine, ServiceErasureReport } from '@omurga/shared/contracts';
import type { AccountsModels } from './models.ts';
import { revokeAllSessions } from './sessions.ts';
import { loginAccountKey, loginSourceKey } from './throttle.ts';

/**
 * KVKK erasure and export of what accounts holds (CON-5 ACCESS, CON-6, CON-9).
 * Erasure removes what identifies people: names, e-mail, phone, TCKN, address,
 * IPs, uploaded documents and what the audit trail copied of them. Kept: the
 * organisation's customer code and type and a company's VKN, which identify a
 * legal person, not a natural one, and which the invoices billing must keep
 * refer to. Every step filters on what is not erased yet, so a second run
 * counts zero and changes nothing.
 */

const line = (collection: string, description: string, count: number): ErasureLine => ({ collection, description, count });
const nonZero = (lines: ErasureLine[]) => lines.filter((l) => l.count > 0);
const ids = (values: readonly string[]) => values.filter((v) => Types.ObjectId.isValid(v)).map((v) => new Types.ObjectId(v));

/** A person as a subject: their e-mail (while not erased) and the organisations that are them (individuals they alone own). */
export async function describeDataSubject(models: AccountsModels, userId: string): Promise<Extract<DataSubject, { kind: 'PERSON' }> | null> {
  if (!Types.ObjectId.isValid(userId)) return null;
  const user = await models.User.findById(userId, { email: 1, erasedAt: 1 }).lean();
  if (!user) return null;
  const memberships = await models.Membership.find({ userId: user._id, role: 'OWNER' }, { organizationId: 1 }).lean();
  const organizationIds: string[] = [];
  for (const { organizationId } of memberships) {
    const org = await models.Organization.findById(organizationId, { customerType: 1 }).lean();
    const others = await models.Membership.exists({ organizationId, userId: { $ne: user._id } });
    if (org && org.customerType !== 'CORPORATE' && !others) organizationIds.push(organizationId.toString());
  }
  return { kind: 'PERSON', userId, email: user.erasedAt ? null : user.email, organizationIds };
}

export async function eraseSubject(models: AccountsModels, subject: DataSubject): Promise<ServiceErasureReport> {
  const erased: ErasureLine[] = [];
  if (subject.kind === 'PERSON') {
    erased.push(...(await eraseUser(models, subject.userId)));
    for (const orgId of ids(subject.organizationIds)) erased.push(...(await eraseOrganizationPersonalData(models, orgId)));
  } else {
    const [orgId] = ids([subject.organizationId]);
    if (orgId) erased.push(...(await eraseOrganizationPersonalData(models, orgId)));
  }
  // An organisation and its members report separately: one line per collection and description.
  return { service: 'accounts', erased: nonZero(sumReportLines(erased)), kept: [] };
}

/** The organisation's personal data (ACC-6 ERASED): identity numbers, address, documents, members who belong nowhere else. */
export async function eraseOrganizationPersonalData(models: AccountsModels, organizationId: Types.ObjectId): Promise<ErasureLine[]> {
  const org = await models.Organization.findById(organizationId).lean();
  if (!org) return [];
  const lines: ErasureLine[] = [];
  const personal = org.customerType !== 'CORPORATE';
  const erasedName = `Silinmiş müşteri ${org.customerCode}`;
  const identity = await models.Organization.updateOne(
    {
      _id: organizationId,
      $or: [{ nationalId: { $ne: null } }, { billingAddress: { $ne: null } }, { authorityDeclaredBy: { $ne: null } }, { billingContact: { $ne: null } }, ...(personal ? [{ name: { $ne: erasedName } }] : [])],
    },
    { $set: { nationalId: null, billingAddress: null, authorityDeclaredBy: null, billingContact: null, ...(personal ? { name: erasedName } : {}) } },
  );
  lines.push(line('organizations', 'identity number, billing address, authority declaration, billing contact' + (personal ? ', name' : ''), identity.modifiedCount));

  const members = await models.Membership.find({ organizationId }).lean();
  for (const member of members) {
    const elsewhere = await models.Membership.exists({ userId: member.userId, organizationId: { $ne: organizationId } });
    if (!elsewhere) lines.push(...(await eraseUser(models, member.userId.toString())));
  }
  const [memberships, tokens, keys, files, uploads, audit] = await Promise.all([
    models.Membership.deleteMany({ organizationId }),
    models.ActionToken.deleteMany({ organizationId }),
    models.ApiKey.updateMany({ organizationId, revokedAt: null }, { $set: { revokedAt: new Date() } }),
    models.DocumentFile.deleteMany({ organizationId }),
    clearUploads(models, organizationId),
    redactAudit(models, organizationId.toString()),
  ]);
  lines.push(
    line('memberships', 'memberships', memberships.deletedCount),
    line('action_tokens', 'pending invitations and links', tokens.deletedCount),
    line('api_keys', 'API keys (revoked)', keys.modifiedCount),
    line('document_files', 'identity and authority documents', files.deletedCount),
    line('document_requests', 'uploaded file names and uploaders', uploads),
    audit,
  );
  return lines;
}

async function eraseUser(models: AccountsModels, userId: string): Promise<ErasureLine[]> {
  if (!Types.ObjectId.isValid(userId)) return [];
  const _id = new Types.ObjectId(userId);
  const identity = await models.User.findOne({ _id, erasedAt: null }, { email: 1, signUpIp: 1 }).lean();
  const throttles = identity
    ? await models.Throttle.deleteMany({
        $or: [{ _id: { $in: throttleKeysOf(identity.email, identity.signUpIp ?? null) } }, { _id: { $regex: `^${escapeRegExp(loginSourceKey(identity.email, ''))}` } }],
      })
    : { deletedCount: 0 };
  const user = await models.User.updateOne(
    { _id, erasedAt: null },
    {
      $set: {
        email: `erased-${userId}@erased.invalid`,
        passwordHash: null,
        firstName: '-',
        lastName: '-',
        phone: null,
        signUpIp: null,
        erasedAt: new Date(),
      },
    },
  );
  await revokeAllSessions(models, _id, 'ERASED');
  const [sessions, tokens, memberships, audit] = await Promise.all([
    models.Session.updateMany({ userId: _id, $or: [{ ip: { $ne: null } }, { userAgent: { $ne: null } }] }, { $set: { ip: null, userAgent: null } }),
    models.ActionToken.deleteMany({ userId: _id }),
    models.Membership.deleteMany({ userId: _id }),
    redactAudit(models, userId),
  ]);
  return [
    line('users', 'name, e-mail, phone, password, sign-up IP', user.modifiedCount),
    line('throttles', 'rate-limit counters keyed by the e-mail or sign-up IP', throttles.deletedCount),
    line('sessions', 'session IPs and user agents', sessions.modifiedCount),
    line('action_tokens', 'pending links', tokens.deletedCount),
    line('memberships', 'memberships', memberships.deletedCount),
    audit,
  ];
}

/** Document requests keep what was asked and when; the uploads' names and uploaders go with the files. */
async function clearUploads(models: AccountsModels, organizationId: Types.ObjectId): Promise<number> {
  const requests = (await models.DocumentRequest.find({ organizationId }, { uploads: 1 }).lean()).filter((r) => r.uploads.length > 0);
  if (requests.length > 0) await models.DocumentRequest.updateMany({ _id: { $in: requests.map((r) => r._id) } }, { $set: { uploads: [], note: null } });
  return requests.length;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The rate-limit counters (throttle.ts) keyed by what identifies the person. */
function throttleKeysOf(email: string, ip: string | null): string[] {
  return [loginAccountKey(email), ...(ip ? [`login:ip:${ip}`, `signup:ip:${ip}`, `apikey:ip:${ip}`] : [])];
}

/** The audit trail keeps who did what and when; the copies of personal data it took (before/after, IP) go. */
async function redactAudit(models: AccountsModels, targetId: string): Promise<ErasureLine> {
  const [about, by] = await Promise.all([
    models.AuditEntry.updateMany(
      { targetId, $or: [{ before: { $ne: null } }, { after: { $ne: null } }, { ip: { $ne: null } }] },
      { $set: { before: null, after: null, ip: null } },
    ),
    // entries where the erased person acted keep the act, not where they acted from
    models.AuditEntry.updateMany({ actorId: targetId, ip: { $ne: null } }, { $set: { ip: null } }),
  ]);
  return line('audit_entries', 'personal data copied into the audit trail', about.modifiedCount + by.modifiedCount);
}

/** Everything accounts holds about the subject, without secrets (password and token hashes). */
export async function exportSubject(models: AccountsModels, subject: DataSubject): Promise<Record<string, unknown>> {
  const orgIds = subject.kind === 'PERSON' ? ids(subject.organizationIds) : ids([subject.organizationId]);
  const data: Record<string, unknown> = {};
  if (subject.kind === 'PERSON' && Types.ObjectId.isValid(subject.userId)) {
    const userId = new Types.ObjectId(subject.userId);
    data.user = await models.User.findById(userId, { passwordHash: 0, __v: 0 }).lean();
    data.memberships = await models.Membership.find({ userId }, { __v: 0 }).lean();
    data.sessions = await models.Session.find({ userId }, { currentHash: 0, rotatedHashes: 0, __v: 0 }).lean();
    data.auditEntriesAboutYou = await models.AuditEntry.find({ targetId: subject.userId }, { __v: 0 }).lean();
  }
  if (orgIds.length > 0) {
    data.organizations = await models.Organization.find({ _id: { $in: orgIds } }, { __v: 0 }).lean();
    const members = await models.Membership.find({ organizationId: { $in: orgIds } }, { __v: 0 }).lean();
    data.members = await Promise.all(
      members.map(async (m) => ({
        role: m.role,
        organizationId: m.organizationId,
        user: await models.User.findById(m.userId, { email: 1, firstName: 1, lastName: 1, phone: 1, locale: 1 }).lean(),
      })),
    );
    data.documentRequests = await models.DocumentRequest.find({ organizationId: { $in: orgIds } }, { __v: 0 }).lean();
    data.licensedResources = await models.LicensedResource.find({ organizationId: { $in: orgIds } }, { __v: 0 }).lean();
    data.apiKeys = await models.ApiKey.find({ organizationId: { $in: orgIds } }, { secretHash: 0, __v: 0 }).lean();
  }
  return JSON.parse(JSON.stringify(data)) as Record<string, unknown>;
}

/** Periodic destruction (CON-7): sessions a year past their end, expired links, audit entries past two years. */
export async function destroyExpired(models: AccountsModels, now: Date): Promise<ServiceErasureReport> {
  const yearAgo = new Date(now.getTime() - 365 * 86_400_000);
  const twoYearsAgo = new Date(now.getTime() - 2 * 365 * 86_400_000);
  const dayAgo = new Date(now.getTime() - 86_400_000);
  const [sessions, tokens, audit, throttles] = await Promise.all([
    models.Session.deleteMany({ absoluteExpiresAt: { $lt: yearAgo } }),
    models.ActionToken.deleteMany({ expiresAt: { $lt: now } }),
    models.AuditEntry.deleteMany({ at: { $lt: twoYearsAgo } }),
    models.Throttle.deleteMany({ windowStartedAt: { $lt: dayAgo } }),
  ]);
  return {
    service: 'accounts',
    erased: nonZero([
      line('sessions', 'sessions ended more than a year ago', sessions.deletedCount),
      line('action_tokens', 'expired links', tokens.deletedCount),
      line('audit_entries', 'audit entries older than two years', audit.deletedCount),
      line('throttles', 'rate-limit counters older than a day', throttles.deletedCount),
    ]),
    kept: [],
  };
}
