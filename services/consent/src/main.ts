import { loadConfig, runSubgraph } from '@omurga/shared';
import { consentSubgraph } from './subgraph.ts';

await runSubgraph(consentSubgraph, loadConfig());
