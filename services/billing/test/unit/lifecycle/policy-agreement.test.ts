import { readFileSync } from 'node:fs';
import { Kind, parse, type FieldDefinitionNode, type InputValueDefinitionNode, type TypeNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { CONTRACT_POLICY_FIELD_NAMES, contractPolicy, contractPolicyFields } from '../../../src/lifecycle/index.ts';
import { policySchema } from '../../../src/models/catalogue.ts';

/**
 * The contract policy is defined once (lifecycle/policy.ts); the mongoose
 * schema and the GraphQL input and type are written out by hand, so this
 * test fails the moment one of them disagrees with the definition.
 */

const BOOKKEEPING = new Set(['_id', '__v', 'version', 'createdBy', 'createdAt', 'updatedAt', 'id']);
const sdl = parse(readFileSync(new URL('../../../src/schema.graphql', import.meta.url), 'utf8'));

function graphqlFields(name: string): readonly (FieldDefinitionNode | InputValueDefinitionNode)[] {
  for (const definition of sdl.definitions) {
    if ((definition.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION || definition.kind === Kind.OBJECT_TYPE_DEFINITION) && definition.name.value === name) return definition.fields ?? [];
  }
  throw new Error(`no ${name} in schema.graphql`);
}

const nonNull = (type: TypeNode) => type.kind === Kind.NON_NULL_TYPE;
/** A field an operator must give: no default and not nullable. */
const requiredInDefinition = (name: string) => {
  const field = contractPolicyFields[name as keyof typeof contractPolicyFields];
  return !field.safeParse(undefined).success;
};

describe('one contract policy (issue 12)', () => {
  it('the mongoose schema has exactly the fields of the definition', () => {
    const stored = Object.keys(policySchema.paths).filter((path) => !BOOKKEEPING.has(path) && !path.includes('.'));
    expect(stored.sort()).toEqual([...CONTRACT_POLICY_FIELD_NAMES].sort());
  });

  it('the mongoose defaults are the definition defaults', () => {
    const defaults = contractPolicy.parse({
      code: 'agreement',
      name: 'Agreement',
      trialRequiresPaymentMethod: false,
      billingPeriod: 'P1M',
      collectionMethod: 'CARD_AUTO',
      maxCollectionAttempts: 1,
      retryInterval: 'P1D',
      dataDeletionAfterTermination: 'PT0S',
      cancellationNotice: 'PT0S',
      termsChangeNotice: 'PT0S',
    });
    for (const name of CONTRACT_POLICY_FIELD_NAMES) {
      const path = policySchema.path(name) as unknown as { defaultValue?: unknown; isRequired?: boolean };
      if (requiredInDefinition(name)) continue;
      const stored = typeof path.defaultValue === 'function' ? (path.defaultValue as () => unknown)() : path.defaultValue;
      expect(stored ?? null, name).toEqual(defaults[name] ?? null);
    }
  });

  it('the GraphQL input has the fields of the definition, required exactly where the definition requires them', () => {
    const input = graphqlFields('ContractPolicyInput');
    expect(input.map((f) => f.name.value).sort()).toEqual([...CONTRACT_POLICY_FIELD_NAMES].sort());
    for (const field of input) expect(nonNull(field.type), field.name.value).toBe(requiredInDefinition(field.name.value));
  });

  it('the GraphQL type shows every field of the definition', () => {
    const shown = graphqlFields('ContractPolicy')
      .map((f) => f.name.value)
      .filter((name) => !BOOKKEEPING.has(name));
    expect(shown.sort()).toEqual([...CONTRACT_POLICY_FIELD_NAMES].sort());
  });
});
