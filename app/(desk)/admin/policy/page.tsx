import type { Metadata } from 'next';
import Link from 'next/link';
import { PageHeader } from '@/components/ui/page-header';
import { Table, Td, Th, Tr } from '@/components/ui/table';
import { Time } from '@/components/ui/time';
import { requirePageActor } from '@/lib/auth/session';
import { formatParam, formFieldValue, listParamSets, PARAM_FIELDS } from '@/lib/policy-params/sets';
import { ProposeForm } from './propose-form';
import { SetStateBadge } from './state-badge';

export const metadata: Metadata = { title: 'Policy parameters' };

/** Tomorrow 00:00 UTC, as a `datetime-local` value. */
const tomorrow = () => new Date(Math.ceil(Date.now() / 86_400_000) * 86_400_000).toISOString().slice(0, 16);

export default async function PolicyParamsPage() {
  const { ctx } = await requirePageActor('policy.manage');
  const { sets, inForce, inForceVersion } = await listParamSets(ctx);
  const now = new Date();
  return (
    <>
      <PageHeader
        title="Policy parameters"
        description={`The figures the policy check uses, as versioned sets. In force: v${inForceVersion} under policy ${inForce.version}. A new set needs a second admin's approval; from its effective time new suggestions use it, and open tickets are recomputed.`}
      />
      <div className="space-y-4">
        <section aria-labelledby="history-title">
          <h2 id="history-title" className="mb-2 text-sm font-semibold">
            History
          </h2>
          <Table label="Parameter sets">
            <thead>
              <tr>
                <Th>Version</Th>
                <Th>Name</Th>
                <Th>State</Th>
                {PARAM_FIELDS.map((f) => (
                  <Th key={f.key} className="text-right" title={f.hint}>
                    {f.label}
                  </Th>
                ))}
                <Th>Effective</Th>
                <Th>Proposed by</Th>
                <Th>Approved by</Th>
              </tr>
            </thead>
            <tbody>
              {sets.map((set) => (
                <Tr key={set.version}>
                  <Td>
                    <Link href={`/admin/policy/${set.version}`} className="font-medium text-indigo-700 hover:underline">
                      v{set.version}
                    </Link>
                  </Td>
                  <Td className="min-w-48">{set.name}</Td>
                  <Td>
                    <SetStateBadge set={set} now={now} />
                  </Td>
                  {PARAM_FIELDS.map((f) => (
                    <Td key={f.key} className="text-right tabular-nums">
                      {formatParam(set.params, f.key)}
                    </Td>
                  ))}
                  <Td>{set.isBuiltIn ? 'always' : <Time value={set.inForceFrom ?? set.effectiveAt} />}</Td>
                  <Td>{set.proposedByName ?? <span className="text-slate-500">ships with the code</span>}</Td>
                  <Td>{set.reviewedByName && set.state === 'approved' ? set.reviewedByName : <span className="text-slate-500">—</span>}</Td>
                </Tr>
              ))}
            </tbody>
          </Table>
        </section>
        <div className="max-w-3xl">
          <ProposeForm
            fields={PARAM_FIELDS}
            inForce={
              Object.fromEntries(PARAM_FIELDS.map((f) => [f.key, formFieldValue(inForce, f.key)])) as Record<
                (typeof PARAM_FIELDS)[number]['key'],
                string
              >
            }
            defaultEffectiveAt={tomorrow()}
          />
        </div>
      </div>
    </>
  );
}
