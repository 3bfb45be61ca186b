import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { ResolvedTarget } from './target-guard.ts';

export interface PostResult {
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/**
 * POSTs the body to the checked address of the target (the connection never
 * resolves the name again), with TLS still verified against the host name.
 * Redirects are not followed: a 3xx is a failed attempt like any non-2xx.
 */
export function postJson(target: ResolvedTarget, body: string, headers: Record<string, string>, timeoutMs: number): Promise<PostResult> {
  const started = performance.now();
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if (options.all) (callback as unknown as (error: null, addresses: { address: string; family: number }[]) => void)(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
  const options: RequestOptions = {
    method: 'POST',
    lookup: pinned,
    headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'Omurga-Webhooks/1', ...headers },
    timeout: timeoutMs,
  };
  const send = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const finish = (statusCode: number | null, error: string | null) => resolve({ statusCode, error, durationMs: Math.round(performance.now() - started) });
    const req = send(target.url, options, (res) => {
      // The answer's body is not kept; reading it frees the socket.
      res.resume();
      res.on('end', () => finish(res.statusCode ?? null, null));
      res.on('error', (error) => finish(res.statusCode ?? null, error.message));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (error) => finish(null, error.message));
    req.end(body);
  });
}
