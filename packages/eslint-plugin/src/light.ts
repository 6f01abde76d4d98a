/**
 * What the CLI needs on its fast path (a pre-commit run answered from cache) without
 * loading ESLint, typescript-eslint or TypeScript: docs links, secret masking and the
 * secrets declaration. Everything here imports nothing heavy.
 */
export { DOCS_BASE_URL } from './docs-url.js';
export { maskSecret, maskSecretsIn, detectSecret, detectSecrets, type SecretMatch, type SecretKind } from './analysis/secrets.js';
export { PLATFORM_SECRETS, readDeclarationFile, type DeclarationFile } from './analysis/declared-secrets.js';
