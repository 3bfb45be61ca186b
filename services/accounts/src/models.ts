import { Schema, type Connection, type InferSchemaType, type Types } from 'mongoose';
import { MEMBER_ROLES, OPERATOR_ROLES } from '@omurga/shared';
import { SUSPENSION_REASONS } from '@omurga/shared/contracts';
import { webhookModels } from './webhooks/models.ts';

export const CUSTOMER_TYPES = ['INDIVIDUAL', 'SOLE_PROPRIETOR', 'CORPORATE'] as const;
export type CustomerType = (typeof CUSTOMER_TYPES)[number];
export const ACCOUNT_STATUSES = ['PENDING_VERIFICATION', 'ACTIVE', 'SUSPENDED', 'TERMINATED', 'ERASED'] as const;
export const LICENSED_RESOURCE_KINDS = ['WEBSITE', 'DOMAIN', 'PHONE_NUMBER'] as const;
export const DOCUMENT_KINDS = ['IDENTITY', 'AUTHORITY'] as const;
export const ACTION_TOKEN_PURPOSES = ['EMAIL_VERIFICATION', 'PASSWORD_RESET', 'EMAIL_CHANGE', 'INVITATION'] as const;
export type ActionTokenPurpose = (typeof ACTION_TOKEN_PURPOSES)[number];

const userSchema = new Schema(
  {
    email: { type: String, required: true, lowercase: true, trim: true },
    /** null for an erased person, who can no longer sign in */
    passwordHash: { type: String, default: null },
    firstName: { type: String, required: true },
    lastName: { type: String, required: true },
    phone: { type: String, default: null },
    emailVerifiedAt: { type: Date, default: null },
    /** non-empty only for the seller's operators, who never hold memberships (ACC-10) */
    operatorRoles: { type: [String], enum: OPERATOR_ROLES, default: [] },
    locale: { type: String, enum: ['tr', 'en'], default: 'tr' },
    /** ACC-2: 18+ attestation at sign-up */
    ageConfirmedAt: { type: Date, default: null },
    marketingEmailOptIn: { type: Boolean, default: false },
    signUpIp: { type: String, default: null },
    erasedAt: { type: Date, default: null },
  },
  { timestamps: true, collection: 'users', optimisticConcurrency: true },
);
userSchema.index({ email: 1 }, { unique: true });

const statusChangeSchema = new Schema(
  {
    from: { type: String, enum: ACCOUNT_STATUSES, default: null },
    to: { type: String, enum: ACCOUNT_STATUSES, required: true },
    reason: { type: String, default: null },
    actor: { type: String, default: null },
    at: { type: Date, required: true },
  },
  { _id: false },
);

const suspensionSchema = new Schema(
  {
    reason: { type: String, enum: SUSPENSION_REASONS, required: true },
    note: { type: String, default: null },
    actor: { type: String, required: true },
    since: { type: Date, required: true },
  },
  { _id: false },
);

const addressSchema = new Schema(
  {
    line1: String,
    line2: String,
    district: String,
    city: String,
    postalCode: String,
    country: String,
  },
  { _id: false },
);

const organizationSchema = new Schema(
  {
    name: { type: String, required: true },
    customerCode: { type: String, required: true },
    customerType: { type: String, enum: CUSTOMER_TYPES, required: true },
    status: { type: String, enum: ACCOUNT_STATUSES, required: true },
    /** the oldest suspension in force (contract field), kept in step with `suspensions` */
    suspensionReason: { type: String, default: null },
    /** ACC-6: every suspension in force; lifting one leaves the others */
    suspensions: { type: [suspensionSchema], default: [] },
    statusHistory: { type: [statusChangeSchema], default: [] },
    /** when the owner's e-mail was verified; a lifted suspension returns to ACTIVE only if set */
    verifiedAt: { type: Date, default: null },
    /** owners, counted so that removing the last one can be refused atomically (ACC-5) */
    ownerCount: { type: Number, default: 0 },
    /** TC Kimlik No (INDIVIDUAL, SOLE_PROPRIETOR) */
    nationalId: { type: String, default: null },
    /** VKN and tax office (CORPORATE) */
    taxId: { type: String, default: null },
    taxOffice: { type: String, default: null },
    billingAddress: { type: addressSchema, default: null },
    promoCode: { type: String, default: null },
    /** ACC-2: who declared authority to bind the company, and when */
    authorityDeclaredBy: { type: String, default: null },
    authorityDeclaredAt: { type: Date, default: null },
    /** ACC-9: set when an operator admits the organisation to the partner programme */
    partnerCode: { type: String, default: null },
    referredByPartnerId: { type: Schema.Types.ObjectId, default: null },
    /** issue 16: where billing e-mails go besides the OWNER and BILLING members (set by a bulk import) */
    billingContact: { type: new Schema({ email: String, locale: String }, { _id: false }), default: null },
  },
  { timestamps: true, collection: 'organizations', optimisticConcurrency: true },
);
organizationSchema.index({ customerCode: 1 }, { unique: true });
organizationSchema.index({ referredByPartnerId: 1, _id: 1 });

