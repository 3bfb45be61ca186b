import express, { type Request, type RequestHandler, type Response } from 'express';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { MaxTokensParserWLexer } from '@escape.tech/graphql-armor-max-tokens';
import {
  GraphQLError,
  Kind,
  buildSchema,
  validate,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { EdgeErrorCode, sendEdgeError } from './json-errors.ts';
import { SENSITIVE_ROOT_FIELDS, type DocumentLimits } from './limits.ts';

/** What the guard learned about an accepted request, for the gateway's rate limits. */
export interface GuardedRequest {
  /** calls of SENSITIVE_ROOT_FIELDS in the operation, aliases counted one by one */
  sensitiveCalls: number;
}

export const guardedRequest = (res: Response): GuardedRequest => (res.locals.guarded as GuardedRequest | undefined) ?? { sensitiveCalls: 0 };

class Refusal extends Error {
  readonly status: number;
  readonly code: EdgeErrorCode;
  constructor(code: EdgeErrorCode, message: string, status = 400) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

// The structural rules look at the document only (selections, aliases,
// fragments), so they run on a stand-in schema, before the gateway or the
// subgraph spends anything on the request.
const STRUCTURE_ONLY_SCHEMA = buildSchema('type Query { _: Boolean }');

function structuralRules(limits: DocumentLimits, refusals: Refusal[]): ValidationRule[] {
  const refuseWith = (code: EdgeErrorCode) => ({
    propagateOnRejection: false,
    onReject: [(_ctx: ValidationContext | null, error: GraphQLError) => refusals.push(new Refusal(code, error.message.replace(/^Syntax Error: /, '')))],
  });
  return [
    maxDepthRule({ n: limits.depth, flattenFragments: true, ...refuseWith(EdgeErrorCode.QUERY_TOO_DEEP) }),
    maxAliasesRule({ n: limits.aliases, ...refuseWith(EdgeErrorCode.TOO_MANY_ALIASES) }),
    maxDirectivesRule({ n: limits.directives, ...refuseWith(EdgeErrorCode.TOO_MANY_DIRECTIVES) }),
    // Each field costs 1, each object 2, times `first`/`last`; linear in depth (depth has its own bound),
    // so a page of 50 invoices with their lines stays well inside while 1 000 of them does not.
    costLimitRule({ maxCost: limits.cost, depthCostFactor: 1, flattenFragments: true, ...refuseWith(EdgeErrorCode.QUERY_TOO_COSTLY) }),
  ] as ValidationRule[];
}

function parseBounded(query: string, maxTokens: number): DocumentNode {
  try {
    return new MaxTokensParserWLexer(query, { n: maxTokens, noLocation: true } as never).parseDocument();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/Token limit of \d+ exceeded/.test(message)) throw new Refusal(EdgeErrorCode.TOO_MANY_TOKENS, `Token limit of ${maxTokens} exceeded.`);
    throw new Refusal(EdgeErrorCode.GRAPHQL_PARSE_FAILED, error instanceof GraphQLError ? error.message : 'The query could not be parsed.');
  }
}

/** The operation the request runs; an unknown or missing operationName is the client's mistake (400), not the server's. */
function selectOperation(document: DocumentNode, operationName: unknown): OperationDefinitionNode {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (operationName != null && operationName !== '') {
    const found = operations.find((o) => o.name?.value === operationName);
    if (!found) throw new Refusal(EdgeErrorCode.OPERATION_NOT_FOUND, `Unknown operation named "${String(operationName).slice(0, 100)}".`);
    return found;
  }
  if (operations.length === 1) return operations[0]!;
  if (operations.length === 0) throw new Refusal(EdgeErrorCode.BAD_REQUEST, 'The document contains no operation.');
  throw new Refusal(EdgeErrorCode.OPERATION_NAME_REQUIRED, 'The document contains several operations: name one with operationName.');
}

/** Root-level calls of each sensitive field, through fragments, one per alias. */
export function sensitiveCalls(document: DocumentNode, operation: OperationDefinitionNode): Record<string, number> {
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]),
  );
  const counts: Record<string, number> = {};
  const visit = (set: SelectionSetNode, seen: Set<string>) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (SENSITIVE_ROOT_FIELDS[selection.name.value] !== undefined) counts[selection.name.value] = (counts[selection.name.value] ?? 0) + 1;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet, seen);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (fragment && !seen.has(fragment.name.value)) visit(fragment.selectionSet, new Set([...seen, fragment.name.value]));
      }
    }
  };
  visit(operation.selectionSet, new Set());
  return counts;
}

