import DataLoader from 'dataloader';
import type { Model } from 'mongoose';
import { isEntityId } from './ids.ts';

/**
 * One query for every id asked for in a request (entity references and
 * parent lookups), answered in key order; malformed ids load as null.
 */
export function entityLoader<T extends { _id: { toString(): string } }>(model: Model<any>) {
  return new DataLoader<string, T | null>(async (keys) => {
    const ids = [...new Set(keys.filter(isEntityId))];
    const rows = ids.length ? await model.find({ _id: { $in: ids } }).lean<T[]>() : [];
    const byId = new Map(rows.map((row) => [row._id.toString(), row]));
    return keys.map((key) => byId.get(key) ?? null);
  });
}

/** One query for a one-to-many field (an organisation's subscriptions, say) across all parents. */
export function groupLoader<T>(find: (keys: string[]) => Promise<T[]>, keyOf: (row: T) => string) {
  return new DataLoader<string, T[]>(async (keys) => {
    const groups = new Map<string, T[]>(keys.map((key) => [key, []]));
    for (const row of await find([...groups.keys()])) groups.get(keyOf(row))?.push(row);
    return keys.map((key) => groups.get(key) ?? []);
  });
}
