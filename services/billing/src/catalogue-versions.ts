import type { BillingModels, PlanDoc, PolicyDoc } from './models/index.ts';

/** How many versions of each kind a process keeps; more than any catalogue has, a bound all the same. */
const VERSIONS_KEPT = 10_000;

/**
 * Plan and contract-policy versions by id, read once per process (issue 16):
 * a version is only ever inserted, never changed (a change is a new
 * version), so one read once stays true. A renewal wave reads the same few
 * versions for every subscription; concurrent first reads share one query
 * (a promise: a mongoose query runs again each time it is awaited).
 * A version not found, or a failed read, is not kept. Callers must not
 * change what they get: it is shared.
 */
export function catalogueVersions(models: BillingModels) {
  return {
    plan: keptById((id) => models.Plan.findById(id).lean<PlanDoc>().exec()),
    policy: keptById((id) => models.ContractPolicy.findById(id).lean<PolicyDoc>().exec()),
  };
}
export type CatalogueVersions = ReturnType<typeof catalogueVersions>;

function keptById<T>(read: (id: string) => Promise<T | null>): (id: unknown) => Promise<T | null> {
  const kept = new Map<string, Promise<T | null>>();
  return (id) => {
    const key = String(id);
    const known = kept.get(key);
    if (known) return known;
    if (kept.size >= VERSIONS_KEPT) kept.clear();
    const reading = read(key);
    kept.set(key, reading);
    const forget = () => {
      if (kept.get(key) === reading) kept.delete(key);
    };
    reading.then((value) => value ?? forget(), forget);
    return reading;
  };
}
