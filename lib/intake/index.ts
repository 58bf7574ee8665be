export { authenticateApiKey, createApiKey, hashApiKey, ORDER_EVENTS_SCOPE } from './api-keys';
export { recordOrderEvent, type RecordedOrderEvent } from './order-events';
