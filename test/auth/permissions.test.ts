import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createAuth } from '../../src/auth/index.js';
import { DEFAULT_ADMIN_CLIENT_ID, permissionsFor, RESOURCES } from '../../src/auth/permissions.js';

describe('permission sets (microsoft365.md §9.2)', () => {
  it('Exchange: full_access_as_app (EWS, legacy) + Graph Mail.ReadWrite, MailboxSettings.ReadWrite, User.Read.All', () => {
    expect(permissionsFor('exchange').map((p) => [p.resource, p.name, p.id])).toEqual([
      ['Office 365 Exchange Online', 'full_access_as_app', 'dc890d15-9560-4a4c-9b7f-a736ec74ec40'],
      ['Microsoft Graph', 'Mail.ReadWrite', 'e2a3a72e-5f79-4c64-b1b1-878b674786c9'],
      ['Microsoft Graph', 'MailboxSettings.ReadWrite', '6931bccd-447a-43d1-b442-00a195474933'],
      ['Microsoft Graph', 'User.Read.All', 'df021288-bdef-4463-88db-98f22de89214'],
    ]);
  });

  it('SharePoint: SharePoint Sites.FullControl.All + Graph Sites.FullControl.All, User.Read.All', () => {
    expect(permissionsFor('sharepoint').map((p) => [p.resource, p.name, p.id])).toEqual([
      ['Office 365 SharePoint Online', 'Sites.FullControl.All', '678536fe-1083-478a-9c59-b99265e6b0d3'],
      ['Microsoft Graph', 'Sites.FullControl.All', 'a82116e5-55eb-4c41-a434-62fe8a61c773'],
      ['Microsoft Graph', 'User.Read.All', 'df021288-bdef-4463-88db-98f22de89214'],
    ]);
  });

  it('every permission names its resource app and says why in one line', () => {
    for (const p of [...permissionsFor('exchange'), ...permissionsFor('sharepoint')]) {
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
