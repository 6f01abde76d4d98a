import { describe, expect, it } from 'vitest';
import { keyOf } from '../src/index.js';
import { lint } from './helpers.js';
import { qualifiedName } from '../src/model/names.js';

describe('schema model replay', () => {
  it('CREATE TABLE IF NOT EXISTS keeps the first definition and its statement', async () => {
    const { model } = await lint({
      '1_a.sql': 'create table notes (id uuid, clinic_id uuid not null);',
      '2_b.sql': 'create table if not exists notes (id uuid);',
    });
    const t = model.tables.get('public.notes')!;
    expect([t.createdAt.file.slice(-7), [...t.columns.keys()]]).toEqual(['1_a.sql', ['id', 'clinic_id']]);
  });

  it('moves tables with SET SCHEMA and schemas with RENAME, and DROP SCHEMA CASCADE empties them', async () => {
    const { model } = await lint({
      '1_a.sql': `create schema staging;
create table staging.raw (id int);
create table public.moved (id int);
alter table public.moved set schema staging;
alter schema staging rename to archive;
create schema doomed;
create table doomed.x (id int);
drop schema doomed cascade;`,
    });
    expect([...model.tables.values()].map(keyOf).sort()).toEqual(['archive.moved', 'archive.raw']);
    expect(model.schemas.has('archive')).toBe(true);
    expect(model.schemas.has('doomed')).toBe(false);
  });

  it('tracks policies through table renames, policy renames and roles', async () => {
    const { model } = await lint({
      '1_a.sql': `create table a (id int);
create policy "p" on a as permissive for update to anon, authenticated using (true) with check (id > 0);
alter table a rename to b;
alter policy "p" on b rename to "q";
alter policy "q" on b to authenticated;`,
    });
    const p = model.tables.get('public.b')!.policies.get('q')!;
    expect([p.table.name, p.command, p.roles, p.withCheckText, p.changedAt.line]).toEqual(['b', 'update', ['authenticated'], '(id > 0)', 5]);
  });

  it('records functions with SECURITY DEFINER and search_path, views with security_invoker', async () => {
    const { model } = await lint({
      '1_a.sql': `create function public.f(a uuid, b text default 'x') returns int language plpgsql security definer set search_path to public, pg_temp as $$ begin return 1; end $$;
create view v with (security_invoker = true) as select 1;
alter view v reset (security_invoker);`,
    });
    const f = model.functions.get('public.f(uuid, text)')!;
    expect([f.securityDefiner, f.searchPath, f.language]).toEqual([true, 'public, pg_temp', 'plpgsql']);
    const v = model.views.get('public.v')!;
    expect([v.securityInvoker, v.changedAt.line]).toEqual([false, 3]);
  });

  it('gives tables created inside a DO block their own line', async () => {
    const { model } = await lint({
      '1_a.sql': `do $$
begin
  if to_regclass('public.logs') is null then
    create table public.logs (id bigint);
  end if;
end $$;`,
    });
    expect(model.tables.get('public.logs')?.createdAt).toMatchObject({ line: 4, column: 5 });
  });
});

describe('qualifiedName', () => {
  it('quotes the same way when asked again, also after its memo was cleared', () => {
    const expected = ['public.payments', 'public."Foo"', 'public."select"', '"Billing"."a""b"'];
    const ask = (): string[] => [
      qualifiedName('public', 'payments'),
      qualifiedName('public', 'Foo'),
      qualifiedName('public', 'select'),
      qualifiedName('Billing', 'a"b'),
    ];
    expect(ask()).toEqual(expected);
    expect(ask()).toEqual(expected);
    for (let i = 0; i < 60_000; i++) qualifiedName('public', `t${i}`);
    for (let i = 0; i < 1_100; i++) qualifiedName(`s${i}`, 't');
    expect(ask()).toEqual(expected);
    expect(qualifiedName('public', 't59999')).toBe('public.t59999');
  });
});
