import { defElemBoolean, kindOf, nameList, stringValue, walk, clauseText } from '../parse/ast.js';
import { parsePlpgsql, parseSql } from '../parse/parser.js';
import { makeStatement, type AstNode, type ParsedFile, type Statement } from '../parse/statements.js';
import { parseSearchPath, qualifiedName } from './names.js';
import {
  keyOf,
  type Column,
  type Policy,
  type PolicyCommand,
  type RelationRef,
  type SchemaModel,
  type SqlFunction,
  type Table,
  type View,
} from './schema.js';

const DEFAULT_SEARCH_PATH = ['public'];

/** Replays one file's statements into the model. Errors thrown by a statement are returned, not raised. */
export class Replayer {
  private searchPath: string[] = DEFAULT_SEARCH_PATH;
  /** Set when a statement makes Postgres abort the file (a DO body it cannot compile). */
  private aborted = false;
  /** `lookupSchemas()` of the search path `lookupFor`. */
  private lookup: string[] = [];
  private lookupFor: string[] | undefined;

  constructor(
    private readonly model: SchemaModel,
    private readonly onError: (statement: Statement, error: unknown) => void,
  ) {}

  replayFile(file: ParsedFile): void {
    this.searchPath = DEFAULT_SEARCH_PATH;
    this.aborted = false;
    for (const statement of file.statements) {
      if (this.aborted) break;
      try {
        this.replay(statement, file);
      } catch (error) {
        this.onError(statement, error);
      }
    }
  }

  private replay(s: Statement, file: ParsedFile | undefined): void {
    const n = s.node;
    switch (s.kind) {
      case 'VariableSetStmt':
        return this.setSearchPath(n);
      case 'SelectStmt':
        return this.selectSetConfig(n);
      case 'CreateSchemaStmt':
        return this.createSchema(n, s, file);
      case 'CreateStmt':
        return this.createTable(n, s);
      case 'CreateForeignTableStmt':
        return this.createTable(n.base ?? {}, s, 'foreign');
      case 'CreateTableAsStmt':
        return this.createTableAs(n, s);
      case 'AlterTableStmt':
        return this.alterTable(n, s);
      case 'RenameStmt':
        return this.rename(n, s);
      case 'AlterObjectSchemaStmt':
        return this.setSchema(n, s);
      case 'DropStmt':
        return this.drop(n);
      case 'CreatePolicyStmt':
        return this.createPolicy(n, s);
      case 'AlterPolicyStmt':
        return this.alterPolicy(n, s);
      case 'CreateFunctionStmt':
        return this.createFunction(n, s);
      case 'AlterFunctionStmt':
        return this.alterFunction(n, s);
      case 'ViewStmt':
        return this.createView(n, s);
      case 'DoStmt':
        return this.doBlock(n, s, file);
      case 'ExecuteStmt':
        this.model.opaque.push(s);
        return;
      default:
        return;
    }
  }

  // ---- names ---------------------------------------------------------------------------------

  /** Schema an unqualified new object is created in. */
  private creationSchema(): string {
    return this.searchPath.find((p) => p !== '$user' && p !== 'pg_catalog' && p !== 'pg_temp') ?? 'public';
  }

  private lookupSchemas(): string[] {
    // Asked for on every name lookup; the search path changes rarely.
    if (this.lookupFor !== this.searchPath) {
      const path = this.searchPath.filter((p) => p !== '$user');
      this.lookup = path.length > 0 ? path : ['public'];
      this.lookupFor = this.searchPath;
    }
    return this.lookup;
  }

  private relationName(rv: AstNode | undefined): { schema: string; name: string } {
    const name: string = rv?.relname ?? '';
    if (rv?.schemaname) return { schema: rv.schemaname, name };
    const schemas = this.lookupSchemas();
    for (const schema of schemas) {
      const key = qualifiedName(schema, name);
      if (this.model.tables.has(key) || this.model.views.has(key)) return { schema, name };
    }
    return { schema: this.creationSchema(), name };
  }

  private newName(rv: AstNode | undefined): { schema: string; name: string } {
    return { schema: rv?.schemaname ?? this.creationSchema(), name: rv?.relname ?? '' };
  }

