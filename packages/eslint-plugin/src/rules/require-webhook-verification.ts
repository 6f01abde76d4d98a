import * as path from 'node:path';
import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { isFunction, memberPath, propertyName, stringValue, unwrap, walk, walkTypes, type FunctionNode } from '../analysis/ast.js';
import { functionConfigFor, type FunctionConfig } from '../analysis/function-config.js';
import { findHandlers, type Handler } from '../analysis/handlers.js';
import {
  findFailOpenSecrets,
  insecureSecretCompare,
  isAuthMiddlewareArgument,
  moduleScope,
  reachesTop,
  secretConsumers,
  summarizeHandlers,
  type Exposure,
  type FunctionSummary,
  type Origin,
  type Roles,
  type VerifyOutcome,
} from '../analysis/verification.js';
import { createRule } from '../create-rule.js';
import { readSettings } from '../settings.js';

export type Options = [{ verifiers?: string[]; timingSafe?: string[] }];
export type MessageIds =
  | 'unverifiedBody'
  | 'unverifiedServiceRole'
  | 'unauthenticatedServiceRole'
  | 'verificationAfterUse'
  | 'verificationNotEnforced'
  | 'verificationSwallowed'
  | 'failOpenSecret'
  | 'skippedWhenSecretUnset'
  | 'timingUnsafeCompare'
  | 'syncConstructEvent'
  | 'useTimingSafeEqual'
  | 'useConstructEventAsync';

