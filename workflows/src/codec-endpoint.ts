import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { PayloadCodec } from '@temporalio/common';
import { payloadFromJson, payloadToJson, type PayloadJson } from '@omurga/shared/temporal';

/**
 * The Temporal UI's remote codec (`temporal server start-dev
 * --ui-codec-endpoint …/codec`): the UI in an operator's browser posts the
 * encrypted payloads of the history it shows to `/codec/decode` and gets them
 * readable. Served by the worker on a port of its own (TEMPORAL_CODEC_PORT,
 * 0 = off), never through the public gateway: whoever can reach it can read
 * payloads, so in production it is reachable only through the proxy that
 * signs operators in to the Temporal UI, or turned off.
 */

/** The largest request accepted: a page of history payloads (each at most Temporal's 2 MB). */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function isPayloadList(value: unknown): value is { payloads: PayloadJson[] } {
  if (!value || typeof value !== 'object' || !Array.isArray((value as { payloads?: unknown }).payloads)) return false;
  return (value as { payloads: unknown[] }).payloads.every((p) => p !== null && typeof p === 'object');
}

/** The codec's HTTP server: `/codec/encode`, `/codec/decode`; anything else is 404. A broken request never takes the worker down. */
export function codecServer(codec: PayloadCodec, uiOrigin: string): http.Server {
  const handle = codecEndpoint(codec, uiOrigin);
  return http.createServer((req, res) => {
    handle(req, res)
      .then((handled) => {
        if (!handled) res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      })
      .catch(() => {
        // The client went away mid-request (or wrote something unreadable): nobody is left to answer.
        if (!res.headersSent) res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"bad request"}');
        else res.destroy();
      });
  });
}

/** Handles `/codec/encode` and `/codec/decode` (and their CORS preflight); false for any other path. */
export function codecEndpoint(codec: PayloadCodec, uiOrigin: string) {
  const cors = {
    'access-control-allow-origin': uiOrigin,
    'access-control-allow-methods': 'POST, OPTIONS',
    'access-control-allow-headers': 'content-type, x-namespace, authorization',
    'access-control-allow-credentials': 'true',
    vary: 'origin',
  };
  const send = (res: ServerResponse, status: number, body: unknown) =>
    res.writeHead(status, { ...cors, 'content-type': 'application/json' }).end(JSON.stringify(body));

  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const path = (req.url ?? '').split('?')[0];
    const action = path === '/codec/decode' ? 'decode' : path === '/codec/encode' ? 'encode' : null;
    if (!action) return false;
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors).end();
      return true;
    }
    if (req.method !== 'POST') {
      send(res, 405, { error: 'use POST' });
      return true;
    }
    const body = await readBody(req);
    if (body === null) {
      send(res, 413, { error: `request larger than ${MAX_BODY_BYTES} bytes` });
      return true;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      parsed = null;
    }
    if (!isPayloadList(parsed)) {
      send(res, 400, { error: 'expected {"payloads": [{"metadata": {…}, "data": "…"}]}' });
      return true;
    }
    try {
      const payloads = parsed.payloads.map(payloadFromJson);
      const result = action === 'decode' ? await codec.decode(payloads) : await codec.encode(payloads);
      send(res, 200, { payloads: result.map(payloadToJson) });
    } catch (error) {
      // An unknown key or a tampered payload: say so, without internals.
      send(res, 422, { error: (error as Error).name === 'PayloadKeyError' ? (error as Error).message : 'payload could not be decoded' });
    }
    return true;
  };
}