  private findTable(rv: AstNode | undefined): Table | undefined {
    const name = this.relationName(rv);
    return this.model.tables.get(qualifiedName(name.schema, name.name));
  }

  private findView(rv: AstNode | undefined): View | undefined {
    const name = this.relationName(rv);
    return this.model.views.get(qualifiedName(name.schema, name.name));
  }

  private relationRef(rv: AstNode | undefined): RelationRef {
    const name = this.relationName(rv);
    const key = qualifiedName(name.schema, name.name);
    return { target: this.model.tables.get(key) ?? this.model.views.get(key), name: key };
  }

  /** Resolves `[schema, name]` / `[name]` name lists (DROP, policies) to a relation name. */
  private listName(parts: string[]): { schema: string; name: string } {
    const name = parts[parts.length - 1];
    if (parts.length >= 2) return { schema: parts[parts.length - 2], name };
    return this.relationName({ relname: name });
  }

  // ---- search_path ---------------------------------------------------------------------------

  private setSearchPath(n: AstNode): void {
    if (n.name !== 'search_path') return;
    if (n.kind === 'VAR_SET_VALUE') {
      const values = (n.args ?? []).map((a: AstNode) => stringValue(a) ?? '').filter((v: string) => v !== '');
      this.searchPath = values;
    } else if (n.kind === 'VAR_SET_DEFAULT' || n.kind === 'VAR_RESET') {
      this.searchPath = DEFAULT_SEARCH_PATH;
    }
  }

  private selectSetConfig(n: AstNode): void {
    walk(n.targetList, (kind, value) => {
      if (kind !== 'FuncCall') return;
      const fname = nameList(value.funcname);
      if (fname[fname.length - 1] !== 'set_config') return;
      const args: AstNode[] = value.args ?? [];
      if (stringValue(args[0]) !== 'search_path') return;
      const v = stringValue(args[1]);
      if (v !== undefined) this.searchPath = parseSearchPath(v);
    });
  }

  // ---- schemas -------------------------------------------------------------------------------

  private createSchema(n: AstNode, s: Statement, file: ParsedFile | undefined): void {
    const name: string = n.schemaname ?? n.authrole?.RoleSpec?.rolename ?? '';
    if (!this.model.schemas.has(name)) this.model.schemas.set(name, { name, createdAt: s });
    const saved = this.searchPath;
    this.searchPath = [name];
    for (const elt of n.schemaElts ?? []) {
      const kind = kindOf(elt);
      if (kind) this.replay({ ...s, kind, node: elt[kind] }, file);
    }
    this.searchPath = saved;
  }

  // ---- tables --------------------------------------------------------------------------------

  private newTable(schema: string, name: string, s: Statement, variant: Table['variant']): Table {
    const table: Table = {
      type: 'table',
      schema,
      name,
      variant,
      columns: new Map(),
      columnsKnown: true,
      rls: false,
      forceRls: false,
      policies: new Map(),
      createdAt: s,
      changedAt: s,
    };
    const key = keyOf(table);
    this.model.views.delete(key);
    this.model.tables.set(key, table);
    return table;
  }

  private createTable(n: AstNode, s: Statement, variant?: Table['variant']): void {
    if (n.relation?.relpersistence === 't') return; // temporary tables are not part of the schema
    const { schema, name } = this.newName(n.relation);
    const key = qualifiedName(schema, name);
    if (n.if_not_exists && this.model.tables.has(key)) return;
    const parents: RelationRef[] = (n.inhRelations ?? []).map((r: AstNode) => this.relationRef(r.RangeVar));
    const table = this.newTable(
      schema,
      name,
      s,
      variant ?? (n.partspec ? 'partitioned' : n.partbound ? 'partition' : 'table'),
    );
    if (parents.length > 0) {
      table.parent = parents[0];
      for (const p of parents) this.copyColumns(table, p, s, true);
    }
    if (n.ofTypename) table.columnsKnown = false;
    for (const elt of n.tableElts ?? []) {
      if (elt.ColumnDef) this.addColumn(table, elt.ColumnDef, s);
      else if (elt.Constraint) this.addConstraint(table, elt.Constraint, s);
      else if (elt.TableLikeClause) this.copyColumns(table, this.relationRef(elt.TableLikeClause.relation), s, false);
    }
  }

