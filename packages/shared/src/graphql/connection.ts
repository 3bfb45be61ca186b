import { badUserInput } from '../errors.ts';
import type { Locale } from '../locale.ts';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

export interface Connection<T> {
  edges: { node: T; cursor: string }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export function encodeCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, locale: Locale): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^[0-9a-f]{24}$/.test(id)) throw badUserInput(locale, 'after');
  return id;
}

export function pageSize(args: PageArgs, locale: Locale): number {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) throw badUserInput(locale, `first must be 0..${MAX_PAGE_SIZE}`);
  return first;
}

/**
 * Builds a Relay connection from `rows` fetched with limit `size + 1`, ordered
 * by the id the cursor encodes (so the extra row says whether there is more).
 */
export function toConnection<T>(rows: T[], size: number, idOf: (row: T) => string): Connection<T> {
  const page = rows.slice(0, size);
  const edges = page.map((node) => ({ node, cursor: encodeCursor(idOf(node)) }));
  return { edges, pageInfo: { hasNextPage: rows.length > size, endCursor: edges.at(-1)?.cursor ?? null } };
}

interface NewestFirstModel<T> {
  find(filter: Record<string, unknown>): { sort(order: { _id: -1 }): { limit(n: number): { batchSize(n: number): { lean<R>(): PromiseLike<R> } } } };
}

/**
 * One page of `model`'s documents matching `filter`, newest first, as a Relay
 * connection of rows passed through `toNode` (by default `{ ...row, id }`).
 */
export async function newestFirstPage<T extends { _id: { toString(): string } }, N extends { id: string } = T & { id: string }>(
  model: NewestFirstModel<T>,
  filter: Record<string, unknown>,
  args: PageArgs,
  locale: Locale,
  toNode: (row: T) => N = (row) => ({ ...row, id: row._id.toString() }) as unknown as N,
): Promise<Connection<N>> {
  const size = pageSize(args, locale);
  const query = args.after ? { ...filter, _id: { $lt: decodeCursor(args.after, locale) } } : filter;
  // One batch as large as the limit: FerretDB otherwise leaves the cursor open
  // and the driver spends a second command (killCursors) on every page.
  const rows = await model.find(query).sort({ _id: -1 }).limit(size + 1).batchSize(size + 1).lean<T[]>();
  return toConnection(rows.map(toNode), size, (node) => node.id);
}
