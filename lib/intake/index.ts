export { authenticateApiKey, createApiKey, hashApiKey, ORDER_EVENTS_SCOPE } from './api-keys';
export { recordOrderEvent, type RecordedOrderEvent } from './order-events';
export { upsertCustomer, upsertService, type UpsertResult } from './catalog';
export { upsertOrder, upsertOrderBatch, type OrderBatchResult } from './orders';
export { recordPayment } from './payments';
export { addCustomerMessage, getTicketForPanel, importTicket, listTicketsForPanel, resolveTicketRef } from './tickets';
export { INTAKE_SCHEMAS } from './schemas';
