// Issue 13: the gateway retries a query once when its subgraph connection is
// reset, never a mutation, and names an unreachable subgraph with a code.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import { SERVER_KEEP_ALIVE_TIMEOUT_MS, CLIENT_IDLE_TIMEOUT_MS } from '@omurga/shared';
import { ResilientDataSource } from '../src/resilient-data-source.ts';

const servers: http.Server[] = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));

/** A subgraph that drops the connection of its first `resets` requests, then answers. */
async function flakySubgraph(resets: number) {
  let requests = 0;
  const server = http.createServer((req, res) => {
    requests += 1;
    if (requests <= resets) return req.socket.destroy();
    res.setHeader('content-type', 'application/json').end(JSON.stringify({ data: { ok: true } }));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, requests: () => requests };
}

function send(url: string, operation: 'query' | 'mutation') {
  const source = new ResilientDataSource<object>({ name: 'support', url });
  const options = {
    kind: 'incoming operation',
    request: { query: `${operation} { ok }`, http: { method: 'POST', url, headers: new Map() } },
    context: { locale: 'en' },
    incomingRequestContext: { operation: { operation } },
  } as unknown as GraphQLDataSourceProcessOptions<object>;
  return source.process(options);
}

describe('ResilientDataSource', () => {
  it('sends a query once more after a reset connection', async () => {
    const subgraph = await flakySubgraph(1);
    expect((await send(subgraph.url, 'query')).data).toEqual({ ok: true });
    expect(subgraph.requests()).toBe(2);
  });

  it('never resends a mutation, and reports the subgraph as unavailable', async () => {
    const subgraph = await flakySubgraph(1);
    const error = await send(subgraph.url, 'mutation').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphQLError);
    expect((error as GraphQLError).extensions).toEqual({ code: 'SUBGRAPH_UNAVAILABLE', service: 'support' });
    expect(subgraph.requests()).toBe(1);
  });

  it('answers SUBGRAPH_UNAVAILABLE for a subgraph nobody listens for', async () => {
    const subgraph = await flakySubgraph(0);
    servers.splice(0).forEach((s) => s.close());
    const error = (await send(subgraph.url, 'query').catch((e: unknown) => e)) as GraphQLError;
    expect(error.extensions.code).toBe('SUBGRAPH_UNAVAILABLE');
    expect(error.message).toContain('support');
  });

  it('lets the gateway drop idle connections before the subgraph does', () => {
    expect(SERVER_KEEP_ALIVE_TIMEOUT_MS).toBeGreaterThan(CLIENT_IDLE_TIMEOUT_MS);
  });
});
