import type { Resolvers } from '@omurga/shared';
import type { AccountsDeps } from '../deps.ts';
import { customerImportResolvers } from './customer-import.ts';
import { documentResolvers } from './documents.ts';
import { emailChangeResolvers } from './email-change.ts';
import { entityResolvers } from './entities.ts';
import { memberResolvers } from './members.ts';
import { operatorResolvers } from './operators.ts';
import { operatorSearchResolvers } from './operator-search.ts';
import { ownSessionResolvers } from './own-sessions.ts';
import { partnerResolvers } from './partners.ts';
import { resourceResolvers } from './resources.ts';
import { sessionResolvers } from './sessions.ts';
import { signUpResolvers } from './sign-up.ts';
import { webhookResolvers } from './webhooks.ts';

const PARTS = [
  entityResolvers,
  signUpResolvers,
  sessionResolvers,
  emailChangeResolvers,
  memberResolvers,
  partnerResolvers,
  documentResolvers,
  resourceResolvers,
  operatorResolvers,
  operatorSearchResolvers,
  ownSessionResolvers,
  webhookResolvers,
  customerImportResolvers,
];

/** accounts' resolver map, merged from one module per capability. */
export function accountsResolvers(deps: AccountsDeps): Resolvers {
  const merged: Resolvers = {};
  for (const part of PARTS) {
    for (const [type, fields] of Object.entries(part(deps))) {
      merged[type] = { ...(merged[type] as object), ...(fields as object) } as Resolvers[string];
    }
  }
  return merged;
}
