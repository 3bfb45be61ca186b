/**
 * Billing's lifecycle core: the contract policy defined once, and the pure,
 * deterministic decisions of a subscription's life. No I/O and no Temporal
 * imports, so the workflow bundle, the API and the tests all load it.
 */
export * from './bounds.ts';
export * from './cancellation.ts';
export * from './decide.ts';
export * from './late-charges.ts';
export * from './model.ts';
export * from './policy.ts';
export * from './schedule.ts';
