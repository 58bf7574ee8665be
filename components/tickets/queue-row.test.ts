import { describe, expect, it } from 'vitest';
import { packQueueRow, unpackQueueRow, type QueueRowView } from './queue-row';

describe('queue rows as the page sends them', () => {
  it('come back whole: every field of a row is in the packed values', () => {
    const row: QueueRowView = {
      id: 15,
      customer: 'ana',
      email: 'ana@example.com',
      claim: 'drop',
      claimWindowEnd: '21 Nov 2026, 12:26:33 UTC',
      isLate: true,
      orderNumber: '1000240',
      orderStatus: 'completed',
      serviceName: 'Instagram Followers',
      paymentMethod: null,
      amount: '10.54 USD',
      outcome: 'refill',
      slaKind: 'first_response',
      slaLabel: 'First reply due in 2 h',
      slaTone: 'soon',
      slaDue: '21 Nov 2026, 14:00:00 UTC',
      waiting: 'waiting 2 h',
      openedAt: '21 Nov 2026, 12:00:00 UTC',
      status: 'open',
      assigneeId: null,
      assigneeName: null,
    };
    expect(unpackQueueRow(packQueueRow(row))).toEqual(row);
  });
});
