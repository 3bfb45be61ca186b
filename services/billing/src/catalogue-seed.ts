import { isDuplicateKeyError } from '@omurga/shared';
import type { BillingModels } from './models/index.ts';
import { EXAMPLE_PLANS, POLICY_PRESETS } from './presets.ts';

export interface CatalogueSeedResult {
  policiesInserted: number;
  plansInserted: number;
}

const SEEDED_BY = 'catalogue-seed';

/**
 * Inserts version 1 of every preset policy and example plan (SPEC §1) whose
 * code has no version 1 yet; existing documents, and any later versions an
 * operator made, are left alone. Safe when several instances start together:
 * the unique {code, version} index (built by Model.init(), which must run
 * first) lets exactly one insert win, and the others' duplicate-key errors
 * mean "already there".
 *
 * Why not an upsert with $setOnInsert: FerretDB 1.24 (local runs and CI)
 * drops null and empty-array values from $setOnInsert, so the stored policy
 * would lack trialPeriod: null, lateFees: [] and the like.
 */
export async function seedCatalogue(models: BillingModels): Promise<CatalogueSeedResult> {
  // Policies first: a plan names its policy by code.
  const policies = await Promise.all(
    POLICY_PRESETS.map((policy) =>
      insertOnce(
        () => models.ContractPolicy.exists({ code: policy.code, version: 1 }),
        () => models.ContractPolicy.create({ ...policy, version: 1, createdBy: SEEDED_BY }),
      ),
    ),
  );
  const plans = await Promise.all(
    EXAMPLE_PLANS.map((plan) =>
      insertOnce(
        () => models.Plan.exists({ code: plan.code, version: 1 }),
        () => models.Plan.create({ ...plan, version: 1, createdBy: SEEDED_BY }),
      ),
    ),
  );
  return { policiesInserted: policies.filter(Boolean).length, plansInserted: plans.filter(Boolean).length };
}

/** True when this call inserted the document; false when it was already there. */
async function insertOnce(exists: () => Promise<unknown>, insert: () => Promise<unknown>): Promise<boolean> {
  if (await exists()) return false;
  try {
    await insert();
    return true;
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
}
