/** Where each rule's page lives: `${DOCS_BASE_URL}<rule>.md`. */
export const DOCS_BASE_URL = 'https://github.com/supagate/supagate/blob/main/docs/rules/';
