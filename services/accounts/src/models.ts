import { Schema, type Connection, type InferSchemaType } from 'mongoose';
import { MEMBER_ROLES, OPERATOR_ROLES } from '@omurga/shared';

export const CUSTOMER_TYPES = ['INDIVIDUAL', 'SOLE_PROPRIETOR', 'CORPORATE'] as const;
export const ACCOUNT_STATUSES = ['PENDING_VERIFICATION', 'ACTIVE', 'SUSPENDED', 'TERMINATED', 'ERASED'] as const;

const userSchema = new Schema(
  {
    email: { type: String, required: true, lowercase: true, trim: true },
    passwordHash: { type: String, required: true },
    firstName: { type: String, required: true },
    lastName: { type: String, required: true },
    emailVerifiedAt: { type: Date, default: null },
    /** non-empty only for the seller's operators, who never hold memberships (ACC-10) */
    operatorRoles: { type: [String], enum: OPERATOR_ROLES, default: [] },
    locale: { type: String, enum: ['tr', 'en'], default: 'tr' },
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

const organizationSchema = new Schema(
  {
    name: { type: String, required: true },
    customerCode: { type: String, required: true },
    customerType: { type: String, enum: CUSTOMER_TYPES, required: true },
    status: { type: String, enum: ACCOUNT_STATUSES, required: true },
    suspensionReason: { type: String, default: null },
    statusHistory: { type: [statusChangeSchema], default: [] },
  },
  { timestamps: true, collection: 'organizations', optimisticConcurrency: true },
);
organizationSchema.index({ customerCode: 1 }, { unique: true });

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

const signingKeySchema = new Schema(
  {
    _id: { type: String },
    kid: { type: String, required: true },
    privateJwk: { type: Schema.Types.Mixed, required: true },
    publicJwk: { type: Schema.Types.Mixed, required: true },
  },
  { timestamps: true, collection: 'signing_keys' },
);

export type UserDoc = InferSchemaType<typeof userSchema> & { _id: import('mongoose').Types.ObjectId };
export type OrganizationDoc = InferSchemaType<typeof organizationSchema> & { _id: import('mongoose').Types.ObjectId };
export type MembershipDoc = InferSchemaType<typeof membershipSchema> & { _id: import('mongoose').Types.ObjectId };

export function accountsModels(db: Connection) {
  return {
    User: db.model('User', userSchema),
    Organization: db.model('Organization', organizationSchema),
    Membership: db.model('Membership', membershipSchema),
    SigningKey: db.model('SigningKey', signingKeySchema),
  };
}

export type AccountsModels = ReturnType<typeof accountsModels>;
