import { Badge } from '@/components/ui/badge';
import type { ParamSetView } from '@/lib/policy-params/sets';

/** Where a set stands: in force, scheduled, awaiting approval, superseded or rejected. */
export function SetStateBadge({ set, now }: { set: Pick<ParamSetView, 'state' | 'isInForce' | 'inForceFrom'>; now: Date }) {
  if (set.isInForce) return <Badge tone="success">in force</Badge>;
  if (set.state === 'awaiting_approval') return <Badge tone="warning">awaiting approval</Badge>;
  if (set.state === 'rejected') return <Badge tone="neutral">rejected</Badge>;
  if (set.inForceFrom && set.inForceFrom > now) return <Badge tone="info">scheduled</Badge>;
  return <Badge tone="neutral">superseded</Badge>;
}
