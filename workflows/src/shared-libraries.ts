// Libraries the worker evaluates once and shares between all the workflows it
// holds (the bundle's `preloadModules`). Everything else the workflows import
// is evaluated again for each workflow the worker caches or rebuilds; zod and
// luxon were some 700 KB of heap per workflow (bench/workflow-memory.bench.ts
// measures it).
//
// A preloaded module is evaluated before any workflow exists, and the worker
// then freezes everything it exports, so only stateless code belongs here:
// never our own modules (their zod schemas fill caches lazily) and never
// OpenTelemetry (its workflow interceptor keeps a tracer per workflow).
import { z } from 'zod';

export * as zod from 'zod';
export * as luxon from 'luxon';

// zod sets a few process-wide defaults the first time a schema is built; set
// them now, before the worker freezes zod's modules.
z.config(z.locales.en());
z.config({ memoizer: z.core.memoizer() });
void z.core.util.allowsEval.value;