  private copyColumns(table: Table, from: RelationRef, s: Statement, withForeignKeys: boolean): void {
    const source = from.target;
    if (!source || source.type !== 'table') {
      table.columnsKnown = false;
      return;
    }
    if (!source.columnsKnown) table.columnsKnown = false;
    for (const c of source.columns.values()) {
      if (table.columns.has(c.name)) continue;
      table.columns.set(c.name, {
        name: c.name,
        notNull: c.notNull,
        references: withForeignKeys ? [...c.references] : [],
        createdAt: s,
        changedAt: s,
      });
    }
  }

  private createTableAs(n: AstNode, s: Statement): void {
    const into = n.into ?? {};
    if (into.rel?.relpersistence === 't') return;
    if (n.objtype === 'OBJECT_MATVIEW') {
      const { schema, name } = this.newName(into.rel);
      const key = qualifiedName(schema, name);
      if (n.if_not_exists && this.model.views.has(key)) return;
      this.model.views.set(key, {
        type: 'view',
        schema,
        name,
        materialized: true,
        securityInvoker: false,
        sources: this.querySources(n.query),
        createdAt: s,
        changedAt: s,
      });
      return;
    }
    const { schema, name } = this.newName(into.rel);
    const key = qualifiedName(schema, name);
    if (n.if_not_exists && this.model.tables.has(key)) return;
    const table = this.newTable(schema, name, s, 'as-select');
    const colNames = nameList(into.colNames);
    const targets: AstNode[] = n.query?.SelectStmt?.targetList ?? [];
    const names: string[] = [];
    for (const t of targets) {
      const rt = t.ResTarget ?? {};
      if (rt.name) names.push(rt.name);
      else if (rt.val?.ColumnRef) {
        const fields = nameList(rt.val.ColumnRef.fields);
        const last = fields[fields.length - 1];
        if (last === '*') {
          const sources = this.querySources(n.query);
          if (sources.length === 1 && sources[0].target?.type === 'table') {
            this.copyColumns(table, sources[0], s, false);
            for (const c of table.columns.values()) c.notNull = false;
          } else table.columnsKnown = false;
        } else if (last) names.push(last);
      } else names.push('?column?');
    }
    if (targets.length === 0) table.columnsKnown = false;
    const finalNames = names.map((nm, i) => colNames[i] ?? nm);
    for (const nm of finalNames) {
      if (!table.columns.has(nm)) table.columns.set(nm, { name: nm, notNull: false, references: [], createdAt: s, changedAt: s });
    }
  }

  private addColumn(table: Table, def: AstNode, s: Statement): void {
    const name: string = def.colname;
    const column: Column = { name, notNull: def.is_not_null === true, references: [], createdAt: s, changedAt: s };
    table.columns.set(name, column);
    for (const c of def.constraints ?? []) {
      const con = c.Constraint ?? {};
      if (con.contype === 'CONSTR_NOTNULL' || con.contype === 'CONSTR_PRIMARY') column.notNull = true;
      else if (con.contype === 'CONSTR_NULL') column.notNull = false;
      else if (con.contype === 'CONSTR_FOREIGN') column.references.push(this.fkTarget(con.pktable, table));
    }
  }

  private fkTarget(pktable: AstNode | undefined, self: Table): RelationRef {
    const ref = this.relationRef(pktable);
    if (!ref.target && keyOf(self) === ref.name) return { target: self, name: ref.name };
    return ref;
  }

  private addConstraint(table: Table, con: AstNode, s: Statement): void {
    if (con.contype === 'CONSTR_PRIMARY' || con.contype === 'CONSTR_NOTNULL') {
      for (const k of nameList(con.keys)) {
        const col = table.columns.get(k);
        if (col) {
          col.notNull = true;
          col.changedAt = s;
        }
      }
    } else if (con.contype === 'CONSTR_FOREIGN') {
      const target = this.fkTarget(con.pktable, table);
      for (const k of nameList(con.fk_attrs)) {
        const col = table.columns.get(k);
        if (col) {
          col.references.push(target);
          col.changedAt = s;
        }
      }
    }
  }