/** ACC-9: partner codes, unique by _id (a sparse index on organizations would not work on FerretDB). */
const partnerSchema = new Schema(
  {
    _id: { type: String },
    organizationId: { type: Schema.Types.ObjectId, required: true },
    approvedBy: { type: String, required: true },
  },
  { timestamps: true, collection: 'partners' },
);
partnerSchema.index({ organizationId: 1 }, { unique: true });

const membershipSchema = new Schema(
  {
    userId: { type: Schema.Types.ObjectId, required: true },
    organizationId: { type: Schema.Types.ObjectId, required: true },
    role: { type: String, enum: MEMBER_ROLES, required: true },
  },
  { timestamps: true, collection: 'memberships' },
);
membershipSchema.index({ userId: 1, organizationId: 1 }, { unique: true });
membershipSchema.index({ organizationId: 1 });

/** A refresh-token family (ACC-4): one per sign-in, rotated on every refresh. */
const sessionSchema = new Schema(
  {
    userId: { type: Schema.Types.ObjectId, required: true },
    /** SHA-256 of the refresh secret that is valid now */
    currentHash: { type: String, required: true },
    /** hashes of rotated secrets: presenting one again means the family leaked */
    rotatedHashes: { type: [String], default: [] },
    expiresAt: { type: Date, required: true },
    absoluteExpiresAt: { type: Date, required: true },
    revokedAt: { type: Date, default: null },
    revokedReason: { type: String, default: null },
    lastUsedAt: { type: Date, default: null },
    ip: { type: String, default: null },
    userAgent: { type: String, default: null },
  },
  { timestamps: true, collection: 'sessions' },
);
sessionSchema.index({ userId: 1 });

/** Single-use, expiring links sent by e-mail; only the token's hash is stored. */
const actionTokenSchema = new Schema(
  {
    purpose: { type: String, enum: ACTION_TOKEN_PURPOSES, required: true },
    tokenHash: { type: String, required: true },
    userId: { type: Schema.Types.ObjectId, default: null },
    /** the address the link went to */
    email: { type: String, required: true },
    organizationId: { type: Schema.Types.ObjectId, default: null },
    role: { type: String, enum: [...MEMBER_ROLES, null], default: null },
    createdBy: { type: String, default: null },
    expiresAt: { type: Date, required: true },
    usedAt: { type: Date, default: null },
  },
  { timestamps: true, collection: 'action_tokens' },
);
actionTokenSchema.index({ tokenHash: 1 }, { unique: true });
actionTokenSchema.index({ purpose: 1, userId: 1 });
actionTokenSchema.index({ organizationId: 1, purpose: 1 });

/** Fixed-window failure counters for login throttling (ACC-4). */
const throttleSchema = new Schema(
  {
    _id: { type: String },
    windowStartedAt: { type: Date, required: true },
    count: { type: Number, required: true },
  },
  { collection: 'throttles' },
);

const apiKeySchema = new Schema(
  {
    organizationId: { type: Schema.Types.ObjectId, required: true },
    name: { type: String, required: true },
    /** public lookup part of the key, e.g. omk_3f9a1c2b7d4e */
    prefix: { type: String, required: true },
    secretHash: { type: String, required: true },
    scopes: { type: [String], required: true },
    createdBy: { type: String, required: true },
    lastUsedAt: { type: Date, default: null },
    revokedAt: { type: Date, default: null },
  },
  { timestamps: true, collection: 'api_keys' },
);
apiKeySchema.index({ prefix: 1 }, { unique: true });
apiKeySchema.index({ organizationId: 1 });

/** ACC-10: who changed what, on which customer, before and after. Append-only. */
const auditEntrySchema = new Schema(
  {
    actorId: { type: String, required: true },
    actorRoles: { type: [String], default: [] },
    action: { type: String, required: true },
    targetType: { type: String, required: true },
    targetId: { type: String, required: true },
    before: { type: Schema.Types.Mixed, default: null },
    after: { type: Schema.Types.Mixed, default: null },
    ip: { type: String, default: null },
    at: { type: Date, required: true },
  },
  { collection: 'audit_entries' },
);
auditEntrySchema.index({ targetId: 1, _id: -1 });

