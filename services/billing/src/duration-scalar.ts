import { GraphQLScalarType, Kind } from 'graphql';
import { isBoundedDuration } from './input-bounds.ts';

function duration(value: unknown): string {
  if (typeof value !== 'string' || !isBoundedDuration(value)) throw new TypeError('Duration must be an ISO-8601 duration like P14D, P1M or PT30S, at most twenty years');
  return value;
}

export const DurationScalar = new GraphQLScalarType({
  name: 'Duration',
  description: 'An ISO-8601 duration such as P14D, P1M or PT30S.',
  serialize: duration,
  parseValue: duration,
  parseLiteral: (ast) => duration(ast.kind === Kind.STRING ? ast.value : undefined),
});
