import { loadConfig, runSubgraph } from '@omurga/shared';
import { accountsSubgraph } from './subgraph.ts';

await runSubgraph(accountsSubgraph, loadConfig());
