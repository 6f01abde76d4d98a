import { describe, expect, it } from 'vitest';
import { CLINICS, findings, lint } from './helpers.js';

const rule = 'require-tenant-policy';
const TABLE = `${CLINICS}create table public.payments (id uuid primary key, clinic_id uuid not null references public.clinics(id), amount int);
alter table public.payments enable row level security;
`; // payments is created on line 4

async function policies(sql: string): Promise<string[]> {
  return findings({ '1_a.sql': TABLE + sql }, {}, rule);
}

describe('require-tenant-policy', () => {
  it('flags USING (true) as a cross-tenant leak, at the CREATE POLICY', async () => {
    const { diagnostics } = await lint({ '1_a.sql': `${TABLE}create policy "read payments" on public.payments\n  for select to authenticated using (true);` });
    const d = diagnostics.filter((x) => x.ruleId === rule);
    expect(d.map((x) => [x.line, x.column, x.severity, x.object])).toEqual([[6, 1, 'error', 'public.payments']]);
    expect(d[0].message).toBe(
      'policy "read payments" on public.payments leaks across tenants: USING (true) admits every row, so any signed-in user can read rows of every tenant — compare clinic_id with the user\'s tenant, e.g. `using (clinic_id in (select clinic_id from <membership table> where user_id = auth.uid()))`.',
    );
  });

  it("suggests the project's own membership helper when it has one", async () => {
    const helper = `create function public.is_clinic_member(p_clinic_id uuid) returns boolean language sql stable security definer set search_path = ''
  as $$ select exists (select 1 from public.clinic_members where clinic_id = p_clinic_id and user_id = auth.uid()) $$;
`;
    const { diagnostics } = await lint({ '1_a.sql': `${TABLE}${helper}create policy "todos" on public.payments for select to authenticated using (true);` });
    const d = diagnostics.filter((x) => x.ruleId === rule);
    expect(d.map((x) => x.line)).toEqual([8]);
    expect(d[0].message).toMatch(/e\.g\. `using \(public\.is_clinic_member\(clinic_id\)\)`\.$/);
  });

  it('accepts direct comparison, helper functions and EXISTS subqueries on the tenant column', async () => {
    expect(
      await policies(`create policy a on payments for select to authenticated using (clinic_id = (select auth.jwt() ->> 'clinic_id')::uuid);
create policy b on payments for insert to authenticated with check (public.is_clinic_member(clinic_id));
create policy c on payments for update to authenticated using (exists (select 1 from clinic_members m where m.clinic_id = payments.clinic_id and m.user_id = auth.uid()));
create policy d on payments for delete to authenticated using (clinic_id in (select clinic_id from clinic_members where user_id = auth.uid()) and amount < 100);`),
    ).toEqual([]);
  });

  it('flags a policy that never mentions the tenant and a WITH CHECK that does not', async () => {
    expect(
      await policies(`create policy own on payments for select using (auth.uid() is not null);
create policy ins on payments for all to authenticated using (is_clinic_member(clinic_id)) with check (auth.role() = 'authenticated');`),
    ).toEqual([`${rule} 1_a.sql:6:1`, `${rule} 1_a.sql:7:1`]);
  });

  it('flags an OR branch that lets rows of other tenants through', async () => {
    expect(await policies('create policy p on payments to anon using (clinic_id = my_clinic() or true);')).toEqual([`${rule} 1_a.sql:6:1`]);
  });

  it('lets a user read their own rows, but not write them into any tenant', async () => {
    const sql = `create policy mine on payments for select to authenticated using (payer_id = auth.uid());
create policy theirs on payments for select to authenticated using (payer_id in (select id from payers where user_id = (select auth.uid())));
create policy write_mine on payments for all to authenticated using (payer_id = auth.uid());
create policy admin on payments for select to authenticated using (has_role(auth.uid(), 'admin'));`;
    const { diagnostics } = await lint({ '1_a.sql': TABLE.replace('amount int', 'amount int, payer_id uuid') + sql });
    const d = diagnostics.filter((x) => x.ruleId === rule);
    expect(d.map((x) => x.line)).toEqual([8, 9]);
    expect(d[0].message).toContain('USING (which also checks writes) (payer_id = auth.uid()) does not restrict by clinic_id, so every user it admits can write rows into any tenant');
    expect(d[1].message).toContain("USING (has_role(auth.uid(), 'admin')) does not restrict by clinic_id, so every user it admits can read rows of every tenant");
  });

  it('names an OR branch that escapes the tenant', async () => {
    const { diagnostics } = await lint({ '1_a.sql': `${TABLE}create policy p on payments for select using (clinic_id = my_clinic() or is_super_admin());` });
    expect(diagnostics.find((x) => x.ruleId === rule)?.message).toContain('has an OR branch that does not restrict by clinic_id');
  });

  it('ignores restrictive policies and policies for other roles', async () => {
    expect(
      await policies(`create policy r on payments as restrictive for select to authenticated using (amount > 0);
create policy s on payments for all to service_role using (true);`),
    ).toEqual([]);
  });

  it('uses the final state: an ALTER POLICY that fixes USING clears it, a DROP POLICY removes it', async () => {
    const files = {
      '1_a.sql': `${TABLE}create policy p on payments for select to authenticated using (true);`,
      '2_b.sql': 'alter policy p on payments using (is_clinic_member(clinic_id));',
    };
    expect(await findings(files, {}, rule)).toEqual([]);
    expect(await findings({ '1_a.sql': files['1_a.sql'], '2_b.sql': 'drop policy if exists p on public.payments;' }, {}, rule)).toEqual([]);
    expect(await findings({ ...files, '3_c.sql': '\nalter policy p on payments using (true);' }, {}, rule)).toEqual([`${rule} 3_c.sql:2:1`]);
  });

  it('applies to tables that get the tenant column later', async () => {
    expect(
      await findings(
        {
          '1_a.sql': `${CLINICS}create table notes (id uuid);\nalter table notes enable row level security;\ncreate policy n on notes to authenticated using (true);`,
          '2_b.sql': 'alter table notes add column clinic_id uuid not null references clinics;',
        },
        {},
        rule,
      ),
    ).toEqual([`${rule} 1_a.sql:6:1`]);
  });
});
