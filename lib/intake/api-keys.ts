/** API keys moved to lib/api-keys; kept here so existing imports keep working. */
export { API_KEY_PREFIX, authenticateApiKey, createApiKey, hashApiKey, ORDER_EVENTS_SCOPE } from '@/lib/api-keys';
