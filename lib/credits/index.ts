/**
 * Admin manual credits and reversals (/credits). Every function checks the actor's role (admin)
 * inside its transaction and parses its input with the shared schemas of lib/validation/credits.
 */
export { CUSTOMER_SEARCH_LIMIT, LEDGER_PAGE_SIZE, getCustomerLedger, listPendingManualCredits, searchCustomers } from './queries';
export type { CustomerLedger, CustomerSummary, LedgerKind, LedgerRow, ManualCreditRequest, StaffRef } from './queries';
export { IDEMPOTENCY_CONFLICT, ledgerKeyOf, requestManualCredit, requestReversal, reviewManualCredit } from './requests';
export type { ManualCreditResult, ManualCreditState } from './requests';
export { needsSecondAdmin } from './threshold';
