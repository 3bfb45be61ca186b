// A stock @apollo/gateway on Apollo Server's standalone HTTP server: the
// benchmark's baseline (issue 16). It only forwards the caller's token and
// language, which the subgraphs need to answer at all.
// Usage: node bench/gateway/stock-gateway.ts <supergraph file> <port>
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
// The gateway's and the shared package's own copies (pnpm does not hoist them to the root).
const fromGateway = createRequire(path.join(ROOT, 'gateway/package.json'));
const fromShared = createRequire(path.join(ROOT, 'packages/shared/package.json'));
// Loose types: the bench folder is outside the workspace packages that declare these.
type Constructor = new (options: Record<string, unknown>) => any;
const { ApolloGateway, RemoteGraphQLDataSource } = (await import(fromGateway.resolve('@apollo/gateway'))) as Record<string, Constructor>;
const { ApolloServer } = (await import(fromShared.resolve('@apollo/server'))) as Record<string, Constructor>;
const { startStandaloneServer } = (await import(fromShared.resolve('@apollo/server/standalone'))) as {
  startStandaloneServer: (server: unknown, options: Record<string, unknown>) => Promise<{ url: string }>;
};

const [supergraphFile, port] = process.argv.slice(2);
if (!supergraphFile || !port) throw new Error('usage: stock-gateway.ts <supergraph file> <port>');

interface Context {
  authorization?: string;
  language?: string;
}

const gateway = new ApolloGateway!({
  supergraphSdl: readFileSync(supergraphFile, 'utf8'),
  buildService: ({ url }: { url: string }) =>
    new RemoteGraphQLDataSource!({
      url,
      willSendRequest({ request, context }: { request: { http?: { headers: Map<string, string> } }; context: Context }) {
        if (context.authorization) request.http?.headers.set('authorization', context.authorization);
        if (context.language) request.http?.headers.set('accept-language', context.language);
      },
    }),
});
const server = new ApolloServer!({ gateway });
const { url } = await startStandaloneServer(server, {
  listen: { port: Number(port), host: '127.0.0.1' },
  context: async ({ req }: { req: { headers: Record<string, string | string[] | undefined> } }) => ({ authorization: req.headers.authorization as string | undefined, language: req.headers['accept-language'] as string | undefined }),
});
console.log(`stock gateway listening on ${url}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void server.stop().then(() => process.exit(0)));
