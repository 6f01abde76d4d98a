import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findConfigToml, functionConfigFor } from '../../src/analysis/function-config.js';
import { functionNameOf } from '../../src/analysis/function-path.js';

function project(toml: string): string {
  const root = mkdtempSync(join(tmpdir(), 'supagate-config-'));
  mkdirSync(join(root, 'supabase/functions/whatsapp-webhook'), { recursive: true });
  writeFileSync(join(root, 'supabase/config.toml'), toml);
  return root;
}

describe('functionNameOf', () => {
  it('takes the folder under the functions directory', () => {
    expect(functionNameOf('/repo/supabase/functions/whatsapp-webhook/index.ts')).toBe('whatsapp-webhook');
    expect(functionNameOf('supabase/functions/stripe-webhook/handlers/checkout.ts')).toBe('stripe-webhook');
    expect(functionNameOf('C:\\repo\\supabase\\functions\\agenda\\index.ts')).toBe('agenda');
  });
  it('skips shared folders, files outside functions, and honours a custom directory', () => {
    expect(functionNameOf('/repo/supabase/functions/_shared/cors.ts')).toBeNull();
    expect(functionNameOf('/repo/src/lib/supabase.ts')).toBeNull();
    expect(functionNameOf('/repo/backend/edge/agenda/index.ts', 'backend/edge')).toBe('agenda');
  });
});

describe('functionConfigFor', () => {
  it('reads verify_jwt per function and defaults to on', () => {
    const root = project(`project_id = "clinica"\n\n[functions.whatsapp-webhook]\nverify_jwt = false\n\n[functions.agenda]\nverify_jwt = true\n`);
    const file = join(root, 'supabase/functions/whatsapp-webhook/index.ts');
    expect(findConfigToml(file)).toBe(join(root, 'supabase/config.toml'));
    expect(functionConfigFor(file)).toMatchObject({ name: 'whatsapp-webhook', verifyJwt: false, source: 'config' });
    expect(functionConfigFor(join(root, 'supabase/functions/agenda/index.ts'))).toMatchObject({ verifyJwt: true, source: 'config' });
    expect(functionConfigFor(join(root, 'supabase/functions/relatorios/index.ts'))).toMatchObject({ name: 'relatorios', verifyJwt: true, source: 'default' });
  });

  it('re-reads the file when it changes (cache by mtime) and uses settings.configToml relative to cwd', () => {
    const root = project(`[functions.whatsapp-webhook]\nverify_jwt = true\n`);
    const file = join(root, 'supabase/functions/whatsapp-webhook/index.ts');
    expect(functionConfigFor(file).verifyJwt).toBe(true);
    writeFileSync(join(root, 'supabase/config.toml'), `[functions.whatsapp-webhook]\nverify_jwt = false\n`);
    const later = new Date(Date.now() + 5000);
    utimesSync(join(root, 'supabase/config.toml'), later, later);
    expect(functionConfigFor(file).verifyJwt).toBe(false);
    expect(functionConfigFor('supabase/functions/whatsapp-webhook/index.ts', { cwd: root, configToml: 'supabase/config.toml' }).verifyJwt).toBe(false);
  });

  it('treats an invalid config.toml as saying nothing', () => {
    const root = project(`[functions.whatsapp-webhook\nverify_jwt = `);
    expect(functionConfigFor(join(root, 'supabase/functions/whatsapp-webhook/index.ts'))).toMatchObject({ verifyJwt: true, source: 'default' });
  });
});