const uploadSchema = new Schema(
  {
    kind: { type: String, enum: DOCUMENT_KINDS, required: true },
    fileId: { type: Schema.Types.ObjectId, required: true },
    fileName: { type: String, required: true },
    contentType: { type: String, required: true },
    size: { type: Number, required: true },
    sha256: { type: String, required: true },
    uploadedBy: { type: String, required: true },
    uploadedAt: { type: Date, required: true },
  },
  { _id: false },
);

/** ACC-7: documents an operator asked for, and the deadline the workflow enforces. */
const documentRequestSchema = new Schema(
  {
    organizationId: { type: Schema.Types.ObjectId, required: true },
    kinds: { type: [String], enum: DOCUMENT_KINDS, required: true },
    note: { type: String, default: null },
    requestedBy: { type: String, required: true },
    requestedAt: { type: Date, required: true },
    deadline: { type: Date, required: true },
    status: { type: String, enum: ['PENDING', 'SUBMITTED', 'EXPIRED', 'WITHDRAWN'], required: true },
    uploads: { type: [uploadSchema], default: [] },
  },
  { timestamps: true, collection: 'document_requests', optimisticConcurrency: true },
);
documentRequestSchema.index({ organizationId: 1 });

const documentFileSchema = new Schema(
  {
    organizationId: { type: Schema.Types.ObjectId, required: true },
    content: { type: Buffer, required: true },
  },
  { timestamps: true, collection: 'document_files' },
);

/** ACC-11: a website, domain or phone number licensed to an organisation. */
const licensedResourceSchema = new Schema(
  {
    organizationId: { type: Schema.Types.ObjectId, required: true },
    kind: { type: String, enum: LICENSED_RESOURCE_KINDS, required: true },
    value: { type: String, required: true },
    status: { type: String, enum: ['ACTIVE', 'HELD', 'RELEASED'], required: true },
    /** `kind:value` while active or held, so no one else can claim it; unique */
    claim: { type: String, required: true },
    heldUntil: { type: Date, default: null },
    releasedAt: { type: Date, default: null },
  },
  { timestamps: true, collection: 'licensed_resources' },
);
licensedResourceSchema.index({ claim: 1 }, { unique: true });
licensedResourceSchema.index({ organizationId: 1 });

const signingKeySchema = new Schema(
  {
    _id: { type: String },
    kid: { type: String, required: true },
    privateJwk: { type: Schema.Types.Mixed, required: true },
    publicJwk: { type: Schema.Types.Mixed, required: true },
  },
  { timestamps: true, collection: 'signing_keys' },
);

type Doc<S> = InferSchemaType<S> & { _id: Types.ObjectId };
export type UserDoc = Doc<typeof userSchema>;
export type OrganizationDoc = Doc<typeof organizationSchema>;
export type MembershipDoc = Doc<typeof membershipSchema>;
export type SessionDoc = Doc<typeof sessionSchema>;
export type ActionTokenDoc = Doc<typeof actionTokenSchema>;
export type ApiKeyDoc = Doc<typeof apiKeySchema>;
export type AuditEntryDoc = Doc<typeof auditEntrySchema>;
export type DocumentRequestDoc = Doc<typeof documentRequestSchema>;
export type LicensedResourceDoc = Doc<typeof licensedResourceSchema>;

export function accountsModels(db: Connection) {
  return {
    User: db.model('User', userSchema),
    Organization: db.model('Organization', organizationSchema),
    Membership: db.model('Membership', membershipSchema),
    Partner: db.model('Partner', partnerSchema),
    Session: db.model('Session', sessionSchema),
    ActionToken: db.model('ActionToken', actionTokenSchema),
    Throttle: db.model('Throttle', throttleSchema),
    ApiKey: db.model('ApiKey', apiKeySchema),
    AuditEntry: db.model('AuditEntry', auditEntrySchema),
    DocumentRequest: db.model('DocumentRequest', documentRequestSchema),
    DocumentFile: db.model('DocumentFile', documentFileSchema),
    LicensedResource: db.model('LicensedResource', licensedResourceSchema),
    SigningKey: db.model('SigningKey', signingKeySchema),
    ...webhookModels(db),
  };
}

export type AccountsModels = ReturnType<typeof accountsModels>;
