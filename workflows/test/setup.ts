import { DefaultLogger, Runtime } from '@temporalio/worker';

// Expected activity failures (retries under test) would otherwise flood the output.
Runtime.install({ logger: new DefaultLogger('ERROR') });
