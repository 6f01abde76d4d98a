import path from 'node:path';
import type { TSESTree } from '@typescript-eslint/utils';
import { createRule } from '../create-rule.js';
import { calleePath, stringValue } from '../analysis/ast.js';
import { functionsRootOf, PLATFORM_SECRETS, readDeclarationFile } from '../analysis/declared-secrets.js';
import { readSettings } from '../settings.js';

type Options = [{ declarationFile?: string; ignore?: string[] }];

export default createRule<Options, 'undeclared' | 'noDeclarationFile'>({
  name: 'undeclared-secret',
  meta: {
    type: 'problem',
    docs: {
      description: 'Every secret an edge function reads with Deno.env.get is declared for deployment',
      gate: 'release',
      recommended: true,
    },
    schema: [
      {
        type: 'object',
        properties: {
          declarationFile: { type: 'string', description: 'Path, relative to the functions directory, of the file that declares secrets.' },
          ignore: { type: 'array', items: { type: 'string' } },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      undeclared:
        '`{{name}}` is read here but not declared in {{file}}: a deploy without `supabase secrets set {{name}}=…` gives `undefined` at run time — add `{{name}}=` to {{file}}',
      noDeclarationFile:
        '`{{name}}` is read here but the project declares no secrets ({{file}} does not exist) — list every secret the functions need there',
    },
  },
  defaultOptions: [{ declarationFile: '.env.example', ignore: [] }],
  create(context, [options]) {
    const settings = readSettings(context);
    const root = functionsRootOf(context.filename, settings.functionsDir);
    if (!root) return {};
    const declarationPath = path.resolve(root, options.declarationFile ?? '.env.example');
    const shown = path.posix.join(settings.functionsDir, options.declarationFile ?? '.env.example');
    const declared = readDeclarationFile(declarationPath);
    const ignored = new Set(options.ignore ?? []);

    return {
      CallExpression(node: TSESTree.CallExpression) {
        if (calleePath(node)?.join('.') !== 'Deno.env.get') return;
        const name = stringValue(node.arguments[0]);
        if (!name || PLATFORM_SECRETS.has(name) || ignored.has(name)) return;
        if (!declared) {
          context.report({ node, messageId: 'noDeclarationFile', data: { name, file: shown } });
        } else if (!declared.names.has(name)) {
          context.report({ node, messageId: 'undeclared', data: { name, file: shown } });
        }
      },
    };
  },
});