export default createRule<Options, MessageIds>({
  name: 'require-webhook-verification',
  meta: {
    type: 'problem',
    docs: {
      description:
        'Edge functions that read their body or use a service-role client must verify the caller first (signature, timing-safe shared secret or auth.getUser), and fail closed',
      gate: 'edge-function',
      recommended: true,
    },
    hasSuggestions: true,
    messages: {
      unverifiedBody:
        '`{{fn}}` is public (verify_jwt = false) and reads the request body ({{what}}) at {{where}} without verifying the sender — check the signature or a shared secret with a timing-safe compare first',
      unverifiedServiceRole:
        '`{{fn}}` is public (verify_jwt = false) and uses a service-role client ({{what}}, bypasses RLS) at {{where}} without verifying the caller — check a signature, a shared secret (timing-safe) or `supabase.auth.getUser()` and stop on failure first',
      unauthenticatedServiceRole:
        '`{{fn}}` uses a service-role client ({{what}}, bypasses RLS) at {{where}} without authenticating the caller — verify_jwt = true accepts any valid JWT, the public anon key included; call `supabase.auth.getUser(token)` (or check a secret timing-safely) and stop on failure first',
      verificationAfterUse:
        '`{{fn}}` {{action}} ({{what}}) at {{where}} before the verification at line {{verifyLine}} can stop a forged request — verify first',
      verificationNotEnforced:
        'the result of `{{label}}` is computed but never stops the handler — return 401 (or throw) when it fails, before the body is used',
      verificationSwallowed:
        '`{{label}}` throws on a bad signature, but the catch at line {{catchLine}} neither returns nor rethrows, so the handler carries on with an unverified request — return 400 from the catch',
      failOpenSecret:
        '`{{text}}` falls back to an empty secret when `{{env}}` is unset, and an empty secret lets anyone sign or match requests — fail closed: answer 500 when the secret is missing',
      skippedWhenSecretUnset:
        'verification is skipped when `{{what}}` is missing — an unset secret or an omitted signature header lets every request through; answer 401/500 instead of skipping',
      timingUnsafeCompare:
        'compares `{{what}}` with `{{op}}`, which leaks through timing how much of the secret matches — use a timing-safe compare (`timingSafeEqual` from `jsr:@std/crypto`)',
      syncConstructEvent:
        '`{{call}}` is synchronous and throws in Deno (SubtleCrypto is async only) — use `await {{asyncCall}}(…)`',
      useTimingSafeEqual: 'Compare with `timingSafeEqual` from `jsr:@std/crypto/timing-safe-equal`',
      useConstructEventAsync: 'Use `await …constructEventAsync(…)`',
    },
    schema: [
      {
        type: 'object',
        properties: {
          verifiers: { type: 'array', items: { type: 'string' }, description: 'Extra function names that verify the caller (throw or return a falsy value on failure).' },
          timingSafe: { type: 'array', items: { type: 'string' }, description: 'Extra names of timing-safe comparison functions.' },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ verifiers: [], timingSafe: [] }],
  },
  create(context, [options]) {
    const settings = readSettings(context);
    return {
      'Program:exit'(program) {
        const filename = context.filename;
        const absolute = path.resolve(context.cwd, filename);
        const scope = moduleScope(program, absolute);
        const discovery = findHandlers(program);
        const config = functionConfigFor(filename, { functionsDir: settings.functionsDir, configToml: settings.configToml, cwd: context.cwd });
        const fnName = config.name ?? path.basename(path.dirname(absolute));
        const reported = new Set<TSESTree.Node>();
        const report = (descriptor: Parameters<typeof context.report>[0] & { node: TSESTree.Node }) => {
          if (reported.has(descriptor.node)) return;
          reported.add(descriptor.node);
          context.report(descriptor);
        };

        // 1. Handlers: body reads and service-role uses need a verification that stops first.
        // The same analysis require-error-handling starts with: computed once per file.
        const phase = summarizeHandlers(program, scope, discovery.handlers, { verifiers: options?.verifiers, timingSafe: options?.timingSafe }, true);
        const analysis = phase.analysis!;
        const handlerSummaries: Map<Handler, FunctionSummary> = phase.summaries;
        const coveredByMiddleware = honoCoverage(program, discovery.handlers, handlerSummaries);
        for (const handler of discovery.handlers) {
          if (handler.form === 'hono-middleware') continue;
          if (coveredByMiddleware(handler)) continue;
          const summary = handlerSummaries.get(handler)!;
          let exposure = firstReportable(summary.exposures, config);
          if (!exposure) continue;
          let later = laterVerification(summary.outcomes, exposure, handler.fn);
          if (later && exposure.kind === 'read') {
            // Reading (and validating) the body before a verification that stops is harmless, unless
            // privileged work happens before that verification.
            const verifyAt = later.fact.node.range[0];
            const service = summary.exposures.find((e) => e.kind === 'service' && e.node.range[0] < verifyAt);
            if (!service) continue;
            exposure = service;
            later = laterVerification(summary.outcomes, exposure, handler.fn);
          }
          const at = exposure.origin.file === absolute ? exposure.originNode : exposure.node;
          const where = whereText(exposure.origin, absolute);
          const what = exposure.origin.text;
          if (later) {
            report({
              node: at,
              messageId: 'verificationAfterUse',
              data: {
                fn: fnName,
                action: exposure.kind === 'read' ? 'reads the request body' : 'uses a service-role client',
                what,
                where,
                verifyLine: String(later.fact.node.loc.start.line),
              },
            });
          } else if (exposure.kind === 'read') {
            report({ node: at, messageId: 'unverifiedBody', data: { fn: fnName, what, where } });
          } else {
            report({ node: at, messageId: config.verifyJwt ? 'unauthenticatedServiceRole' : 'unverifiedServiceRole', data: { fn: fnName, what, where } });
          }
        }

        // 2. Every function of this file: verifications that do not stop, skip, compare unsafely, or cannot run in Deno.
        for (const fn of definedFunctions(program)) {
          if (![...handlerSummaries.values()].some((s) => s.fn === fn)) analysis.summarize(fn, scope, rolesFromParams(fn));
        }
        const outcomes = new Map<TSESTree.Node, VerifyOutcome>();
        for (const s of analysis.summaries()) {
          if (s.scope !== scope) continue;
          for (const o of s.outcomes) if (!outcomes.has(o.fact.node)) outcomes.set(o.fact.node, o);
        }
        const deno = isDenoModule(program, absolute, settings.functionsDir);
        const sorted = [...outcomes.values()].sort((a, b) => a.fact.node.range[0] - b.fact.node.range[0]);
        for (const o of sorted) {
          const f = o.fact;
          if (f.insecure) {
            if (o.skippedUnless) report({ node: o.skippedUnless, messageId: 'skippedWhenSecretUnset', data: { what: context.sourceCode.getText(o.skippedUnless).slice(0, 60) } });
            reportInsecureCompare(context, report, program, f.node as TSESTree.BinaryExpression);
            continue;
          }
          if (f.syncStripe) {
            if (deno) reportSyncConstructEvent(context, report, f.node as TSESTree.CallExpression);
            continue;
          }
          if (!f.primitive && f.vkind !== 'value') continue;
          if (o.skippedUnless) {
            report({ node: o.skippedUnless, messageId: 'skippedWhenSecretUnset', data: { what: context.sourceCode.getText(o.skippedUnless).slice(0, 60) } });
          } else if (o.swallowedBy) {
            report({ node: f.node, messageId: 'verificationSwallowed', data: { label: f.label, catchLine: String(o.swallowedBy.loc.start.line) } });
          } else if (o.notEnforced) {
            report({ node: f.node, messageId: 'verificationNotEnforced', data: { label: f.label } });
          }
        }
        // Insecure compares outside any analysed function (module-level helpers written as expressions).
        walkTypes(program, BINARY, (n) => {
          if (n.type === AST_NODE_TYPES.BinaryExpression && !outcomes.has(n) && insecureSecretCompare(n)) reportInsecureCompare(context, report, program, n);
          return true;
        });

        // 3. Secrets that fall back to '' when unset.
        const verifyNodes = [...outcomes.keys()];
        for (const failOpen of findFailOpenSecrets(program, secretConsumers(program, verifyNodes))) {
          report({ node: failOpen.node, messageId: 'failOpenSecret', data: { text: context.sourceCode.getText(failOpen.node), env: failOpen.envName } });
        }
      },
    };
  },
});

const BINARY = [AST_NODE_TYPES.BinaryExpression];
const CALL = [AST_NODE_TYPES.CallExpression];
const DEFINITION_TYPES = [AST_NODE_TYPES.FunctionDeclaration, AST_NODE_TYPES.VariableDeclarator, AST_NODE_TYPES.MethodDefinition, AST_NODE_TYPES.Property];

/** Roles of a function that is not a handler: parameters named like a Request or a Hono context. */
function rolesFromParams(fn: FunctionNode): Roles {
  const roles: Roles = { request: new Set(), honoContext: new Set(), raw: new Set() };
  for (const p of fn.params) {
    const id = p.type === AST_NODE_TYPES.AssignmentPattern ? p.left : p;
    if (id.type !== AST_NODE_TYPES.Identifier) continue;
    const typeName =
      id.typeAnnotation?.typeAnnotation.type === AST_NODE_TYPES.TSTypeReference && id.typeAnnotation.typeAnnotation.typeName.type === AST_NODE_TYPES.Identifier
        ? id.typeAnnotation.typeAnnotation.typeName.name
        : null;
    if (typeName === 'Request' || /^(req|request|_req|r)$/.test(id.name)) roles.request.add(id.name);
    else if (typeName === 'Context' || /^(c|ctx)$/.test(id.name)) roles.honoContext.add(id.name);
  }
  return roles;
}

/** Functions defined by name (declarations, `const f = () => …`, methods); inline callbacks belong to them. */
function definedFunctions(program: TSESTree.Program): FunctionNode[] {
  const out: FunctionNode[] = [];
  walkTypes(program, DEFINITION_TYPES, (n) => {
    if (n.type === AST_NODE_TYPES.FunctionDeclaration) out.push(n);
    if (n.type === AST_NODE_TYPES.VariableDeclarator && n.init && isFunction(unwrap(n.init))) out.push(unwrap(n.init) as FunctionNode);
    if ((n.type === AST_NODE_TYPES.MethodDefinition || n.type === AST_NODE_TYPES.Property) && isFunction(n.value as TSESTree.Node)) {
      out.push(n.value as FunctionNode);
    }
    return true;
  });
  return out;
}

function firstReportable(exposures: Exposure[], config: FunctionConfig): Exposure | null {
  if (!config.verifyJwt) return exposures[0] ?? null;
  return exposures.find((e) => e.kind === 'service') ?? null;
}

/** A verification after the exposure that stops the handler on every path (not one in a side branch). */
function laterVerification(outcomes: VerifyOutcome[], exposure: Exposure, fn: FunctionNode): VerifyOutcome | null {
  return (
    outcomes.find(
      (o) => o.fact.node.range[0] > exposure.node.range[1] && !o.fact.insecure && o.stops.some((s) => reachesTop(s.node, s.exit, fn)),
    ) ?? null
  );
}

function whereText(origin: Origin, file: string): string {
  if (!origin.file || origin.file === file) return `line ${origin.line}`;
  const rel = path.relative(path.dirname(file), origin.file).replace(/\\/g, '/');
  return `${rel.startsWith('.') ? rel : `./${rel}`} line ${origin.line}`;
}

/**
 * Hono routes behind an authenticating middleware: `app.use('*', bearerAuth(...))`, a local
 * middleware whose verification stops, or route-level middleware before the handler.
 */
function honoCoverage(program: TSESTree.Program, handlers: Handler[], summaries: Map<Handler, FunctionSummary>): (h: Handler) => boolean {
  const guards: Array<{ prefix: string | null; registration: TSESTree.Node | null }> = [];
  for (const h of handlers) {
    if (h.form !== 'hono-middleware') continue;
    const s = summaries.get(h)!;
    const verifies = s.outcomes.some((o) => (o.stops.length > 0 || o.guards.length > 0) && !o.notEnforced && !o.skippedUnless);
    if (!verifies) continue;
    if (h.route?.method === 'USE') guards.push({ prefix: usePrefix(h.route.path), registration: null });
    else guards.push({ prefix: null, registration: h.registration });
  }
  walkTypes(program, CALL, (n) => {
    if (n.type === AST_NODE_TYPES.CallExpression && n.callee.type === AST_NODE_TYPES.MemberExpression) {
      const method = propertyName(n.callee);
      if (method === 'use' && n.arguments.some((a) => isAuthMiddlewareArgument(a))) {
        guards.push({ prefix: usePrefix(stringValue(n.arguments[0])), registration: null });
      } else if (method && /^(get|post|put|patch|delete|all|on)$/.test(method) && n.arguments.slice(0, -1).some((a) => !isFunction(unwrap(a)) && isAuthMiddlewareArgument(a))) {
        guards.push({ prefix: null, registration: n });
      }
    }
    return true;
  });
  return (h) => {
    if (h.form !== 'hono-route') return false;
    return guards.some((g) => {
      if (g.registration) return g.registration === h.registration;
      if (g.prefix === null) return true;
      return (h.route?.path ?? '').startsWith(g.prefix);
    });
  };
}

function usePrefix(p: string | null): string | null {
  if (p === null || p === '*' || p === '/*') return null;
  return p.replace(/\*$/, '');
}

function isDenoModule(program: TSESTree.Program, file: string, functionsDir: string): boolean {
  const normalized = file.replace(/\\/g, '/');
  if (normalized.includes(`/${functionsDir.replace(/^\.\/+/, '').replace(/\/+$/, '')}/`)) return true;
  let deno = false;
  walk(program, (n) => {
    if (deno) return false;
    if (n.type === AST_NODE_TYPES.ImportDeclaration && /^(npm:|jsr:|https?:)/.test(n.source.value)) deno = true;
    if (n.type === AST_NODE_TYPES.MemberExpression && memberPath(n)?.[0] === 'Deno') deno = true;
    return true;
  });
  return deno;
}

type Reporter = (d: Parameters<TSESLint.RuleContext<MessageIds, Options>['report']>[0] & { node: TSESTree.Node }) => void;

function reportInsecureCompare(
  context: Readonly<TSESLint.RuleContext<MessageIds, Options>>,
  report: Reporter,
  program: TSESTree.Program,
  node: TSESTree.BinaryExpression,
): void {
  const source = context.sourceCode;
  const secretSide = isNamedSecret(node.left as TSESTree.Node) ? (node.left as TSESTree.Node) : (node.right as TSESTree.Node);
  const what = source.getText(secretSide).slice(0, 60);
  const negated = node.operator === '!==' || node.operator === '!=';
  const binding = timingSafeBinding(program);
  const suggest: TSESLint.ReportSuggestionArray<MessageIds> = [];
  if (binding !== 'foreign') {
    suggest.push({
      messageId: 'useTimingSafeEqual',
      fix: (fixer) => {
        const enc = (n: TSESTree.Node) => `new TextEncoder().encode(${source.getText(n)})`;
        const call = `${negated ? '!' : ''}timingSafeEqual(${enc(node.left as TSESTree.Node)}, ${enc(node.right as TSESTree.Node)})`;
        const fixes = [fixer.replaceText(node, call)];
        if (binding === 'none') {
          const imports = program.body.filter((s) => s.type === AST_NODE_TYPES.ImportDeclaration);
          const text = `import { timingSafeEqual } from "jsr:@std/crypto/timing-safe-equal";\n`;
          fixes.push(imports.length > 0 ? fixer.insertTextAfter(imports[imports.length - 1], `\n${text.trimEnd()}`) : fixer.insertTextBeforeRange([0, 0], text));
        }
        return fixes;
      },
    });
  }
  report({ node, messageId: 'timingUnsafeCompare', data: { what, op: node.operator }, suggest });
}

function isNamedSecret(node: TSESTree.Node): boolean {
  const n = unwrap(node);
  const p = memberPath(n);
  return !!p && /(secret|key|token|password|senha)/i.test(p[p.length - 1]);
}

/** Whether `timingSafeEqual` is already bound: to the std one (usable as is), to something else, or not at all. */
function timingSafeBinding(program: TSESTree.Program): 'std' | 'foreign' | 'none' {
  let result: 'std' | 'foreign' | 'none' = 'none';
  walk(program, (n) => {
    if (n.type === AST_NODE_TYPES.ImportDeclaration) {
      for (const spec of n.specifiers) {
        if (spec.local.name === 'timingSafeEqual') result = /std[@/].*crypto|@std\/crypto/.test(n.source.value) ? 'std' : 'foreign';
      }
    }
    if (n.type === AST_NODE_TYPES.FunctionDeclaration && n.id?.name === 'timingSafeEqual') result = 'foreign';
    if (n.type === AST_NODE_TYPES.VariableDeclarator && n.id.type === AST_NODE_TYPES.Identifier && n.id.name === 'timingSafeEqual') result = 'foreign';
    return true;
  });
  return result;
}

function reportSyncConstructEvent(context: Readonly<TSESLint.RuleContext<MessageIds, Options>>, report: Reporter, call: TSESTree.CallExpression): void {
  const callee = call.callee as TSESTree.MemberExpression;
  const calleeText = context.sourceCode.getText(callee);
  const asyncCall = `${calleeText}Async`;
  const suggest: TSESLint.ReportSuggestionArray<MessageIds> = [];
  const awaited = call.parent?.type === AST_NODE_TYPES.AwaitExpression;
  let fn: TSESTree.Node | undefined = call.parent;
  while (fn && !isFunction(fn)) fn = fn.parent;
  const canAwait = awaited || (fn && isFunction(fn) && fn.async) || !fn;
  if (canAwait) {
    suggest.push({
      messageId: 'useConstructEventAsync',
      fix: (fixer) => {
        const fixes = [fixer.replaceText(callee.property, 'constructEventAsync')];
        if (!awaited) fixes.push(fixer.insertTextBefore(call, 'await '));
        return fixes;
      },
    });
  }
  report({ node: call, messageId: 'syncConstructEvent', data: { call: `${calleeText}()`, asyncCall }, suggest });
}
