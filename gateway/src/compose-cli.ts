import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SUPERGRAPH_FILE, composeSupergraph } from './compose.ts';

writeFileSync(SUPERGRAPH_FILE, composeSupergraph());
console.log(`wrote ${fileURLToPath(SUPERGRAPH_FILE)}`);
