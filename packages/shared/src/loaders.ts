import DataLoader from 'dataloader';
import { groupedByKey, inKeyOrder, isEntityId } from './ids.ts';

/**
 * One query for every id asked for in a request (entity references and
 * parent lookups), answered in key order; malformed ids load as null.
 */
export function entityLoader<T extends { _id: { toString(): string } }>(find: (ids: string[]) => Promise<T[]>) {
  return new DataLoader<string, T | null>(async (keys) => {
    const ids = [...new Set(keys.filter(isEntityId))];
    return inKeyOrder(keys, ids.length ? await find(ids) : [], (row) => row._id.toString());
  });
}

/** One query for a one-to-many field (an organisation's subscriptions, say) across all parents. */
export function groupLoader<T>(find: (keys: string[]) => Promise<T[]>, keyOf: (row: T) => string) {
  return new DataLoader<string, T[]>(async (keys) => groupedByKey(keys, await find([...new Set(keys)]), keyOf));
}
