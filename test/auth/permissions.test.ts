import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createAuth } from '../../src/auth/index.js';
import { DEFAULT_ADMIN_CLIENT_ID, permissionsFor, RESOURCES } from '../../src/auth/permissions.js';

describe('permission sets (microsoft365.md §9.2)', () => {
  it('Exchange: least privilege through Microsoft Graph (Mail.ReadWrite, MailboxSettings.Read, User.Read.All); EWS only on request', () => {
    expect(permissionsFor('exchange').map((p) => [p.resource, p.name, p.id])).toEqual([
      ['Microsoft Graph', 'Mail.ReadWrite', 'e2a3a72e-5f79-4c64-b1b1-878b674786c9'],
      ['Microsoft Graph', 'MailboxSettings.Read', '40f97065-369a-49f4-947c-6a255697ae91'],
      ['Microsoft Graph', 'User.Read.All', 'df021288-bdef-4463-88db-98f22de89214'],
    ]);
    expect(permissionsFor('exchange', { legacyEws: true }).map((p) => [p.resource, p.name, p.id]).at(-1)).toEqual([
      'Office 365 Exchange Online',
      'full_access_as_app',
      'dc890d15-9560-4a4c-9b7f-a736ec74ec40',
    ]);
  });

  it('SharePoint: Graph Sites.ReadWrite.All and User.Read.All (no tenant-wide SharePoint full control)', () => {
    expect(permissionsFor('sharepoint').map((p) => [p.resource, p.name, p.id])).toEqual([
      ['Microsoft Graph', 'Sites.ReadWrite.All', '9492366f-7969-46a4-8d15-ed1a20078fff'],
      ['Microsoft Graph', 'User.Read.All', 'df021288-bdef-4463-88db-98f22de89214'],
    ]);
  });

  it('every permission names its resource app and says why in one line', () => {
    for (const p of [...permissionsFor('exchange', { legacyEws: true }), ...permissionsFor('sharepoint')]) {
      expect(Object.values(RESOURCES).map((r) => r.appId)).toContain(p.resourceAppId);
      expect(p.why.length).toBeGreaterThan(10);
      expect(p.why).not.toContain('\n');
    }
    expect(createAuth({ endpoint: 'http://127.0.0.1:9' }).permissionsFor('exchange')).toBe(permissionsFor('exchange'));
    expect(DEFAULT_ADMIN_CLIENT_ID).toBe('14d82eec-204b-4c2f-b7e8-296a70dab67e');
  });
});

describe('start-up cost', () => {
  /** Static (non-type, non-dynamic) imports reachable from a module. */
  function staticGraph(file: string, seen = new Set<string>()): Set<string> {
    if (seen.has(file)) return seen;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(/^\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm)) {
      const spec = match[1] as string;
      if (spec.startsWith('.')) staticGraph(resolve(dirname(file), spec.replace(/\.js$/, '.ts')), seen);
      else seen.add(spec);
    }
    return seen;
  }

  it('src/auth/index.ts reaches msal-node and node-forge only through dynamic import()', () => {
    const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
    const graph = staticGraph(join(root, 'src', 'auth', 'index.ts'));
    expect([...graph].filter((m) => m === '@azure/msal-node' || m === 'node-forge' || m.startsWith('@azure/'))).toEqual([]);
    // …and the modules that do use them are not in the static graph either.
    expect([...graph].some((m) => /device-code|registration|client-credentials|verify/.test(m))).toBe(false);
  });
});
