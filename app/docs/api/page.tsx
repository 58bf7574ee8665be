import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { ERROR_TEXT, openApiDocument, scopesOf, type JsonSchema } from '@/lib/openapi/document';
import { OPERATIONS, type Operation } from '@/lib/openapi/operations';
import { curlExample, fieldsOf, variantsOf, type Field } from '@/lib/openapi/reference';
import {
  NODE_VERIFY_SNIPPET,
  PHP_VERIFY_SNIPPET,
  SIGNATURE_TOLERANCE_S,
  WEBHOOK_EXAMPLE,
  WEBHOOK_HEADERS,
  WEBHOOK_KINDS,
} from '@/lib/openapi/webhooks';

export const metadata: Metadata = { title: 'Panel API reference' };

const METHOD_STYLE: Record<string, string> = {
  get: 'bg-sky-100 text-sky-900',
  post: 'bg-emerald-100 text-emerald-900',
};

function Code({ children, label }: { children: string; label: string }) {
  return (
    <pre
      tabIndex={0}
      aria-label={label}
      className="mt-2 overflow-x-auto rounded-md border border-slate-200 bg-slate-900 px-3 py-2 font-mono text-[12px] leading-5 text-slate-100"
    >
      <code>{children}</code>
    </pre>
  );
}

function Fields({ fields, caption }: { fields: Field[]; caption: string }) {
  return (
    <div className="mt-2 overflow-x-auto">
      <table className="w-full table-fixed border-collapse text-left text-[13px]">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr className="border-b border-slate-200 text-xs text-slate-600">
            <th scope="col" className="w-48 py-1 pr-3 font-medium">
              Field
            </th>
            <th scope="col" className="w-56 py-1 pr-3 font-medium">
              Type
            </th>
            <th scope="col" className="py-1 font-medium">
              Meaning
            </th>
          </tr>
        </thead>
        <tbody>
          {fields.map((f) => (
            <tr key={f.name} className="border-b border-slate-100 align-top">
              <td className="py-1 pr-3 font-mono break-words">
                {f.name}
                {f.required ? (
                  <span className="ml-1 text-red-700" title="required">
                    *<span className="sr-only"> required</span>
                  </span>
                ) : null}
              </td>
              <td className="py-1 pr-3 font-mono text-[12px] text-slate-700">{f.type}</td>
              <td className="py-1 text-slate-800">
                <Inline text={f.description} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section id={id} aria-labelledby={`${id}-h`} className="scroll-mt-4 border-t border-slate-200 pt-6">
      <h2 id={`${id}-h`} className="text-base">
        {title}
      </h2>
      {children}
    </section>
  );
}

/** Text with `code` in backticks as <code>. */
function Inline({ text }: { text: string }) {
  return text.split(/(`[^`]+`)/g).map((part, i) =>
    part.startsWith('`') && part.endsWith('`') ? (
      <code key={i} className="rounded bg-slate-100 px-1 font-mono text-[12px]">
        {part.slice(1, -1)}
      </code>
    ) : (
      part
    ),
  );
}

function Prose({ text }: { text: string }) {
  return (
    <p className="mt-1 max-w-3xl leading-6 text-slate-800">
      <Inline text={text} />
    </p>
  );
}

function OperationView({ op, schemas, baseUrl }: { op: Operation; schemas: Record<string, JsonSchema>; baseUrl: string }) {
  const scopes = scopesOf(op.permission);
  const body = op.body ? schemas[op.body.name] : undefined;
  return (
    <article id={op.operationId} aria-labelledby={`${op.operationId}-h`} className="mt-5 scroll-mt-4">
      <h3 id={`${op.operationId}-h`} className="flex flex-wrap items-baseline gap-2 text-sm font-semibold">
        <span className={`rounded px-1.5 py-0.5 font-mono text-[11px] uppercase ${METHOD_STYLE[op.method]}`}>{op.method}</span>
        <span className="font-mono">/api/v1{op.path}</span>
        <span className="font-normal text-slate-600">— {op.summary}</span>
      </h3>
      <p className="mt-1 text-[13px] text-slate-700">
        Scope:{' '}
        {scopes.length ? (
          scopes.map((s) => (
            <code key={s} className="rounded bg-indigo-50 px-1 font-mono text-[12px] text-indigo-900">
              {s}
            </code>
          ))
        ) : (
          <span>none yet</span>
        )}
        {op.idempotent ? ' · takes Idempotency-Key' : ''}
        {op.maxBodyBytes ? ` · bodies up to ${op.maxBodyBytes / 1024 / 1024} MB` : ''}
      </p>
      <Prose text={op.description} />
      {op.pathParams?.length ? (
        <Fields
          caption={`Path parameters of ${op.operationId}`}
          fields={op.pathParams.map((p) => ({ name: `{${p.name}}`, type: 'string', required: true, description: p.description }))}
        />
      ) : null}
      {op.query ? <QueryFields op={op} /> : null}
      {body
        ? variantsOf(body).map((v, i) => (
            <div key={i} className="mt-3">
              <h4 className="text-xs font-semibold text-slate-700">Body{v.title ? `: ${v.title}` : ''}</h4>
              <Fields caption={`Body fields of ${op.operationId}${v.title ? `: ${v.title}` : ''}`} fields={v.fields} />
            </div>
          ))
        : null}
      <h4 className="mt-3 text-xs font-semibold text-slate-700">Answers</h4>
      <ul className="mt-1 text-[13px] leading-6">
        {Object.entries(op.responses).map(([status, r]) => (
          <li key={status}>
            <span className="font-mono">{status}</span> {r.description} <span className="text-slate-600">({r.name})</span>
          </li>
        ))}
        {op.errors.map((status) => (
          <li key={status} className="text-slate-700">
            <span className="font-mono">{status}</span> <Inline text={ERROR_TEXT[status] ?? ''} />
          </li>
        ))}
      </ul>
      <Code label={`curl example of ${op.operationId}`}>
        {curlExample({
          baseUrl,
          method: op.method,
          path: op.path,
          pathExamples: Object.fromEntries((op.pathParams ?? []).map((p) => [p.name, p.example])),
          body: op.body?.example,
          multipart: op.body?.multipart,
          idempotent: op.idempotent,
        })}
      </Code>
    </article>
  );
}

function QueryFields({ op }: { op: Operation }) {
  const doc = openApiDocument() as {
    paths: Record<
      string,
      Record<string, { parameters?: { in?: string; name: string; description?: string; required?: boolean; schema?: JsonSchema }[] }>
    >;
  };
  const params = (doc.paths[op.path]?.[op.method]?.parameters ?? []).filter((p) => p.in === 'query');
  return (
    <Fields
      caption={`Query parameters of ${op.operationId}`}
      fields={params.map((p) => ({
        name: `?${p.name}`,
        type: fieldsOf({ properties: { x: p.schema ?? {} } })[0]!.type,
        required: Boolean(p.required),
        description: p.description ?? '',
      }))}
    />
  );
}

export default function ApiReferencePage() {
  const doc = openApiDocument() as { components: { schemas: Record<string, JsonSchema> } };
  const schemas = doc.components.schemas;
  const baseUrl = (process.env.NEXTAUTH_URL ?? 'https://desk.example.com').replace(/\/$/, '');
  const tags = [...new Set(OPERATIONS.map((o) => o.tag))];
  return (
    <div className="mx-auto max-w-5xl px-4 py-8 lg:px-6">
      <header>
        <p className="text-xs font-semibold tracking-widest text-indigo-700 uppercase">Refund Desk</p>
        <h1 className="mt-1 text-xl">Panel API reference</h1>
        <p className="mt-2 max-w-3xl leading-6 text-slate-800">
          How an SMM panel hands its catalogue, customers, orders, payments and refund tickets to Refund Desk, reads decisions back, and
          receives the desk&apos;s signed webhooks. The machine-readable OpenAPI 3.1 document is at{' '}
          <a className="text-indigo-700 underline" href="/api/v1/openapi.json">
            /api/v1/openapi.json
          </a>
          ; this page is rendered from it.
        </p>
      </header>

      <nav aria-label="Contents" className="mt-6 rounded-md border border-slate-200 bg-white px-4 py-3 text-[13px]">
        <h2 className="text-xs font-semibold text-slate-700">Contents</h2>
        <ul className="mt-1 grid gap-x-6 gap-y-0.5 sm:grid-cols-2">
          <li>
            <a className="text-indigo-700 hover:underline" href="#conventions">
              Conventions: keys, idempotency, errors, limits
            </a>
          </li>
          {OPERATIONS.map((op) => (
            <li key={op.operationId}>
              <a className="text-indigo-700 hover:underline" href={`#${op.operationId}`}>
                <span className="font-mono uppercase">{op.method}</span> <span className="font-mono">{op.path}</span>
              </a>
            </li>
          ))}
          <li>
            <a className="text-indigo-700 hover:underline" href="#webhooks">
              Webhooks to the panel
            </a>
          </li>
          <li>
            <a className="text-indigo-700 hover:underline" href="#signatures">
              Verifying webhook signatures (Node, PHP)
            </a>
          </li>
        </ul>
      </nav>

      <main className="mt-6 space-y-8">
        <Section id="conventions" title="Conventions">
          <ul className="mt-2 max-w-3xl list-disc space-y-1 pl-5 leading-6 text-slate-800">
            <li>
              Base URL <code className="font-mono">{baseUrl}/api/v1</code>. Every call sends{' '}
              <code className="font-mono">Authorization: Bearer rdk_…</code>: an API key an admin made on /admin/api-keys (or{' '}
              <code className="font-mono">npm run apikey:create</code>); each operation needs the scope it lists.
            </li>
            <li>
              Bodies are JSON (<code className="font-mono">Content-Type: application/json</code>, else 415). Unknown fields are refused;
              field names are camelCase; the panel&apos;s ids are strings; money is a decimal string or number with at most 8 decimals, kept
              exactly; times are ISO 8601 with a zone.
            </li>
            <li>
              Every POST takes an <code className="font-mono">Idempotency-Key</code> (a fresh UUID per request, the same one when retrying
              it): a repeat gets the first answer with <code className="font-mono">Idempotent-Replayed: true</code>; the same key with
              another body gets 409.
            </li>
            <li>
              Errors are RFC 9457 <code className="font-mono">application/problem+json</code>:{' '}
              <code className="font-mono">{'{ type, title, status, code, detail, fieldErrors? }'}</code>, where{' '}
              <code className="font-mono">fieldErrors</code> names every bad field. 429 carries{' '}
              <code className="font-mono">Retry-After</code> (seconds): wait that long, then send the same request again.
            </li>
          </ul>
        </Section>

        {tags.map((tag) => (
          <Section key={tag} id={`tag-${tag.toLowerCase()}`} title={tag}>
            {OPERATIONS.filter((o) => o.tag === tag).map((op) => (
              <OperationView key={op.operationId} op={op} schemas={schemas} baseUrl={baseUrl} />
            ))}
          </Section>
        ))}

        <Section id="webhooks" title="Webhooks to the panel">
          <Prose
            text={`The desk POSTs JSON to the panel's \`PANEL_WEBHOOK_URL\`: \`{ eventId, kind, occurredAt, … }\`, the same bytes on every retry. Answer 2xx once handled; anything else is retried with backoff (a 4xx other than 408 and 429 is taken as a configuration problem and retried slowly). Delivery is at least once: de-duplicate by \`eventId\` and answer a repeat with 2xx without acting again.`}
          />
          <Fields
            caption="Webhook headers"
            fields={[
              { name: WEBHOOK_HEADERS.eventId, type: 'string', required: true, description: 'The event id, as in the body.' },
              { name: WEBHOOK_HEADERS.timestamp, type: 'integer', required: true, description: 'Unix seconds when signed.' },
              {
                name: WEBHOOK_HEADERS.signature,
                type: 'string',
                required: true,
                description: '"sha256=" + hex HMAC-SHA256 of "<timestamp>.<raw body>" keyed with the shared secret.',
              },
              { name: WEBHOOK_HEADERS.attempt, type: 'integer', required: true, description: 'The attempt number, from 1.' },
            ]}
          />
          {Object.entries(WEBHOOK_KINDS).map(([kind, w]) => (
            <article key={kind} id={`webhook-${kind}`} aria-labelledby={`webhook-${kind}-h`} className="mt-5">
              <h3 id={`webhook-${kind}-h`} className="text-sm font-semibold">
                <code className="font-mono">{kind}</code> <span className="font-normal text-slate-600">— {w.summary}</span>
              </h3>
              <Prose text={w.description} />
              <Fields caption={`Body of the ${kind} webhook`} fields={fieldsOf(schemas[`Webhook_${kind}`]!)} />
            </article>
          ))}
          <h3 className="mt-5 text-sm font-semibold">Example</h3>
          <Code label="Example webhook body">{JSON.stringify(WEBHOOK_EXAMPLE, null, 2)}</Code>
        </Section>

        <Section id="signatures" title="Verifying webhook signatures">
          <Prose
            text={`Compute HMAC-SHA256 over the timestamp header, a dot, and the raw body exactly as received (before parsing JSON), keyed with the shared secret (\`PANEL_WEBHOOK_SECRET\` on the desk); compare it in constant time with the hex after \`sha256=\`. Refuse a timestamp more than ${SIGNATURE_TOLERANCE_S} seconds from your clock: the timestamp is inside the signed text, so an old request cannot be replayed with a fresh one.`}
          />
          <h3 className="mt-4 text-sm font-semibold">Node</h3>
          <Code label="Node verification snippet">{NODE_VERIFY_SNIPPET}</Code>
          <h3 className="mt-4 text-sm font-semibold">PHP</h3>
          <Code label="PHP verification snippet">{PHP_VERIFY_SNIPPET}</Code>
        </Section>
      </main>
    </div>
  );
}
