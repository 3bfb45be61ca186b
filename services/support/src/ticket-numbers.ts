import { setTimeout as sleep } from 'node:timers/promises';
import { isDuplicateKeyError } from '@omurga/shared';

/**
 * Ticket numbers (SUP-1): DST-<year>-<6+ digit sequence>, e.g. DST-2026-000123.
 * The sequence restarts every (Turkish) calendar year. A number is taken by
 * inserting the ticket under the unique (year, sequence) index, so two tickets
 * never share one; a failed insert may leave a gap, which is acceptable.
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

interface NumberedModel<T> {
  findOne(filter: Record<string, unknown>, projection: Record<string, 1>): {
    sort(order: Record<string, -1>): { lean<R>(): PromiseLike<R | null> };
  };
  create(doc: Record<string, unknown>): Promise<{ toObject(): unknown }>;
  __doc?: T;
}

/** Inserts `draft` with the next free number of the year it was opened in. */
export async function insertNumbered<T>(model: NumberedModel<T>, draft: Record<string, unknown>, openedAt: Date): Promise<T> {
  const year = ticketYear(openedAt);
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const highest = await model.findOne({ year }, { sequence: 1 }).sort({ sequence: -1 }).lean<{ sequence: number }>();
    const sequence = (highest?.sequence ?? 0) + 1;
    try {
      const created = await model.create({ ...draft, year, sequence, number: formatTicketNumber(year, sequence) });
      return created.toObject() as T;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      await sleep(Math.floor(Math.random() * Math.min(3 * attempt, 30)));
    }
  }
  throw new Error(`could not take a ticket number for ${year} after ${MAX_ATTEMPTS} attempts`);
}
