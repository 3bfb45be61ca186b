// `pnpm db:sync-indexes`: builds every service's indexes on the configured
// database (MONGODB_URI). Production runs with mongoose autoIndex off, so this
// is the one, deliberate place indexes are made: run it before a release that
// adds an index, and after a fresh install. It never drops an index; ones the
// code no longer declares are listed for a person to remove.
import type { Connection } from 'mongoose';
import { connectDatabase, loadConfig, type SubgraphName } from '@omurga/shared';
import { accountsModels } from '../services/accounts/src/models.ts';
import { billingModels } from '../services/billing/src/models/index.ts';
import { prepaidLedger } from '../services/billing/src/usage.ts';
import { endUserRequestModel } from '../services/consent/src/end-user-requests.ts';
import { consentModels } from '../services/consent/src/models.ts';
import { supportModels } from '../services/support/src/models.ts';

/** Registers every model of a service on its connection. */
const REGISTER: Record<SubgraphName, (db: Connection) => unknown> = {
  accounts: (db) => accountsModels(db),
  billing: (db) => prepaidLedger(billingModels(db)),
  consent: (db) => [consentModels(db), endUserRequestModel(db)],
  support: (db) => supportModels(db),
};

const config = loadConfig();
let failed = false;
for (const [service, register] of Object.entries(REGISTER) as [SubgraphName, (db: Connection) => unknown][]) {
  const db = await connectDatabase(config, service);
  try {
    await register(db);
    for (const model of Object.values(db.models)) {
      await model.createCollection().catch(() => undefined); // exists already
      await model.createIndexes();
      const { toDrop } = await model.diffIndexes();
      const extra = toDrop.length ? `; not declared any more (drop by hand if unused): ${toDrop.join(', ')}` : '';
      console.log(`${service}.${model.collection.collectionName}: indexes in place${extra}`);
    }
  } catch (error) {
    failed = true;
    console.error(`${service}: ${(error as Error).message}`);
  } finally {
    await db.close();
  }
}
process.exit(failed ? 1 : 0);
