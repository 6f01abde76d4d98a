import { describe, expect, it } from 'vitest';
import { CLINICS, findings, lint } from './helpers.js';

const options = { rules: { 'require-tenant-column': 'off', 'require-tenant-policy': 'off' } } as const;

describe('policy-without-rls', () => {
  const rule = 'policy-without-rls';

  it('flags policies on a table whose RLS is off, at the first policy', async () => {
    const { diagnostics } = await lint(
      { '1_a.sql': 'create table notes (id uuid, owner uuid);\n\ncreate policy "own notes" on notes for select using (owner = auth.uid());\ncreate policy "own insert" on notes for insert with check (owner = auth.uid());' },
      options,
    );
    const d = diagnostics.filter((x) => x.ruleId === rule);
    expect(d.map((x) => [x.line, x.column, x.severity])).toEqual([[3, 1, 'error']]);
    expect(d[0].message).toBe(
      'table public.notes has policies "own notes", "own insert" but row level security is off, so they do nothing and every API user reaches every row — add `alter table public.notes enable row level security`.',
    );
  });

  it('reports at the DISABLE that made them useless, also in non-exposed schemas', async () => {
    expect(
      await findings(
        {
          '1_a.sql': 'create schema app;\ncreate table app.notes (id uuid);\nalter table app.notes enable row level security;\ncreate policy p on app.notes using (true);',
          '2_b.sql': 'alter table app.notes disable row level security;',
        },
        options,
        rule,
      ),
    ).toEqual([`${rule} 2_b.sql:1:1`]);
  });
});

describe('rls-without-policy', () => {
  const rule = 'rls-without-policy';

  it('is an info finding at the ENABLE when no policy exists', async () => {
    const { diagnostics } = await lint({ '1_a.sql': 'create table jobs (id uuid);\nalter table jobs enable row level security;' }, options);
    expect(diagnostics.map((d) => [d.ruleId, d.line, d.severity])).toEqual([[rule, 2, 'info']]);
    expect(diagnostics[0].message).toMatch(/no policy: API users .* can read or change none of its rows/);
  });

  it('clears when a later file adds a policy, also one created inside a DO block', async () => {
    expect(
      await findings(
        {
          '1_a.sql': 'create table jobs (id uuid);\nalter table jobs enable row level security;',
          '2_b.sql': `do $$ begin
  if not exists (select 1 from pg_policies where policyname = 'read jobs') then
    create policy "read jobs" on jobs for select to authenticated using (true);
  end if;
end $$;`,
        },
        options,
        rule,
      ),
    ).toEqual([]);
  });
});

describe('no-user-metadata-in-policy', () => {
  const rule = 'no-user-metadata-in-policy';
  const base = `${CLINICS}create table visits (id uuid, clinic_id uuid not null references clinics);
alter table visits enable row level security;
`;

  it('flags a policy reading user_metadata from the JWT', async () => {
    const { diagnostics } = await lint({
      '1_a.sql': `${base}create policy v on visits for select to authenticated
  using (clinic_id = ((auth.jwt() -> 'user_metadata' ->> 'clinic_id'))::uuid);`,
    });
    const d = diagnostics.filter((x) => x.ruleId === rule);
    expect(d.map((x) => [x.line, x.column, x.severity])).toEqual([[6, 1, 'error']]);
    expect(d[0].message).toContain('trusts user_metadata');
    expect(d[0].message).toContain('app_metadata');
  });

  it('flags raw_user_meta_data read through a helper function the policy calls', async () => {
    const { diagnostics } = await lint({
      '1_a.sql': `${base}create function public.my_clinic() returns uuid language sql stable security definer set search_path = '' as $$
  select (raw_user_meta_data ->> 'clinic_id')::uuid from auth.users where id = auth.uid()
$$;
create policy v on visits for all to authenticated using (clinic_id = public.my_clinic());`,
    });
    expect(diagnostics.filter((x) => x.ruleId === rule).map((d) => [d.line, d.message.includes('through public.my_clinic()')])).toEqual([
      [9, true],
    ]);
  });

  it('accepts app_metadata', async () => {
    expect(
      await findings(
        { '1_a.sql': `${base}create policy v on visits to authenticated using (clinic_id = (auth.jwt() -> 'app_metadata' ->> 'clinic_id')::uuid);` },
        {},
        rule,
      ),
    ).toEqual([]);
  });
});
