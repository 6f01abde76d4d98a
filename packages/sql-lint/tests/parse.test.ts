import { describe, expect, it } from 'vitest';
import { loadSqlParser } from '../src/index.js';
import { TextMap } from '../src/parse/positions.js';
import { parseMigrationFile } from '../src/parse/statements.js';
import { findings, lint } from './helpers.js';

describe('positions', () => {
  it('maps UTF-8 byte offsets to line and UTF-16 column', () => {
    const text = '-- ação é\nselect 1;\n-- 😀 x\nselect 2;';
    const map = new TextMap(text);
    const second = Buffer.byteLength('-- ação é\nselect 1;\n-- 😀 x\n');
    expect(map.positionOfByte(second)).toEqual({ line: 4, column: 1 });
    expect(map.positionOfByte(Buffer.byteLength('-- ação é\nsel'))).toEqual({ line: 2, column: 4 });
    // code points -> UTF-16: the emoji is one code point but two units
    expect(map.unitOfCodePoint([...'-- ação é\nselect 1;\n-- 😀 x'].length)).toBe('-- ação é\nselect 1;\n-- 😀 x'.length);
  });

  it('handles CRLF line ends', () => {
    const map = new TextMap('select 1;\r\nselect 2;');
    expect(map.position(11)).toEqual({ line: 2, column: 1 });
  });
});

describe('statements', () => {
  it('splits a file into statements with exact lines and columns after non-ASCII comments', async () => {
    await loadSqlParser();
    const f = parseMigrationFile(
      {
        path: 'm.sql',
        text: '-- Criação das tabelas de pacientes (atenção: é obrigatório)\n/* ☃ 😀 */ create table a (id int);\n  alter table a enable row level security;\n',
      },
      0,
    );
    expect(f.statements.map((s) => [s.kind, s.line, s.column])).toEqual([
      ['CreateStmt', 2, 12],
      ['AlterTableStmt', 3, 3],
    ]);
    expect(f.statements[0].text).toBe('create table a (id int)');
  });

  it('keeps the statements before a syntax error and reports its exact position', async () => {
    await loadSqlParser();
    const f = parseMigrationFile(
      { path: 'm.sql', text: "-- é\ncreate table a (id int);\ncreate table b (id int;\ncreate table c (id int);\n" },
      0,
    );
    expect(f.syntaxError).toMatchObject({ line: 3, column: 23 });
    expect(f.statements.map((s) => s.node.relation.relname)).toEqual(['a']);
  });

  it('steps back over a semicolon inside a BEGIN ATOMIC body', async () => {
    await loadSqlParser();
    const text = [
      'create table a (id int);',
      'create function f() returns int language sql begin atomic select 1; select 2; end;',
      'select from where;',
    ].join('\n');
    const f = parseMigrationFile({ path: 'm.sql', text }, 0);
    expect(f.syntaxError?.line).toBe(3);
    expect(f.statements.map((s) => s.kind)).toEqual(['CreateStmt', 'CreateFunctionStmt']);
  });

  it('reads a leading byte-order mark as whitespace and an empty file as no statements', async () => {
    await loadSqlParser();
    expect(parseMigrationFile({ path: 'm.sql', text: '\uFEFFcreate table a (id int);' }, 0).statements).toHaveLength(1);
    expect(parseMigrationFile({ path: 'm.sql', text: '' }, 0).statements).toHaveLength(0);
  });
});

describe('syntax-error', () => {
  it('reports the line and column of the error; earlier statements count, later files are analysed', async () => {
    const result = await findings(
      {
        '20240101000000_init.sql': `-- Tabela de consultas (versão inicial)
create table public.notes (id uuid primary key);
create table public.broken (
  id uuid primary key,
  index (id)
);
create table public.after_error (id uuid);
`,
        '20240102000000_next.sql': 'create table public.later (id uuid);\n',
      },
      { rules: { 'require-tenant-column': 'off' } },
    );
    expect(result).toEqual([
      'require-rls 20240101000000_init.sql:2:1',
      'syntax-error 20240101000000_init.sql:5:9',
      'require-rls 20240102000000_next.sql:1:1',
    ]);
  });

  it('puts the column right after multi-byte text on the same line', async () => {
    const { diagnostics } = await lint({ '1_a.sql': "select 'ééé😀', 1 from ;" });
    expect(diagnostics[0]).toMatchObject({ ruleId: 'syntax-error', line: 1, column: 24 });
  });

  it('flags what Postgres rejects: CREATE POLICY IF NOT EXISTS', async () => {
    const { diagnostics } = await lint({ '1_a.sql': 'create policy if not exists p on t using (true);' });
    expect(diagnostics.map((d) => [d.ruleId, d.line, d.column])).toEqual([['syntax-error', 1, 18]]);
    expect(diagnostics[0].message).toMatch(/syntax error at or near "not"/);
  });
});

describe('syntax-error in a DO block body', () => {
  it('is reported at the DO, and the rest of the file is not replayed', async () => {
    const sql = `create table a (id int);
alter table a enable row level security;
create policy p on a using (true);
do $$
begin
  perform 1,;
end $$;
create table b (id int);`;
    const { diagnostics } = await lint({ '1_a.sql': sql }, { rules: { 'require-tenant-column': 'off' } });
    expect(diagnostics.map((d) => [d.ruleId, d.line, d.column])).toEqual([['syntax-error', 4, 1]]);
    expect(diagnostics[0].message).toContain('in the DO block starting here: syntax error');
  });
});

describe('TextMap.unitOfByte', () => {
  /** The old full byte→unit table (ASCII text: the offset itself), as the reference. */
  function reference(text: string): (byte: number) => number {
    if (!/[^\x00-\x7f]/.test(text)) return (byte) => Math.min(byte, text.length);
    const bytes = Buffer.byteLength(text, 'utf8');
    const map = new Uint32Array(bytes + 1);
    let b = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      let n = c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
      let units = 1;
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && text.charCodeAt(i + 1) >= 0xdc00 && text.charCodeAt(i + 1) <= 0xdfff) {
        n = 4;
        units = 2;
      }
      for (let k = 0; k < n; k++) map[b + k] = i;
      b += n;
      i += units - 1;
    }
    map[bytes] = text.length;
    return (byte) => map[Math.max(0, Math.min(byte, bytes))];
  }

  it('agrees with a full byte table on mixed text, line ends and astral characters', () => {
    const pieces = ['a', 'é', 'ção', '😀', '☃', '\n', '\r\n', '\r', ' ', 'select 1;', '\ud800', '\udc00'];
    let seed = 3;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let t = 0; t < 300; t++) {
      let text = '';
      const length = 1 + Math.floor(random() * 30);
      for (let k = 0; k < length; k++) text += pieces[Math.floor(random() * pieces.length)];
      const map = new TextMap(text);
      const expected = reference(text);
      const bytes = Buffer.byteLength(text);
      for (let byte = -1; byte <= bytes + 2; byte++) expect([text, byte, map.unitOfByte(byte)]).toEqual([text, byte, expected(byte)]);
    }
  });
});
