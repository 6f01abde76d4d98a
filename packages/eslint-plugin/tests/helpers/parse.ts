import { parse } from '@typescript-eslint/parser';
import { simpleTraverse } from '@typescript-eslint/typescript-estree';
import type { TSESTree } from '@typescript-eslint/utils';

/** Parses module code the way ESLint hands it to rules: with locations and parent pointers. */
export function parseModule(code: string): TSESTree.Program {
  const program = parse(code, { loc: true, range: true, sourceType: 'module', jsx: true }) as TSESTree.Program;
  simpleTraverse(program, { enter: () => {} }, true);
  return program;
}
