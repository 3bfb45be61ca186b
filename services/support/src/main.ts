import { loadConfig, runSubgraph } from '@omurga/shared';
import { supportSubgraph } from './subgraph.ts';

await runSubgraph(supportSubgraph, loadConfig());
