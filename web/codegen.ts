import type { CodegenConfig } from '@graphql-codegen/cli';

// Typed documents from the committed supergraph: a schema change that breaks a
// page fails `pnpm --filter @omurga/web build` (and so `./platform test`).
const config: CodegenConfig = {
  schema: '../gateway/supergraph.graphql',
  documents: ['src/**/*.tsx', 'src/**/*.ts', '!src/gql/**/*'],
  ignoreNoDocuments: false,
  generates: {
    './src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        documentMode: 'string',
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { DateTime: 'string', Duration: 'string' },
        skipTypename: true,
      },
    },
  },
};
export default config;
