import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { Logger } from '../logger.ts';

/** Stable codes (extensions.code) of requests refused before or around GraphQL execution. */
export const EdgeErrorCode = {
  BAD_REQUEST: 'BAD_REQUEST',
  MALFORMED_JSON: 'MALFORMED_JSON',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  UNSUPPORTED_CHARSET: 'UNSUPPORTED_CHARSET',
  UNSUPPORTED_ENCODING: 'UNSUPPORTED_ENCODING',
  METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
  NOT_FOUND: 'NOT_FOUND',
  FORBIDDEN: 'FORBIDDEN',
  GRAPHQL_PARSE_FAILED: 'GRAPHQL_PARSE_FAILED',
  TOO_MANY_TOKENS: 'TOO_MANY_TOKENS',
  QUERY_TOO_DEEP: 'QUERY_TOO_DEEP',
  TOO_MANY_ALIASES: 'TOO_MANY_ALIASES',
  QUERY_TOO_COSTLY: 'QUERY_TOO_COSTLY',
  TOO_MANY_DIRECTIVES: 'TOO_MANY_DIRECTIVES',
  OPERATION_NOT_FOUND: 'OPERATION_NOT_FOUND',
  OPERATION_NAME_REQUIRED: 'OPERATION_NAME_REQUIRED',
  OPERATION_LIMIT_EXCEEDED: 'OPERATION_LIMIT_EXCEEDED',
  OPERATION_NOT_SUPPORTED: 'OPERATION_NOT_SUPPORTED',
  RATE_LIMITED: 'RATE_LIMITED',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type EdgeErrorCode = (typeof EdgeErrorCode)[keyof typeof EdgeErrorCode];

/** A GraphQL-shaped JSON error answer, so clients read every refusal the same way. */
export function sendEdgeError(res: Response, status: number, code: EdgeErrorCode, message: string, headers: Record<string, string> = {}) {
  res.status(status).set(headers).json({ errors: [{ message, extensions: { code } }] });
}

/** body-parser's error types, mapped to status and code; anything else is the server's fault. */
const BODY_ERRORS: Record<string, [number, EdgeErrorCode, string]> = {
  'entity.parse.failed': [400, EdgeErrorCode.MALFORMED_JSON, 'The request body is not valid JSON.'],
  'entity.too.large': [413, EdgeErrorCode.PAYLOAD_TOO_LARGE, 'The request body is larger than the limit.'],
  'charset.unsupported': [415, EdgeErrorCode.UNSUPPORTED_CHARSET, 'Only UTF-8 encoded JSON is accepted.'],
  'encoding.unsupported': [415, EdgeErrorCode.UNSUPPORTED_ENCODING, 'The content encoding is not supported.'],
  'request.size.invalid': [400, EdgeErrorCode.BAD_REQUEST, 'The request body does not match its Content-Length.'],
  'request.aborted': [400, EdgeErrorCode.BAD_REQUEST, 'The request was aborted.'],
};

/**
 * The last handler of every service: JSON with a code for every failure,
 * never express's HTML page, a stack trace or a file path, in any mode.
 */
export function jsonErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) return next(error);
    const known = BODY_ERRORS[(error as { type?: string } | null)?.type ?? ''];
    if (known) return sendEdgeError(res, known[0], known[1], known[2]);
    const status = (error as { status?: number } | null)?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) return sendEdgeError(res, status, EdgeErrorCode.BAD_REQUEST, 'The request could not be read.');
    logger.error({ err: error, path: req.path }, 'unexpected error in an HTTP handler');
    return sendEdgeError(res, 500, EdgeErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error.');
  };
}

export const jsonNotFound: RequestHandler = (_req, res) => sendEdgeError(res, 404, EdgeErrorCode.NOT_FOUND, 'Not found.');
