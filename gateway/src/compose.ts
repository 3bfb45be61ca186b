import { readFileSync } from 'node:fs';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { SUBGRAPHS, loadConfig } from '@omurga/shared';

export const SUPERGRAPH_FILE = new URL('../supergraph.graphql', import.meta.url);

/**
 * Composes the four subgraph SDL files into the static supergraph the gateway
 * serves. The URLs are the local defaults; the gateway maps each subgraph name
 * to its configured URL at run time.
 */
export function composeSupergraph(): string {
  const defaults = loadConfig({});
  const result = composeServices(
    SUBGRAPHS.map((name) => ({
      name,
      url: defaults.subgraphs[name].url,
      typeDefs: parse(readFileSync(new URL(`../../services/${name}/src/schema.graphql`, import.meta.url), 'utf8')),
    })),
  );
  if (result.errors) {
    throw new Error(`supergraph composition failed:\n${result.errors.map((e) => `- ${e.message}`).join('\n')}`);
  }
  return `${result.supergraphSdl.trimEnd()}\n`;
}
