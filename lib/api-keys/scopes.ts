/**
 * The API-key scopes as admins choose them: each scope of the permission table with the labels of
 * the permissions it grants. Read from ../auth/permissions, never listed here (client-safe).
 */
import { API_KEY_SCOPES, PERMISSIONS, type ApiKeyScope, type Permission } from '@/lib/auth/permissions';

export interface ScopeChoice {
  scope: ApiKeyScope;
  /** What a key with this scope may do, e.g. ["post order events"]. */
  grants: string[];
}

export function apiKeyScopeChoices(): ScopeChoice[] {
  return API_KEY_SCOPES.map((scope) => ({
    scope,
    grants: (Object.keys(PERMISSIONS) as Permission[])
      .filter((permission) => (PERMISSIONS[permission].scopes as readonly string[]).includes(scope))
      .map((permission) => PERMISSIONS[permission].label),
  }));
}

export const isApiKeyScope = (value: string): value is ApiKeyScope => (API_KEY_SCOPES as readonly string[]).includes(value);

/** The sentence for scopes that are not in the table, naming them and the ones there are. */
export function unknownScopesMessage(unknown: readonly string[]): string {
  const names = unknown.map((s) => `"${s.slice(0, 40)}"`).join(', ');
  return `Unknown scope${unknown.length === 1 ? '' : 's'} ${names}: use one or more of ${API_KEY_SCOPES.join(', ')}.`;
}