  private alterTable(n: AstNode, s: Statement): void {
    const objtype: string = n.objtype ?? 'OBJECT_TABLE';
    if (objtype === 'OBJECT_VIEW' || objtype === 'OBJECT_MATVIEW') {
      const view = this.findView(n.relation);
      if (view) this.alterViewOptions(view, n.cmds ?? [], s);
      return;
    }
    const table = this.findTable(n.relation);
    if (!table) {
      const view = this.findView(n.relation);
      if (view) this.alterViewOptions(view, n.cmds ?? [], s);
      return;
    }
    for (const c of n.cmds ?? []) {
      const cmd = c.AlterTableCmd ?? {};
      switch (cmd.subtype) {
        case 'AT_AddColumn':
          if (cmd.missing_ok && table.columns.has(cmd.def?.ColumnDef?.colname)) break;
          if (cmd.def?.ColumnDef) this.addColumn(table, cmd.def.ColumnDef, s);
          break;
        case 'AT_DropColumn':
          table.columns.delete(cmd.name);
          break;
        case 'AT_SetNotNull':
        case 'AT_DropNotNull': {
          const col = table.columns.get(cmd.name);
          if (col) {
            col.notNull = cmd.subtype === 'AT_SetNotNull';
            col.changedAt = s;
          }
          break;
        }
        case 'AT_AddConstraint':
          if (cmd.def?.Constraint) this.addConstraint(table, cmd.def.Constraint, s);
          break;
        case 'AT_EnableRowSecurity':
        case 'AT_DisableRowSecurity':
          table.rls = cmd.subtype === 'AT_EnableRowSecurity';
          table.rlsChangedAt = s;
          break;
        case 'AT_ForceRowSecurity':
        case 'AT_NoForceRowSecurity':
          table.forceRls = cmd.subtype === 'AT_ForceRowSecurity';
          break;
        case 'AT_AttachPartition': {
          const child = this.findTable(cmd.def?.PartitionCmd?.name);
          if (child) {
            child.parent = { target: table, name: keyOf(table) };
            child.variant = 'partition';
          }
          break;
        }
        default:
          break;
      }
    }
  }

  private alterViewOptions(view: View, cmds: AstNode[], s: Statement): void {
    for (const c of cmds) {
      const cmd = c.AlterTableCmd ?? {};
      const options: AstNode[] = cmd.def?.List?.items ?? [];
      for (const o of options) {
        if (o.DefElem?.defname !== 'security_invoker') continue;
        if (cmd.subtype === 'AT_SetRelOptions' || cmd.subtype === 'AT_ReplaceRelOptions') {
          view.securityInvoker = defElemBoolean(o.DefElem.arg);
          view.changedAt = s;
        } else if (cmd.subtype === 'AT_ResetRelOptions') {
          view.securityInvoker = false;
          view.changedAt = s;
        }
      }
    }
  }

  // ---- rename / set schema / drop ------------------------------------------------------------

  private moveRelation(rv: AstNode, schema: string | undefined, name: string | undefined, s: Statement): void {
    const table = this.findTable(rv);
    const view = table ? undefined : this.findView(rv);
    const obj = table ?? view;
    if (!obj) return;
    const map = (table ? this.model.tables : this.model.views) as Map<string, Table | View>;
    map.delete(keyOf(obj));
    if (schema !== undefined) obj.schema = schema;
    if (name !== undefined) obj.name = name;
    obj.changedAt = s;
    map.set(keyOf(obj), obj);
  }

