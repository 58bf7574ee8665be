import { describe, expect, it } from 'vitest';
import { openApiDocument, type JsonSchema } from './document';
import { curlExample, typeText, variantsOf } from './reference';

const schemas = () => (openApiDocument() as { components: { schemas: Record<string, JsonSchema> } }).components.schemas;

describe('the reference page helpers', () => {
  it('lists body fields with readable types, required first', () => {
    const fields = variantsOf(schemas().OrdersBody!)[0]!.fields;
    expect(fields[0]!.required).toBe(true);
    const byName = Object.fromEntries(fields.map((f) => [f.name, f]));
    expect(byName.number!.type).toBe('string (≥ 1 chars, ≤ 64 chars)');
    expect(byName.charge!.type).toBe('string | number');
    expect(byName.createdAt!.type).toBe('date-time');
    expect(byName.statusChangedAt!.required).toBe(false);
    expect(byName.status!.description).toMatch(/Pending/);
  });

  it('shows each shape of a union body', () => {
    const variants = variantsOf(schemas().PaymentsBody!);
    expect(variants.length).toBe(2);
    expect(variants[1]!.fields.find((f) => f.name === 'kind')!.type).toContain('"chargeback"');
    expect(typeText({ enum: ['a', 'b'] })).toBe('"a" | "b"');
  });

  it('builds a curl call that quotes the body for the shell', () => {
    const curl = curlExample({
      baseUrl: 'https://desk.example.com',
      method: 'post',
      path: '/tickets/{id}/messages',
      pathExamples: { id: 'panel:T-1' },
      body: { body: "it's late" },
      idempotent: true,
    });
    expect(curl).toContain("curl -X POST 'https://desk.example.com/api/v1/tickets/panel%3AT-1/messages'");
    expect(curl).toContain('Idempotency-Key: $(uuidgen)');
    expect(curl).toContain(`it'\\''s late`);
  });
});
