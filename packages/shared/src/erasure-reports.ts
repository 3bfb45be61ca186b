import type { Connection } from 'mongoose';
import { isDuplicateKeyError } from './db.ts';

/**
 * CON-6/CON-7: what a service erased for one erasure (or destruction run),
 * summed over every attempt of its activity. An erasure counts what it
 * changes, so a retry after an attempt that did the work but lost its
 * completion (a timeout, a worker restart) finds nothing left and would report
 * zero; the destruction record would then under-state what was destroyed.
 * Each attempt's counts are added to the service's `erasure_reports`
 * (no personal data: collection names, descriptions and counts) and the
 * totals are returned instead. What is kept is read from the data each time,
 * so the latest attempt's kept lines stand.
 */

export interface ReportLine {
  collection: string;
  description: string;
  count: number;
}

export interface ServiceReport<Kept> {
  service: string;
  erased: ReportLine[];
  kept: Kept[];
}

interface StoredReport {
  _id: string;
  version: number;
  erased: ReportLine[];
  kept: unknown[];
  updatedAt: Date;
}

/** Kept long enough for any retry of the activity; the destruction record itself is the lasting copy. */
const KEEP_REPORTS_MS = 90 * 24 * 3600_000;
const MAX_RACES = 10;

/** Sums lines of the same collection and description, in first-seen order. */
export function sumReportLines<L extends ReportLine>(lines: readonly L[]): L[] {
  const byKey = new Map<string, L>();
  for (const line of lines) {
    const key = `${line.collection}\u0000${line.description}`;
    const seen = byKey.get(key);
    byKey.set(key, seen ? { ...seen, count: seen.count + line.count } : { ...line });
  }
  return [...byKey.values()];
}

async function accumulate<K>(db: Connection, key: string, attempt: ServiceReport<K>, now: Date): Promise<ServiceReport<K>> {
  const reports = db.collection<StoredReport>('erasure_reports');
  for (let race = 0; race < MAX_RACES; race++) {
    const stored = await reports.findOne({ _id: key });
    const erased = sumReportLines([...(stored?.erased ?? []), ...attempt.erased]).filter((line) => line.count > 0);
    const result = { service: attempt.service, erased, kept: attempt.kept };
    if (stored && !attempt.erased.some((line) => line.count > 0)) {
      // Nothing new: leave the stored totals as they are.
      if (JSON.stringify(stored.kept) === JSON.stringify(attempt.kept)) return result;
    }
    if (!stored) {
      try {
        await reports.insertOne({ _id: key, version: 1, erased, kept: attempt.kept, updatedAt: now });
        return result;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        continue; // another attempt stored first: add to its totals
      }
    }
    const updated = await reports.updateOne({ _id: key, version: stored.version }, { $set: { erased, kept: attempt.kept, updatedAt: now }, $inc: { version: 1 } });
    if (updated.matchedCount === 1) return result;
  }
  throw new Error(`erasure report ${key}: too many concurrent attempts`);
}

interface Reporting {
  erasePersonalData(input: { erasureId: string }): Promise<ServiceReport<unknown>>;
  destroyExpiredPersonalData(input: { now: string; runId: string }): Promise<ServiceReport<unknown>>;
}

/**
 * Wraps a service's personal-data activities so their reports are the totals
 * over every attempt (see above). Name the activities' type, e.g.
 * `rememberingReports<PersonalDataActivities>(db, { … })`.
 */
export function rememberingReports<A extends Reporting>(db: Connection, activities: A): A {
  return {
    ...activities,
    erasePersonalData: async (input: Parameters<A['erasePersonalData']>[0]) =>
      accumulate(db, `erasure/${input.erasureId}`, await activities.erasePersonalData(input), new Date()),
    destroyExpiredPersonalData: async (input: Parameters<A['destroyExpiredPersonalData']>[0]) => {
      const now = new Date();
      await db.collection<StoredReport>('erasure_reports').deleteMany({ updatedAt: { $lt: new Date(now.getTime() - KEEP_REPORTS_MS) } });
      return accumulate(db, `destruction/${input.runId}`, await activities.destroyExpiredPersonalData(input), now);
    },
  };
}
