// The one way the front talks to the platform: the public GraphQL gateway at
// /graphql (same origin; the web server proxies it) and its file routes.
import type { TypedDocumentString } from './gql/graphql.ts';
import { currentLocale } from './i18n.ts';
import { clearSession, loadSession, saveSession } from './session-store.ts';

export interface ApiUserError {
  code: string;
  field?: readonly string[] | null;
  message: string;
}

export class ApiError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

const REFRESH = `mutation Refresh($token: String!) { refreshSession(refreshToken: $token) { accessToken refreshToken expiresAt userErrors { code message } } }`;

async function post(query: string, variables: unknown, token: string | undefined): Promise<{ data?: any; errors?: { message: string; extensions?: { code?: string } }[] }> {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'accept-language': currentLocale(),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json().catch(() => ({ errors: [{ message: response.statusText, extensions: { code: String(response.status) } }] }));
  return body;
}

let refreshing: Promise<string | undefined> | undefined;

/** A valid access token, refreshing the session a minute before it expires. */
export async function accessToken(): Promise<string | undefined> {
  const session = loadSession();
  if (!session) return undefined;
  if (Date.parse(session.expiresAt) - Date.now() > 60_000) return session.accessToken;
  refreshing ??= (async () => {
    const body = await post(REFRESH, { token: session.refreshToken }, undefined);
    const result = body.data?.refreshSession;
    if (!result?.accessToken) {
      clearSession();
      return undefined;
    }
    saveSession({ ...session, accessToken: result.accessToken, refreshToken: result.refreshToken, expiresAt: result.expiresAt });
    return result.accessToken as string;
  })().finally(() => {
    refreshing = undefined;
  });
  return refreshing;
}

export async function gql<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  ...[variables]: TVariables extends Record<string, never> ? [] : [TVariables]
): Promise<TResult> {
  const token = await accessToken();
  const body = await post(document.toString(), variables ?? {}, token);
  if (body.errors?.length) {
    const first = body.errors[0]!;
    if (first.extensions?.code === 'UNAUTHENTICATED') clearSession();
    throw new ApiError(first.extensions?.code ?? 'ERROR', first.message);
  }
  return body.data as TResult;
}

/** Downloads a gateway file route (invoice PDF, export, attachment) with the bearer token. */
export async function download(path: string, fileName: string): Promise<void> {
  const token = await accessToken();
  const response = await fetch(path, { headers: { 'accept-language': currentLocale(), ...(token ? { authorization: `Bearer ${token}` } : {}) } });
  if (!response.ok) throw new ApiError(String(response.status), (await response.text()).slice(0, 200));
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Field errors by the last segment of their path, for showing beside inputs. */
export function fieldErrors(errors: readonly ApiUserError[] | undefined): { byField: Record<string, string>; general: string[] } {
  const byField: Record<string, string> = {};
  const general: string[] = [];
  for (const error of errors ?? []) {
    const field = error.field?.at(-1);
    if (field) byField[field] ??= error.message;
    else general.push(error.message);
  }
  return { byField, general };
}
