/** Entity ids are MongoDB ObjectIds rendered as 24 lowercase hex digits. */
export function isEntityId(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{24}$/.test(value);
}

/** A stored document as a GraphQL object: its `_id` exposed as the string `id`. */
export function withId<T extends { _id: { toString(): string } }>(doc: T): T & { id: string } {
  return { ...doc, id: doc._id.toString() };
}
