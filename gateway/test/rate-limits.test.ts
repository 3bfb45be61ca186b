import type { Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import type { AccessTokenClaims } from '@omurga/shared';
import { gatewayRateLimits } from '../src/rate-limits.ts';

// The middleware on its own, with a verifier that trusts "token-<sub>".
const verify = async (token: string) => {
  if (!token.startsWith('token-')) throw new Error('bad token');
  return { sub: token.slice(6), kind: 'user' } as AccessTokenClaims;
};

function call(limits: ReturnType<typeof gatewayRateLimits>, ip: string, options: { token?: string; sensitiveCalls?: number } = {}) {
  return new Promise<{ status: number; retryAfter?: string; code?: string }>((resolve, reject) => {
    const req = { ip, socket: {}, headers: options.token ? { authorization: `Bearer ${options.token}` } : {} } as unknown as Request;
    const answer: { status: number; headers: Record<string, string> } = { status: 200, headers: {} };
    const res = {
      locals: { guarded: { sensitiveCalls: options.sensitiveCalls ?? 0 } },
      status(code: number) {
        answer.status = code;
        return this;
      },
      set(headers: Record<string, string>) {
        Object.assign(answer.headers, headers);
        return this;
      },
      json(body: { errors: { extensions: { code: string } }[] }) {
        resolve({ status: answer.status, retryAfter: answer.headers['retry-after'], code: body.errors[0]!.extensions.code });
        return this;
      },
    } as unknown as Response;
    void limits(req, res, (error?: unknown) => (error ? reject(error) : resolve({ status: 200 })));
  });
}

describe('gateway rate limits (issue 13)', () => {
  it('limits each client IP, with Retry-After', async () => {
    const limits = gatewayRateLimits({ ipPerMinute: 3, principalPerMinute: 100, sensitivePerIpPerMinute: 100 }, verify);
    for (let i = 0; i < 3; i++) expect((await call(limits, '203.0.113.1')).status).toBe(200);
    const refused = await call(limits, '203.0.113.1');
    expect(refused).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect((await call(limits, '203.0.113.2')).status).toBe(200);
  });

  it('limits each signed-in principal across addresses; a forged token counts for nobody', async () => {
    const limits = gatewayRateLimits({ ipPerMinute: 100, principalPerMinute: 2, sensitivePerIpPerMinute: 100 }, verify);
    expect((await call(limits, '203.0.113.3', { token: 'token-u1' })).status).toBe(200);
    expect((await call(limits, '203.0.113.4', { token: 'token-u1' })).status).toBe(200);
    expect((await call(limits, '203.0.113.5', { token: 'token-u1' })).status).toBe(429);
    expect((await call(limits, '203.0.113.5', { token: 'token-u2' })).status).toBe(200);
    expect((await call(limits, '203.0.113.5', { token: 'forged' })).status).toBe(200);
  });

  it('charges sensitive calls one point per alias', async () => {
    const limits = gatewayRateLimits({ ipPerMinute: 100, principalPerMinute: 100, sensitivePerIpPerMinute: 5 }, verify);
    expect((await call(limits, '203.0.113.6', { sensitiveCalls: 4 })).status).toBe(200);
    expect((await call(limits, '203.0.113.6', { sensitiveCalls: 2 })).status).toBe(429);
    expect((await call(limits, '203.0.113.6', { sensitiveCalls: 0 })).status).toBe(200);
  });
});
