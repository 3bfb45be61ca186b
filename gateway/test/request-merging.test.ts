// Issue 16: identical subgraph queries in flight at once are sent once; a
// different caller, a mutation or a later request is never answered by another's.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { afterEach, describe, expect, it } from 'vitest';
import { ResilientDataSource } from '../src/resilient-data-source.ts';

const servers: http.Server[] = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));

interface Seen {
  authorization: string | undefined;
  mergeable: string | undefined;
}

/** A subgraph that holds every answer until `release()`, so requests overlap. */
async function slowSubgraph(answer: (seen: Seen, n: number) => { status: number; body: unknown }) {
  const seen: Seen[] = [];
  const held: (() => void)[] = [];
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const me = { authorization: req.headers.authorization, mergeable: req.headers['x-omurga-mergeable'] as string | undefined };
      seen.push(me);
      const n = seen.length;
      held.push(() => {
        const { status, body } = answer(me, n);
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      });
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  const arrived = async (count: number) => {
    while (seen.length < count) await new Promise((resolve) => setTimeout(resolve, 5));
  };
  const release = () => held.splice(0).forEach((respond) => respond());
  return { url, seen, arrived, release };
}

function caller(source: ResilientDataSource<object>, operation: 'query' | 'mutation', token?: string, query = `${operation} { ok }`) {
  const headers = new Map<string, string>();
  if (token) headers.set('authorization', `Bearer ${token}`);
  return source.process({
    kind: 'incoming operation',
    request: { query, variables: { id: '1' }, http: { method: 'POST', url: source.url, headers } },
    context: { locale: 'en' },
    incomingRequestContext: { operation: { operation } },
  } as unknown as GraphQLDataSourceProcessOptions<object>);
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('merging identical in-flight subgraph queries', () => {
  it('sends identical concurrent queries of one caller once and gives each its own copy', async () => {
    const subgraph = await slowSubgraph((_, n) => ({ status: 200, body: { data: { ok: true, n } } }));
    const source = new ResilientDataSource<object>({ name: 'billing', url: subgraph.url });
    const pending = Array.from({ length: 5 }, () => caller(source, 'query', 'token-a'));
    await subgraph.arrived(1);
    await settle();
    subgraph.release();
    const answers = await Promise.all(pending);
    expect(subgraph.seen).toHaveLength(1);
    expect(answers.map((a) => a.data)).toEqual(Array.from({ length: 5 }, () => ({ ok: true, n: 1 })));
    // Copies, not one shared object: the gateway merges entity data into each answer.
    expect(answers[0]!.data).not.toBe(answers[1]!.data);
    // The marker stays inside the gateway.
    expect(subgraph.seen[0]!.mergeable).toBeUndefined();
  });

  it('never merges the queries of callers with different tokens, nor a caller with an anonymous one', async () => {
    const subgraph = await slowSubgraph((seen) => ({ status: 200, body: { data: { who: seen.authorization ?? null } } }));
    const source = new ResilientDataSource<object>({ name: 'accounts', url: subgraph.url });
    const pending = [caller(source, 'query', 'token-a'), caller(source, 'query', 'token-b'), caller(source, 'query')];
    await subgraph.arrived(3);
    subgraph.release();
    const answers = await Promise.all(pending);
    expect(subgraph.seen).toHaveLength(3);
    expect(answers.map((a) => a.data)).toEqual([{ who: 'Bearer token-a' }, { who: 'Bearer token-b' }, { who: null }]);
  });

  it('never merges mutations, even identical ones of one caller', async () => {
    const subgraph = await slowSubgraph((_, n) => ({ status: 200, body: { data: { n } } }));
    const source = new ResilientDataSource<object>({ name: 'billing', url: subgraph.url });
    const pending = [caller(source, 'mutation', 'token-a'), caller(source, 'mutation', 'token-a')];
    await subgraph.arrived(2);
    subgraph.release();
    const answers = await Promise.all(pending);
    expect(subgraph.seen).toHaveLength(2);
    expect(answers.map((a) => a.data).sort((x, y) => (x!.n as number) - (y!.n as number))).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('does not merge different operations or a query sent after the first was answered', async () => {
    const subgraph = await slowSubgraph((_, n) => ({ status: 200, body: { data: { n } } }));
    const source = new ResilientDataSource<object>({ name: 'billing', url: subgraph.url });
    const pending = [caller(source, 'query', 'a', 'query { ok }'), caller(source, 'query', 'a', 'query { other }')];
    await subgraph.arrived(2);
    subgraph.release();
    await Promise.all(pending);
    const later = caller(source, 'query', 'a', 'query { ok }');
    await subgraph.arrived(3);
    subgraph.release();
    expect((await later).data).toEqual({ n: 3 });
  });

  it('hands the same failure to every waiter', async () => {
    const subgraph = await slowSubgraph(() => ({ status: 400, body: { errors: [{ message: 'bad duration', extensions: { code: 'BAD_USER_INPUT' } }] } }));
    const source = new ResilientDataSource<object>({ name: 'billing', url: subgraph.url });
    const pending = Array.from({ length: 3 }, () => caller(source, 'query', 'token-a').catch((error: unknown) => error));
    await subgraph.arrived(1);
    await settle();
    subgraph.release();
    const failures = (await Promise.all(pending)) as Error[];
    expect(subgraph.seen).toHaveLength(1);
    for (const failure of failures) {
      expect(failure).toBeInstanceOf(Error);
      expect(failure.message).toContain('400');
    }
  });
});