  private rename(n: AstNode, s: Statement): void {
    switch (n.renameType) {
      case 'OBJECT_TABLE':
      case 'OBJECT_VIEW':
      case 'OBJECT_MATVIEW':
      case 'OBJECT_FOREIGN_TABLE':
        return this.moveRelation(n.relation, undefined, n.newname, s);
      case 'OBJECT_COLUMN': {
        const table = this.findTable(n.relation);
        const col = table?.columns.get(n.subname);
        if (table && col) {
          table.columns.delete(col.name);
          col.name = n.newname;
          col.changedAt = s;
          table.columns.set(col.name, col);
        }
        return;
      }
      case 'OBJECT_POLICY': {
        const table = this.findTable(n.relation);
        const policy = table?.policies.get(n.subname);
        if (table && policy) {
          table.policies.delete(policy.name);
          policy.name = n.newname;
          table.policies.set(policy.name, policy);
        }
        return;
      }
      case 'OBJECT_SCHEMA': {
        const from: string = n.subname;
        const to: string = n.newname;
        const info = this.model.schemas.get(from);
        this.model.schemas.delete(from);
        this.model.schemas.set(to, { name: to, createdAt: info?.createdAt });
        for (const map of [this.model.tables, this.model.views] as Map<string, Table | View>[]) {
          for (const obj of [...map.values()]) {
            if (obj.schema !== from) continue;
            map.delete(keyOf(obj));
            obj.schema = to;
            map.set(keyOf(obj), obj);
          }
        }
        for (const [key, fn] of [...this.model.functions]) {
          if (fn.schema !== from) continue;
          this.model.functions.delete(key);
          fn.schema = to;
          this.model.functions.set(functionKey(fn), fn);
        }
        return;
      }
      case 'OBJECT_FUNCTION':
      case 'OBJECT_PROCEDURE':
        for (const fn of this.findFunctions(n.object?.ObjectWithArgs)) {
          this.model.functions.delete(functionKey(fn));
          fn.name = n.newname;
          this.model.functions.set(functionKey(fn), fn);
        }
        return;
      default:
        return;
    }
  }

  private setSchema(n: AstNode, s: Statement): void {
    switch (n.objectType) {
      case 'OBJECT_TABLE':
      case 'OBJECT_VIEW':
      case 'OBJECT_MATVIEW':
      case 'OBJECT_FOREIGN_TABLE':
        return this.moveRelation(n.relation, n.newschema, undefined, s);
      case 'OBJECT_FUNCTION':
      case 'OBJECT_PROCEDURE':
        for (const fn of this.findFunctions(n.object?.ObjectWithArgs)) {
          this.model.functions.delete(functionKey(fn));
          fn.schema = n.newschema;
          this.model.functions.set(functionKey(fn), fn);
        }
        return;
      default:
        return;
    }
  }

  private drop(n: AstNode): void {
    const cascade = n.behavior === 'DROP_CASCADE';
    for (const o of n.objects ?? []) {
      switch (n.removeType) {
        case 'OBJECT_TABLE':
        case 'OBJECT_FOREIGN_TABLE': {
          const { schema, name } = this.listName(nameList(o.List?.items));
          const key = qualifiedName(schema, name);
          const table = this.model.tables.get(key);
          if (table) this.dropRelation(table, cascade);
          break;
        }
        case 'OBJECT_VIEW':
        case 'OBJECT_MATVIEW': {
          const { schema, name } = this.listName(nameList(o.List?.items));
          const view = this.model.views.get(qualifiedName(schema, name));
          if (view) this.dropRelation(view, cascade);
          break;
        }
        case 'OBJECT_POLICY': {
          const parts = nameList(o.List?.items);
          const policyName = parts.pop();
          const { schema, name } = this.listName(parts);
          const table = this.model.tables.get(qualifiedName(schema, name));
          if (table && policyName !== undefined) table.policies.delete(policyName);
          break;
        }
        case 'OBJECT_FUNCTION':
        case 'OBJECT_PROCEDURE':
          for (const fn of this.findFunctions(o.ObjectWithArgs)) this.model.functions.delete(functionKey(fn));
          break;
        case 'OBJECT_SCHEMA': {
          const schema = stringValue(o);
          if (schema === undefined) break;
          this.model.schemas.delete(schema);
          for (const t of [...this.model.tables.values()]) if (t.schema === schema) this.model.tables.delete(keyOf(t));
          for (const v of [...this.model.views.values()]) if (v.schema === schema) this.model.views.delete(keyOf(v));
          for (const f of [...this.model.functions.values()]) if (f.schema === schema) this.model.functions.delete(functionKey(f));
          break;
        }
        default:
          break;
      }
    }
  }

