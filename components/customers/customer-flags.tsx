import type { ReactNode } from 'react';
import { Badge } from '@/components/ui/badge';

export interface FlaggedCustomer {
  isReseller: boolean;
  isSuspended: boolean;
  hasChargebackOpen: boolean;
  isFraudFlagged: boolean;
}

/** A customer's account flags as badges, the same on the ticket, the approval card and /credits; `empty` when there are none. */
export function CustomerFlags({ customer, empty = null }: { customer: FlaggedCustomer; empty?: ReactNode }) {
  if (!customer.isReseller && !customer.isSuspended && !customer.hasChargebackOpen && !customer.isFraudFlagged) return empty;
  return (
    <span className="inline-flex flex-wrap gap-1 whitespace-normal">
      {customer.isReseller ? <Badge>Reseller</Badge> : null}
      {customer.isSuspended ? <Badge tone="danger">Suspended</Badge> : null}
      {customer.hasChargebackOpen ? <Badge tone="danger">Chargeback open</Badge> : null}
      {customer.isFraudFlagged ? <Badge tone="danger">Fraud flag</Badge> : null}
    </span>
  );
}
