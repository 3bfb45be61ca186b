import { setTimeout as sleep } from 'node:timers/promises';
import { isDuplicateKeyError } from '@omurga/shared';
import { DateTime } from 'luxon';
import type { Model, Types } from 'mongoose';
import type { BillingModels, InvoiceDoc } from '../models/index.ts';

/**
 * Invoice numbers in the GİB e-invoice shape (BIL-8): a 3-character prefix,
 * the 4-digit issue year and a 9-digit sequence, e.g. OMR2026000000001.
 * A series is prefix + year; its sequence starts at 1 every year.
 */
export const INVOICE_NUMBER_PATTERN = /^[A-Z0-9]{3}20[0-9]{2}[0-9]{9}$/;
export const INVOICE_PREFIX_PATTERN = /^[A-Z0-9]{3}$/;
export const MAX_INVOICE_SEQUENCE = 999_999_999;

/** How often one issue may lose the race for a sequence before giving up (each loss means another invoice took one). */
const MAX_ATTEMPTS = 100;
const ZONE = 'Europe/Istanbul';

function assertPrefix(prefix: string): void {
  if (!INVOICE_PREFIX_PATTERN.test(prefix)) throw new RangeError(`invoice prefix must be 3 characters A-Z or 0-9, got ${JSON.stringify(prefix)}`);
}

/** The year an invoice issued at `issuedAt` is numbered in: the calendar year in Turkey. */
export function invoiceYear(issuedAt: Date): number {
  if (Number.isNaN(issuedAt.getTime())) throw new RangeError('Invalid date');
  return DateTime.fromJSDate(issuedAt, { zone: ZONE }).year;
}

export function invoiceSeries(prefix: string, year: number): string {
  assertPrefix(prefix);
  if (!Number.isInteger(year) || year < 2000 || year > 2099) throw new RangeError(`invoice year must be 2000-2099, got ${year}`);
  return `${prefix}${year}`;
}

export function formatInvoiceNumber(prefix: string, year: number, sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > MAX_INVOICE_SEQUENCE) {
    throw new RangeError(`invoice sequence must be 1-${MAX_INVOICE_SEQUENCE}, got ${sequence}`);
  }
  return `${invoiceSeries(prefix, year)}${String(sequence).padStart(9, '0')}`;
}

/** Sub-document arrays as plain arrays, as callers build them. */
type PlainArrays<T> = { [K in keyof T]: T[K] extends Types.DocumentArray<infer Item> ? Item[] : T[K] };

/** Every invoice field except the ones numbering assigns (and the ones the database assigns). */
export type InvoiceDraft = PlainArrays<Omit<InvoiceDoc, '_id' | 'series' | 'sequence' | 'number' | 'createdAt' | 'updatedAt' | 'credits' | 'refundHolds' | 'correctionVersion'>>;

export interface NumberingOptions {
  prefix: string;
  /** decides the series' year (in Europe/Istanbul); usually the draft's issuedAt */
  issuedAt: Date;
  /** the caller has just found no document with the draft's key, so it is not looked up again before numbering */
  keyChecked?: boolean;
}

/** A collection of numbered documents: unique (series, sequence), number and key, as invoices and credit notes have. */
type NumberedModel = Model<any>;

/**
 * Inserts the invoice with the next number of its series and returns it.
 *
 * A number exists only because an invoice holds it: the next sequence is the
 * series' highest plus one, and the insert claims it under the unique
 * (series, sequence) and number indexes, so concurrent issues can neither
 * share a number nor leave a gap. A loser of that race reads the new highest
 * and tries again. Works on FerretDB too (one single-document insert, no
 * transactions). Idempotent by the draft's `key`: issuing the same key again
 * returns the invoice that holds it and takes no number.
 */
export function issueNumberedInvoice(
  models: Pick<BillingModels, 'Invoice'>,
  draft: InvoiceDraft,
  options: NumberingOptions,
): Promise<InvoiceDoc> {
  return issueNumbered<InvoiceDoc>(models.Invoice, draft, options);
}

/**
 * The numbering of issueNumberedInvoice for any collection of numbered
 * documents (credit notes have their own series, issue 15). The model must
 * have unique indexes on (series, sequence), number and key.
 */
export async function issueNumbered<T extends { key: string }>(model: NumberedModel, draft: Omit<T, '_id' | 'series' | 'sequence' | 'number'> | InvoiceDraft, options: NumberingOptions): Promise<T> {
  const year = invoiceYear(options.issuedAt);
  const series = invoiceSeries(options.prefix, year);
  const findByKey = async (): Promise<T | null> => (await model.findOne({ key: draft.key }).lean()) as T | null;
  const existing = options.keyChecked ? null : await findByKey();
  if (existing) return existing;
  return inSeriesTurn(model, series, async (known) => {
    const highestStored = async () => (await model.findOne({ series }, { sequence: 1 }).sort({ sequence: -1 }).lean<{ sequence: number }>())?.sequence ?? 0;
    let highest = known ?? (await highestStored());
    let lostInARow = 0;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const sequence = highest + 1;
      const number = formatInvoiceNumber(options.prefix, year, sequence);
      try {
        const created = await model.create({ ...draft, series, sequence, number });
        return { result: created.toObject() as T, highest: sequence };
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        // Which index refused the write is not reported alike by MongoDB and
        // FerretDB, so ask: the key (an idempotent re-issue that raced us) or the number.
        const holder = await findByKey();
        if (holder) return { result: holder, highest };
        // The number is taken, so it exists: the next one keeps the series
        // gap-free. After a few losses in a row (another process issues in
        // this series too) read the series' highest again instead of walking.
        lostInARow += 1;
        highest = lostInARow % 3 === 0 ? Math.max(sequence, await highestStored()) : sequence;
        await sleep(Math.floor(Math.random() * Math.min(2 * attempt, 20)));
      }
    }
    throw new Error(`could not take an invoice number in series ${series} after ${MAX_ATTEMPTS} attempts`);
  });
}

/**
 * Issue 16: the highest sequence of each series this process knows to exist,
 * and one issue at a time per series within the process. Reading the
 * series' highest is a sort the local engine cannot answer from an index
 * (a scan of the whole series), so it is read once per process and series;
 * later issues start from the last number this process saw taken. Starting
 * low is safe (a taken number is refused by the unique index and the next
 * one tried), and numbers are never deleted, so a number known to exist
 * stays a floor. Serialising within the process avoids a herd of concurrent
 * activities all racing for the same next number.
 */
const seriesState = new WeakMap<NumberedModel, Map<string, { highest: number | null; turn: Promise<unknown> }>>();

function inSeriesTurn<T>(model: NumberedModel, series: string, issue: (known: number | null) => Promise<{ result: T; highest: number }>): Promise<T> {
  let states = seriesState.get(model);
  if (!states) seriesState.set(model, (states = new Map()));
  let state = states.get(series);
  if (!state) states.set(series, (state = { highest: null, turn: Promise.resolve() }));
  const current = state;
  const run = current.turn.then(async () => {
    const { result, highest } = await issue(current.highest);
    current.highest = Math.max(current.highest ?? 0, highest);
    return result;
  });
  current.turn = run.catch(() => undefined);
  return run;
}