function checkDocument(body: { query?: unknown; operationName?: unknown }, limits: DocumentLimits): GuardedRequest {
  if (typeof body.query !== 'string' || body.query.trim() === '') throw new Refusal(EdgeErrorCode.BAD_REQUEST, 'The request has no GraphQL query.');
  if (body.operationName != null && typeof body.operationName !== 'string') throw new Refusal(EdgeErrorCode.BAD_REQUEST, 'operationName must be a string.');
  const document = parseBounded(body.query, limits.tokens);
  const operation = selectOperation(document, body.operationName);
  if (operation.operation === 'subscription') throw new Refusal(EdgeErrorCode.OPERATION_NOT_SUPPORTED, 'Subscriptions are not supported.');
  const refusals: Refusal[] = [];
  validate(STRUCTURE_ONLY_SCHEMA, document, structuralRules(limits, refusals));
  if (refusals[0]) throw refusals[0];
  const calls = sensitiveCalls(document, operation);
  for (const [field, count] of Object.entries(calls)) {
    const allowed = SENSITIVE_ROOT_FIELDS[field]!;
    if (count > allowed) throw new Refusal(EdgeErrorCode.OPERATION_LIMIT_EXCEEDED, `${field} may be called at most ${allowed} time(s) per request, found ${count}.`);
  }
  return { sensitiveCalls: Object.values(calls).reduce((a, b) => a + b, 0) };
}

/** Documents up to this size have their verdict remembered (clients send the same few queries again and again). */
const REMEMBERED_DOCUMENT_CHARS = 16_384;
const REMEMBERED_DOCUMENTS = 2_000;

/**
 * checkDocument's verdict (bounds met, or the refusal) depends on the query
 * text, the operation name and the limits only, so it is remembered per query
 * for the process's life: a known query skips the parse and the validation.
 * Large documents (a hostile 100 KB body) are checked every time, never kept.
 */
function rememberedCheck(limits: DocumentLimits) {
  const verdicts = new Map<string, GuardedRequest | Refusal>();
  return (body: { query?: unknown; operationName?: unknown }): GuardedRequest => {
    const key = typeof body.query === 'string' && body.query.length <= REMEMBERED_DOCUMENT_CHARS && (body.operationName == null || typeof body.operationName === 'string')
      ? `${body.operationName ?? ''}\u0000${body.query}`
      : undefined;
    const known = key === undefined ? undefined : verdicts.get(key);
    if (known instanceof Refusal) throw known;
    if (known) return known;
    let verdict: GuardedRequest | Refusal;
    try {
      verdict = checkDocument(body, limits);
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      verdict = error;
    }
    if (key !== undefined) {
      if (verdicts.size >= REMEMBERED_DOCUMENTS) verdicts.delete(verdicts.keys().next().value!);
      verdicts.set(key, verdict);
    }
    if (verdict instanceof Refusal) throw verdict;
    return verdict;
  };
}

const isJson = (req: Request) => req.is(['application/json', 'application/*+json']) !== false;

/**
 * Everything /graphql checks before GraphQL sees the request: method, media
 * type and charset, one body limit, the request shape, and the document's
 * bounds (tokens, depth, aliases, cost, directives, operation selection,
 * sensitive calls per request). Refusals are coded JSON errors, HTTP 4xx.
 */
export function graphqlRequestGuard(limits: DocumentLimits, bodyLimitBytes: number): RequestHandler[] {
  const check = rememberedCheck(limits);
  const checkRequest: RequestHandler = (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'POST') {
      return sendEdgeError(res, 405, EdgeErrorCode.METHOD_NOT_ALLOWED, 'Use GET or POST.', { allow: 'GET, POST' });
    }
    if (req.method === 'POST' && !isJson(req)) {
      return sendEdgeError(res, 415, EdgeErrorCode.UNSUPPORTED_MEDIA_TYPE, 'Send the request as application/json.');
    }
    next();
  };
  const checkBody: RequestHandler = (req, res, next) => {
    const body: unknown = req.method === 'GET' ? req.query : req.body;
    try {
      if (Array.isArray(body)) throw new Refusal(EdgeErrorCode.BAD_REQUEST, 'Batched requests are not supported.');
      if (!body || typeof body !== 'object') throw new Refusal(EdgeErrorCode.BAD_REQUEST, 'The request body must be a JSON object.');
      const { variables } = body as { variables?: unknown };
      if (req.method === 'POST' && variables != null && (typeof variables !== 'object' || Array.isArray(variables))) {
        throw new Refusal(EdgeErrorCode.BAD_REQUEST, 'variables must be an object.');
      }
      res.locals.guarded = check(body as Record<string, unknown>);
      next();
    } catch (error) {
      if (!(error instanceof Refusal)) return next(error);
      sendEdgeError(res, error.status, error.code, error.message);
    }
  };
  return [checkRequest, express.json({ limit: bodyLimitBytes, strict: false }), checkBody];
}
