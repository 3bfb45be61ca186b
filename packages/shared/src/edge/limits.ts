import { z } from 'zod';

const count = (fallback: number) => z.coerce.number().int().min(1).default(fallback);

// Every request bound, from the environment; the defaults are the platform's policy.
const limitsSchema = z.object({
  /** one JSON body limit at every hop (gateway and subgraphs): 10 MB of attachment as base64 plus the query (SUP-1) */
  REQUEST_BODY_LIMIT_BYTES: count(14 * 1024 * 1024),
  GRAPHQL_MAX_DEPTH: count(10),
  GRAPHQL_MAX_ALIASES: count(15),
  GRAPHQL_MAX_COST: count(5000),
  GRAPHQL_MAX_TOKENS: count(1000),
  GRAPHQL_MAX_DIRECTIVES: count(20),
  /** gateway, every request, per client IP and per signed-in principal */
  RATE_LIMIT_IP_PER_MINUTE: count(600),
  RATE_LIMIT_PRINCIPAL_PER_MINUTE: count(1200),
  /** gateway, the expensive public mutations below, per client IP: one point per alias */
  RATE_LIMIT_SENSITIVE_PER_IP_PER_MINUTE: count(60),
});

export type RequestLimits = ReturnType<typeof loadRequestLimits>;

export function loadRequestLimits(env: NodeJS.ProcessEnv = process.env) {
  const e = limitsSchema.parse(env);
  return {
    bodyLimitBytes: e.REQUEST_BODY_LIMIT_BYTES,
    document: { depth: e.GRAPHQL_MAX_DEPTH, aliases: e.GRAPHQL_MAX_ALIASES, cost: e.GRAPHQL_MAX_COST, tokens: e.GRAPHQL_MAX_TOKENS, directives: e.GRAPHQL_MAX_DIRECTIVES },
    rates: { ipPerMinute: e.RATE_LIMIT_IP_PER_MINUTE, principalPerMinute: e.RATE_LIMIT_PRINCIPAL_PER_MINUTE, sensitivePerIpPerMinute: e.RATE_LIMIT_SENSITIVE_PER_IP_PER_MINUTE },
  };
}

export type DocumentLimits = RequestLimits['document'];

/**
 * A subgraph checks the same bounds again, with headroom for what the gateway's
 * query planner adds (`_entities` one level up, `__typename` and key fields).
 */
export const plannedQueryLimits = (limits: DocumentLimits): DocumentLimits => ({
  depth: limits.depth + 2,
  aliases: limits.aliases * 2,
  cost: limits.cost * 2,
  tokens: limits.tokens * 2,
  directives: limits.directives * 2,
});

/**
 * Root fields that do expensive or abuse-prone work (password hashing, e-mail,
 * throttle writes): at most this many per request, counted per alias, so 200
 * aliased logIns are refused before any of them runs. They also cost one point
 * each against the gateway's per-IP rate limit for sensitive operations.
 */
export const SENSITIVE_ROOT_FIELDS: Readonly<Record<string, number>> = {
  logIn: 1,
  signUp: 1,
  requestPasswordReset: 1,
  resendVerificationEmail: 1,
  resetPassword: 1,
  verifyEmail: 1,
  refreshSession: 1,
  exchangeApiKey: 1,
  acceptInvitation: 1,
  unsubscribe: 1,
  submitDataSubjectRequest: 1,
  requestEmailChange: 1,
};
