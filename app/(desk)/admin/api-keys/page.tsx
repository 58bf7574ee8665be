import type { Metadata } from 'next';
import { Badge } from '@/components/ui/badge';
import { PageHeader } from '@/components/ui/page-header';
import { Table, Td, Th, Tr } from '@/components/ui/table';
import { Time } from '@/components/ui/time';
import { apiKeyScopeChoices, listApiKeys } from '@/lib/api-keys';
import { requirePageActor } from '@/lib/auth/session';
import { readApiRateLimit } from '@/lib/config';
import { CreateApiKeyButton } from './create-api-key';
import { RevokeApiKeyButton } from './revoke-api-key';

export const metadata: Metadata = { title: 'API keys' };

const STATUS = {
  active: <Badge tone="success">active</Badge>,
  expired: <Badge tone="warning">expired</Badge>,
  revoked: <Badge tone="neutral">revoked</Badge>,
};

export default async function ApiKeysPage() {
  const { ctx } = await requirePageActor('staff.manage');
  const [keys, limit] = [await listApiKeys(ctx), readApiRateLimit()];
  const scopes = apiKeyScopeChoices();
  return (
    <>
      <PageHeader
        title="API keys"
        description={`Keys for the panel and other systems (Authorization: Bearer <key>). Each key may send ${
          limit.perSecond > 0 ? `${limit.perSecond} requests a second, in bursts of up to ${limit.burst}` : 'any number of requests'
        }; revoking one refuses its next request.`}
        actions={<CreateApiKeyButton scopes={scopes} />}
      />
      {keys.length === 0 ? (
        <p className="text-slate-600">No API keys yet.</p>
      ) : (
        <Table label="API keys">
          <thead>
            <tr>
              <Th>Name</Th>
              <Th>Key</Th>
              <Th>Scopes</Th>
              <Th>Created</Th>
              <Th>Last used</Th>
              <Th className="text-right">Requests today (UTC)</Th>
              <Th>Expires</Th>
              <Th>Status</Th>
              <Th>Actions</Th>
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => (
              <Tr key={k.id} data-testid={`api-key-${k.name}`}>
                <Td className="font-medium">{k.name}</Td>
                <Td className="font-mono text-xs">{k.prefix}…</Td>
                <Td>
                  <ul className="flex flex-wrap gap-1">
                    {k.scopes.map((scope) => (
                      <li key={scope}>
                        <Badge tone="info">{scope}</Badge>
                      </li>
                    ))}
                  </ul>
                </Td>
                <Td>
                  <Time value={k.createdAt} />
                  <span className="block text-xs text-slate-600">
                    by {k.createdBy ? k.createdBy.name : 'the system (command line or demo)'}
                  </span>
                </Td>
                <Td>{k.lastUsedAt ? <Time value={k.lastUsedAt} /> : <span className="text-slate-600">never</span>}</Td>
                <Td className="text-right tabular-nums">
                  {k.requestsToday}
                  {k.refusedToday > 0 ? <span className="block text-xs text-red-700">{k.refusedToday} over the limit</span> : null}
                </Td>
                <Td>{k.expiresAt ? <Time value={k.expiresAt} /> : <span className="text-slate-600">never</span>}</Td>
                <Td>
                  {STATUS[k.status]}
                  {k.revokedAt ? (
                    <span className="block text-xs text-slate-600">
                      <Time value={k.revokedAt} />
                    </span>
                  ) : null}
                </Td>
                <Td>{k.status === 'revoked' ? null : <RevokeApiKeyButton apiKeyId={k.id} name={k.name} prefix={k.prefix} />}</Td>
              </Tr>
            ))}
          </tbody>
        </Table>
      )}
    </>
  );
}
