export { authenticateApiKey, createApiKey, hashApiKey, ORDER_EVENTS_SCOPE, requireApiKey, type ApiKeyCtx } from './api-keys';
export { recordOrderEvent, type RecordedOrderEvent } from './order-events';
