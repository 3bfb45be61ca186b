import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SUPERGRAPH_FILE, composeSupergraph } from '../src/compose.ts';

describe('committed supergraph', () => {
  it('matches what the subgraph schemas compose to (run `pnpm compose` after changing a schema)', () => {
    expect(readFileSync(SUPERGRAPH_FILE, 'utf8')).toBe(composeSupergraph());
  });

  it('keeps the public contract names at the gateway', () => {
    const supergraph = composeSupergraph();
    for (const name of ['type Organization', 'type User', 'customerCode: String!', 'subscriptions: [BillingSubscription!]!', 'tickets(first: Int, after: String): TicketConnection!', 'consents: [Consent!]!', 'currentLegalDocuments(locale: String!)', 'logIn(input: LogInInput!): AuthPayload!']) {
      expect(supergraph).toContain(name);
    }
  });
});
