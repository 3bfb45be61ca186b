// Issue 16: identical queries of one caller in flight together are executed
// once; other callers, mutations and failed answers are never shared.
import { ApolloServer } from '@apollo/server';
import { describe, expect, it } from 'vitest';
import { operationMerging, type MergeableContext } from '../src/operation-merging.ts';

async function server() {
  const calls = { count: 0, release: [] as (() => void)[] };
  const held = () => new Promise<void>((resolve) => calls.release.push(resolve));
  const apollo = new ApolloServer<MergeableContext>({
    typeDefs: 'type Query { me: String, fails: String } type Mutation { touch: Int }',
    resolvers: {
      Query: {
        me: async (_: unknown, __: unknown, ctx: MergeableContext) => {
          calls.count++;
          await held();
          return ctx.authorization ?? 'anonymous';
        },
        fails: async () => {
          calls.count++;
          await held();
          throw new Error('subgraph down');
        },
      },
      Mutation: {
        touch: async () => {
          await held();
          return ++calls.count;
        },
      },
    },
    plugins: [operationMerging<MergeableContext>()],
  });
  await apollo.start();
  const run = (query: string, authorization?: string) =>
    apollo.executeOperation({ query }, { contextValue: { locale: 'tr', ip: '10.0.0.1', ...(authorization ? { authorization } : {}) } }).then((r) => (r.body.kind === 'single' ? r.body.singleResult : undefined));
  const releaseAll = async () => {
    await new Promise((resolve) => setTimeout(resolve, 20));
    calls.release.splice(0).forEach((release) => release());
  };
  return { run, calls, releaseAll, stop: () => apollo.stop() };
}

describe('merging identical queries in flight at the gateway', () => {
  it('executes identical concurrent queries of one caller once, each caller getting the answer', async () => {
    const s = await server();
    const pending = Array.from({ length: 5 }, () => s.run('{ me }', 'Bearer a'));
    await s.releaseAll();
    expect(await Promise.all(pending)).toEqual(Array.from({ length: 5 }, () => ({ data: { me: 'Bearer a' } })));
    expect(s.calls.count).toBe(1);
    await s.stop();
  });

  it('never shares between callers with different tokens, or with an anonymous caller', async () => {
    const s = await server();
    const pending = [s.run('{ me }', 'Bearer a'), s.run('{ me }', 'Bearer b'), s.run('{ me }')];
    await s.releaseAll();
    expect((await Promise.all(pending)).map((r) => r?.data)).toEqual([{ me: 'Bearer a' }, { me: 'Bearer b' }, { me: 'anonymous' }]);
    expect(s.calls.count).toBe(3);
    await s.stop();
  });

  it('never merges mutations', async () => {
    const s = await server();
    const pending = [s.run('mutation { touch }', 'Bearer a'), s.run('mutation { touch }', 'Bearer a')];
    await s.releaseAll();
    const answers = await Promise.all(pending);
    expect(answers.map((r) => r?.data?.touch).sort()).toEqual([1, 2]);
    await s.stop();
  });

  it('lets every waiter of a failed query run it and get its own formatted error', async () => {
    const s = await server();
    const pending = [s.run('{ fails }', 'Bearer a'), s.run('{ fails }', 'Bearer a')];
    await s.releaseAll(); // the leader fails ...
    await s.releaseAll(); // ... and its waiter runs the query itself
    const answers = await Promise.all(pending);
    expect(s.calls.count).toBe(2);
    for (const answer of answers) expect(answer?.errors?.[0]?.message).toBe('subgraph down');
    await s.stop();
  });
});