  private dropRelation(obj: Table | View, cascade: boolean): void {
    if (obj.type === 'table') this.model.tables.delete(keyOf(obj));
    else this.model.views.delete(keyOf(obj));
    if (!cascade) return;
    for (const v of [...this.model.views.values()]) {
      if (v.sources.some((r) => r.target === obj)) this.dropRelation(v, true);
    }
  }

  // ---- policies ------------------------------------------------------------------------------

  private createPolicy(n: AstNode, s: Statement): void {
    const table = this.findTable(n.table);
    if (!table) return;
    const policy: Policy = {
      name: n.policy_name,
      table,
      command: ((n.cmd_name as string | undefined) ?? 'all') as PolicyCommand,
      roles: roleNames(n.roles),
      permissive: n.permissive === true, // protobuf omits false: absent means AS RESTRICTIVE
      using: n.qual,
      withCheck: n.with_check,
      usingText: n.qual ? clauseText(s.text, 'using') : undefined,
      withCheckText: n.with_check ? clauseText(s.text, 'with check') : undefined,
      createdAt: s,
      changedAt: s,
    };
    table.policies.set(policy.name, policy);
  }

  private alterPolicy(n: AstNode, s: Statement): void {
    const table = this.findTable(n.table);
    const policy = table?.policies.get(n.policy_name);
    if (!policy) return;
    if (n.roles) policy.roles = roleNames(n.roles);
    if (n.qual) {
      policy.using = n.qual;
      policy.usingText = clauseText(s.text, 'using');
    }
    if (n.with_check) {
      policy.withCheck = n.with_check;
      policy.withCheckText = clauseText(s.text, 'with check');
    }
    policy.changedAt = s;
  }

  // ---- functions -----------------------------------------------------------------------------

  private functionName(parts: string[]): { schema: string; name: string } {
    const name = parts[parts.length - 1];
    if (parts.length >= 2) return { schema: parts[parts.length - 2], name };
    return { schema: this.creationSchema(), name };
  }

  private findFunctions(owa: AstNode | undefined): SqlFunction[] {
    if (!owa) return [];
    const parts = nameList(owa.objname);
    const name = parts[parts.length - 1];
    const schemas = parts.length >= 2 ? [parts[parts.length - 2]] : this.lookupSchemas();
    const args = owa.args_unspecified ? undefined : (owa.objargs ?? []).map((t: AstNode) => typeName(t.TypeName)).join(', ');
    for (const schema of schemas) {
      const found = [...this.model.functions.values()].filter(
        (f) => f.schema === schema && f.name === name && (args === undefined || f.args === args),
      );
      if (found.length > 0) return found;
    }
    // Argument types spelled differently (`varchar` vs `character varying`): fall back to the name
    // when there is exactly one function of that name.
    for (const schema of schemas) {
      const found = [...this.model.functions.values()].filter((f) => f.schema === schema && f.name === name);
      if (found.length === 1) return found;
    }
    return [];
  }

  private createFunction(n: AstNode, s: Statement): void {
    const { schema, name } = this.functionName(nameList(n.funcname));
    const args = (n.parameters ?? [])
      .map((p: AstNode) => p.FunctionParameter ?? {})
      .filter((p: AstNode) => p.mode !== 'FUNC_PARAM_OUT' && p.mode !== 'FUNC_PARAM_TABLE')
      .map((p: AstNode) => typeName(p.argType))
      .join(', ');
    const fn: SqlFunction = {
      schema,
      name,
      args,
      kind: n.is_procedure ? 'procedure' : 'function',
      language: 'sql',
      securityDefiner: false,
      body: '',
      createdAt: s,
      changedAt: s,
    };
    for (const o of n.options ?? []) {
      const d = o.DefElem ?? {};
      if (d.defname === 'language') fn.language = stringValue(d.arg) ?? fn.language;
      else if (d.defname === 'security') fn.securityDefiner = defElemBoolean(d.arg);
      else if (d.defname === 'set') applyFunctionSet(fn, d.arg?.VariableSetStmt);
      else if (d.defname === 'as') fn.body = (d.arg?.List?.items ?? [d.arg]).map((i: AstNode) => stringValue(i) ?? '').join('\n');
    }
    if (n.sql_body) fn.body = s.text;
    const existing = this.model.functions.get(functionKey(fn));
    if (existing) fn.createdAt = existing.createdAt;
    this.model.functions.set(functionKey(fn), fn);
  }

