import { setTimeout as sleep } from 'node:timers/promises';
import { isDuplicateKeyError } from '@omurga/shared';

/**
 * Ticket numbers (SUP-1): DST-<year>-<6+ digit sequence>, e.g. DST-2026-000123.
 * The sequence restarts every (Turkish) calendar year. A number is taken by
 * inserting a claim under the unique (year, sequence) index of
 * `ticket_number_claims`, which erasure and destruction never touch, so a
 * number quoted in an old e-mail never points at someone else's ticket later;
 * a failed insert may leave a gap, which is acceptable.
 */
export const TICKET_NUMBER_PATTERN = /^DST-20\d{2}-\d{6,}$/;
const MAX_ATTEMPTS = 50;

export function ticketYear(at: Date): number {
  return Number(new Intl.DateTimeFormat('en', { year: 'numeric', timeZone: 'Europe/Istanbul' }).format(at));
}

export function formatTicketNumber(year: number, sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 1) throw new RangeError(`ticket sequence must be a positive integer, got ${sequence}`);
  return `DST-${year}-${String(sequence).padStart(6, '0')}`;
}

interface ClaimModel {
  findOne(filter: Record<string, unknown>, projection: Record<string, 1>): {
    sort(order: Record<string, -1>): { lean<R>(): PromiseLike<R | null> };
  };
  create(doc: { year: number; sequence: number }): Promise<unknown>;
}

interface NumberedModel<T> {
  findOne(filter: Record<string, unknown>, projection: Record<string, 1>): {
    sort(order: Record<string, -1>): { lean<R>(): PromiseLike<R | null> };
  };
  create(doc: Record<string, unknown>): Promise<{ toObject(): unknown }>;
  __doc?: T;
}

/** Inserts `draft` with the next free number of the year it was opened in. */
export async function insertNumbered<T>(model: NumberedModel<T>, claims: ClaimModel, draft: Record<string, unknown>, openedAt: Date): Promise<T> {
  const year = ticketYear(openedAt);
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    // (tickets too: ones numbered before claims existed have none)
    const [claimed, ticket] = await Promise.all([
      claims.findOne({ year }, { sequence: 1 }).sort({ sequence: -1 }).lean<{ sequence: number }>(),
      model.findOne({ year }, { sequence: 1 }).sort({ sequence: -1 }).lean<{ sequence: number }>(),
    ]);
    const sequence = Math.max(claimed?.sequence ?? 0, ticket?.sequence ?? 0) + 1;
    try {
      await claims.create({ year, sequence });
      const created = await model.create({ ...draft, year, sequence, number: formatTicketNumber(year, sequence) });
      return created.toObject() as T;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      await sleep(Math.floor(Math.random() * Math.min(3 * attempt, 30)));
    }
  }
  throw new Error(`could not take a ticket number for ${year} after ${MAX_ATTEMPTS} attempts`);
}
