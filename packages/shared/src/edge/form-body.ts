import type { RequestHandler } from 'express';
import express from 'express';

/**
 * A browser form post (application/x-www-form-urlencoded), at most `limit`
 * bytes, as a plain object on req.body; for the few HTML pages served outside
 * GraphQL (hosted card capture, issue 15). `raw` keeps the bytes instead, for
 * a proxy that passes them on.
 */
export function formBody(limit = '4kb', raw = false): RequestHandler {
  return raw ? express.raw({ type: 'application/x-www-form-urlencoded', limit }) : express.urlencoded({ extended: false, limit, parameterLimit: 10 });
}
