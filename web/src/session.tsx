import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';
import { gql } from './api.ts';
import { graphql } from './gql/index.ts';
import { clearSession, loadSession, onSessionChange, saveSession } from './session-store.ts';

export const MeQuery = graphql(`
  query Me {
    me {
      id
      email
      firstName
      lastName
      emailVerified
      operatorRoles
      memberships { role organization { id name customerCode status customerType partnerCode } }
    }
  }
`);

const LogOutMutation = graphql(`
  mutation LogOut { logOut }
`);

function useSignedIn(): boolean {
  return useSyncExternalStore(onSessionChange, () => loadSession() !== undefined);
}

export function useMe() {
  const signedIn = useSignedIn();
  const query = useQuery({ queryKey: ['me', signedIn], queryFn: () => (signedIn ? gql(MeQuery).then((d) => d.me) : null) });
  return { signedIn, me: query.data ?? null, loading: query.isLoading };
}

export type Me = NonNullable<ReturnType<typeof useMe>['me']>;

export function startSession(payload: { accessToken?: string | null; refreshToken?: string | null; expiresAt?: string | null }): boolean {
  if (!payload.accessToken || !payload.refreshToken || !payload.expiresAt) return false;
  saveSession({ accessToken: payload.accessToken, refreshToken: payload.refreshToken, expiresAt: payload.expiresAt });
  return true;
}

export function useSignOut() {
  const client = useQueryClient();
  return async () => {
    await gql(LogOutMutation).catch(() => undefined);
    clearSession();
    client.clear();
  };
}