  private alterFunction(n: AstNode, s: Statement): void {
    for (const fn of this.findFunctions(n.func)) {
      for (const a of n.actions ?? []) {
        const d = a.DefElem ?? {};
        if (d.defname === 'security') {
          fn.securityDefiner = defElemBoolean(d.arg);
          fn.changedAt = s;
        } else if (d.defname === 'set') {
          applyFunctionSet(fn, d.arg?.VariableSetStmt);
          fn.changedAt = s;
        }
      }
    }
  }

  // ---- views ---------------------------------------------------------------------------------

  private createView(n: AstNode, s: Statement): void {
    const { schema, name } = this.newName(n.view);
    const key = qualifiedName(schema, name);
    const existing = this.model.views.get(key);
    let securityInvoker = false;
    for (const o of n.options ?? []) {
      if (o.DefElem?.defname === 'security_invoker') securityInvoker = defElemBoolean(o.DefElem.arg);
    }
    if (n.view?.relpersistence === 't') return;
    this.model.views.set(key, {
      type: 'view',
      schema,
      name,
      materialized: false,
      securityInvoker,
      sources: this.querySources(n.query),
      createdAt: existing && n.replace ? existing.createdAt : s,
      changedAt: s,
    });
  }

  /** Relations a query reads (CTE names excluded). */
  private querySources(query: AstNode | undefined): RelationRef[] {
    const ctes = new Set<string>();
    walk(query, (kind, value) => {
      if (kind === 'CommonTableExpr' && value.ctename) ctes.add(value.ctename);
    });
    const refs: RelationRef[] = [];
    const seen = new Set<string>();
    walk(query, (kind, value) => {
      if (kind !== 'RangeVar') return;
      if (!value.schemaname && ctes.has(value.relname)) return;
      const ref = this.relationRef(value);
      if (seen.has(ref.name)) return;
      seen.add(ref.name);
      refs.push(ref);
    });
    return refs;
  }

  // ---- DO blocks -----------------------------------------------------------------------------

