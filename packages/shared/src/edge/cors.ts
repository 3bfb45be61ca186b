import cors from 'cors';
import type { RequestHandler } from 'express';

/** Origins of the browser apps: CORS_ORIGINS (comma-separated), else the web front (PUBLIC_APP_URL) and Vite's dev server. */
export function corsOrigins(env: NodeJS.ProcessEnv = process.env): string[] {
  if (env.CORS_ORIGINS !== undefined) return env.CORS_ORIGINS.split(',').map((s) => s.trim()).filter(Boolean);
  const app = env.PUBLIC_APP_URL ? [new URL(env.PUBLIC_APP_URL).origin] : ['http://127.0.0.1:4000'];
  return [...new Set([...app, 'http://127.0.0.1:5173', 'http://localhost:5173'])];
}

/** CORS for browser apps on their own origins; bearer tokens, no cookies, preflight cached 10 minutes. */
export function browserCors(env: NodeJS.ProcessEnv = process.env): RequestHandler {
  return cors({
    origin: corsOrigins(env),
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: ['content-type', 'authorization', 'accept-language', 'apollo-require-preflight', 'x-request-id'],
    exposedHeaders: ['retry-after', 'x-request-id'],
    maxAge: 600,
  });
}
