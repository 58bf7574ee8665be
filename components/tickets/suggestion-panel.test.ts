import { describe, expect, it } from 'vitest';
import { describeCondition } from './suggestion-panel';

describe('describeCondition', () => {
  it('words an alternative’s condition with the findings’ labels', () => {
    expect(describeCondition('companyFault is true')).toBe('Company or provider fault is yes');
    expect(describeCondition('targetPublic is false and processorAllowsRefund is true')).toBe(
      'Target public is no and Processor allows refund is yes',
    );
  });
  it('leaves shapes it does not know alone', () => {
    expect(describeCondition('the moon is full')).toBe('the moon is full');
  });
});
