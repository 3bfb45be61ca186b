import { loadConfig, runSubgraph } from '@omurga/shared';
import { billingSubgraph } from './subgraph.ts';

await runSubgraph(billingSubgraph, loadConfig());
