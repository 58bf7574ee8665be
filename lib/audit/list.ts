/** The audit log's reading functions (kept at this path for the pages and tests that import it). */
export { AUDIT_PAGE_SIZE, auditPageSchema as auditQuerySchema, listAuditEvents } from './query';