  /**
   * A DO block's static SQL statements are replayed as if written at top level (at their own
   * line); dynamic `EXECUTE` or a body that cannot be parsed makes the block opaque.
   */
  private doBlock(n: AstNode, s: Statement, file: ParsedFile | undefined): void {
    let body: string | undefined;
    let language = 'plpgsql';
    for (const a of n.args ?? []) {
      const d = a.DefElem ?? {};
      if (d.defname === 'as') body = stringValue(d.arg);
      else if (d.defname === 'language') language = stringValue(d.arg) ?? language;
    }
    if (body === undefined || language.toLowerCase() !== 'plpgsql' || !file) {
      this.model.opaque.push(s);
      return;
    }
    let tag = 'supagate';
    while (body.includes(`$${tag}$`)) tag += '_';
    let ast: unknown;
    try {
      ast = parsePlpgsql(`create function pg_temp.supagate_do() returns void language plpgsql as $${tag}$${body}$${tag}$`);
    } catch (error) {
      // Postgres compiles the body when the DO runs, with this same PL/pgSQL grammar: a body that
      // does not compile fails the migration there, like a syntax error. Anything else: opaque.
      const message = error instanceof Error ? error.message : String(error);
      if (!s.insideDo && !file.syntaxError && isCompileError(message)) {
        file.syntaxError = { message: `in the DO block starting here: ${message}`, line: s.line, column: s.column, offset: s.start };
        this.aborted = true;
      } else this.model.opaque.push(s);
      return;
    }
    const bodyStart = s.start + Math.max(0, s.text.indexOf(body));
    const bodyLine = file.map.position(bodyStart).line;
    let dynamic = false;
    const inner: Array<{ query: string; lineno: number }> = [];
    walk(ast, (kind, value) => {
      if (kind === 'PLpgSQL_stmt_dynexecute' || kind === 'PLpgSQL_stmt_dynfors') dynamic = true;
      if (kind === 'PLpgSQL_stmt_execsql') {
        const query: string | undefined = value.sqlstmt?.PLpgSQL_expr?.query;
        if (query) inner.push({ query, lineno: value.lineno ?? 1 });
      }
    });
    if (dynamic) this.model.opaque.push(s);
    const text = file.map.text;
    for (const { query, lineno } of inner) {
      let stmts;
      try {
        stmts = parseSql(query).stmts ?? [];
      } catch {
        continue; // plpgsql accepted it; variables make some statements unparsable on their own
      }
      const lineStart = lineStartOffset(text, bodyLine + lineno - 1, bodyStart);
      const found = text.indexOf(query, lineStart);
      const start = found >= bodyStart && found < s.end ? found : lineStart;
      for (const r of stmts) {
        const kind = r.stmt ? Object.keys(r.stmt)[0] : undefined;
        if (!kind || !r.stmt) continue;
        const at = makeStatement(s.file, s.fileIndex, s.index, kind, (r.stmt as AstNode)[kind] ?? {}, text, file.map, start, found >= bodyStart ? start + query.length : s.end);
        at.insideDo = s;
        this.replay(at, file);
      }
    }
  }
}

/** PL/pgSQL compile errors that do not depend on the database's contents. */
function isCompileError(message: string): boolean {
  return /syntax error|unterminated|too (many|few) parameters specified for RAISE|loop variable of loop over rows must be|must be a record variable/i.test(message);
}

function lineStartOffset(text: string, line: number, from: number): number {
  let pos = from;
  // Walk back to the start of `from`'s line, then forward to the wanted line.
  while (pos > 0 && text[pos - 1] !== '\n') pos--;
  let current = 1;
  for (let i = 0; i < pos; i++) if (text[i] === '\n') current++;
  while (current < line && pos < text.length) {
    const next = text.indexOf('\n', pos);
    if (next < 0) break;
    pos = next + 1;
    current++;
  }
  return pos;
}

export function functionKey(fn: { schema: string; name: string; args: string }): string {
  return `${qualifiedName(fn.schema, fn.name)}(${fn.args})`;
}

function typeName(t: AstNode | undefined): string {
  if (!t) return '';
  const names = nameList(t.names).filter((p) => p !== 'pg_catalog');
  return names.join('.') + (t.arrayBounds ? '[]' : '');
}

function roleNames(roles: AstNode[] | undefined): string[] {
  const names = (roles ?? []).map((r) => {
    const spec = r.RoleSpec ?? {};
    if (spec.roletype === 'ROLESPEC_PUBLIC') return 'public';
    if (spec.roletype === 'ROLESPEC_CURRENT_USER') return 'current_user';
    if (spec.roletype === 'ROLESPEC_SESSION_USER') return 'session_user';
    if (spec.roletype === 'ROLESPEC_CURRENT_ROLE') return 'current_role';
    return String(spec.rolename ?? '');
  });
  return names.length > 0 ? names : ['public'];
}

function applyFunctionSet(fn: SqlFunction, v: AstNode | undefined): void {
  if (!v || v.name !== 'search_path') {
    if (v?.kind === 'VAR_RESET_ALL') fn.searchPath = undefined;
    return;
  }
  if (v.kind === 'VAR_SET_VALUE') fn.searchPath = (v.args ?? []).map((a: AstNode) => stringValue(a) ?? '').join(', ');
  else if (v.kind === 'VAR_SET_CURRENT') fn.searchPath = '(current)';
  else if (v.kind === 'VAR_RESET' || v.kind === 'VAR_SET_DEFAULT') fn.searchPath = undefined;
}
