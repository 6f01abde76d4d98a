import type { TSESLint } from '@typescript-eslint/utils';
import noPiiInLogs from './no-pii-in-logs.js';
import requireHandler from './require-handler.js';
import undeclaredSecret from './undeclared-secret.js';
import requireTenantScope from './require-tenant-scope.js';
import requireStructuredLogs from './require-structured-logs.js';
import noServiceRoleInClient from './no-service-role-in-client.js';
import noHardcodedSecrets from './no-hardcoded-secrets.js';
import requireWebhookVerification from './require-webhook-verification.js';
import requireErrorHandling from './require-error-handling.js';

// One line per rule; the rule → gate mapping lives in each rule's meta.docs.gate.
export const rules: Record<string, TSESLint.RuleModule<string, readonly unknown[]>> = {
  'no-pii-in-logs': noPiiInLogs,
  'require-handler': requireHandler,
  'undeclared-secret': undeclaredSecret,
  'require-tenant-scope': requireTenantScope,
  'require-structured-logs': requireStructuredLogs,
  'no-service-role-in-client': noServiceRoleInClient,
  'no-hardcoded-secrets': noHardcodedSecrets,
  'require-webhook-verification': requireWebhookVerification,
  'require-error-handling': requireErrorHandling,
};
