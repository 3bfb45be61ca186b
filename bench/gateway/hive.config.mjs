// Hive Gateway with its defaults, told only to forward the caller's token and
// language to the subgraphs (without them the subgraphs cannot answer). The
// benchmark copies this file next to the supergraph it runs Hive on.
export const gatewayConfig = {
  propagateHeaders: {
    fromClientToSubgraphs: ({ request }) => ({
      authorization: request.headers.get('authorization') ?? undefined,
      'accept-language': request.headers.get('accept-language') ?? undefined,
    }),
  },
};
