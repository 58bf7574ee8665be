export { API_KEY_PREFIX, createApiKey, hashApiKey, issueApiKey, listApiKeys, ORDER_EVENTS_SCOPE, revokeApiKey } from './keys';
export type { ApiKeySummary, CreatedApiKey } from './keys';
export { authenticateApiKey, retryAfterSeconds, spendApiKeyToken } from './authenticate';
export { apiKeyScopeChoices, type ScopeChoice } from './scopes';
