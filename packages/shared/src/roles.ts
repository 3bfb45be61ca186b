export const MEMBER_ROLES = ['OWNER', 'ADMIN', 'BILLING', 'AGENT', 'READ_ONLY'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

export const OPERATOR_ROLES = ['SUPPORT_AGENT', 'BILLING_ADMIN', 'DPO', 'SUPER_ADMIN'] as const;
export type OperatorRole = (typeof OPERATOR_ROLES)[number];

/** Member roles that may change an organisation's data (READ_ONLY may only read). */
export const WRITER_ROLES: readonly MemberRole[] = ['OWNER', 'ADMIN', 'BILLING', 'AGENT'];
