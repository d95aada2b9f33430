import { describe, expect, it } from 'vitest';
import { cliJson, fixtureStore, runCli } from '../helpers/cli.js';

/** Issue 16, item 2 (CLI): connection names can be changed, stay unique, and lists show what tells connections apart. */

interface ListRow {
  id: string;
  name: string;
  tenant?: string;
  cloud?: string;
  clientId?: string;
  credentialKind: string;
  credentialExpires?: string;
}

describe('connections rename', () => {
  it('renames by id or name, keeps id and jobs, and records who did it in the audit log', async () => {
    const { store } = await fixtureStore();
    const renamed = await runCli(['connections', 'rename', 'ex01.corp.contoso.com', '  Head office Exchange ', '--store', store]);
    expect(renamed.code, renamed.stderr).toBe(0);
    expect(renamed.stdout).toBe("Renamed server connection c-3: 'ex01.corp.contoso.com' is now 'Head office Exchange'.\n");
    const rows = await cliJson<Array<ListRow & { usedBy: string[] }>>(['connections', 'list', '--json', '--store', store]);
    expect(rows.find((r) => r.id === 'c-3')).toMatchObject({ name: 'Head office Exchange', usedBy: ['On-prem mailboxes'] });
    // The new name identifies it in every command.
    const again = await cliJson<{ id: string; from: string; name: string; changed: boolean }>(['connections', 'rename', 'Head office Exchange', 'Head office Exchange', '--json', '--store', store]);
    expect(again).toEqual({ id: 'c-3', from: 'Head office Exchange', name: 'Head office Exchange', changed: false });
    const audit = await cliJson<Array<{ action: string; entity: { id: string }; details: Record<string, string> }>>(['audit', 'list', '--json', '--what', 'rename', '--store', store]);
    expect(audit.map((a) => [a.action, a.entity.id, a.details.from, a.details.to])).toEqual([['connection.rename', 'c-3', 'ex01.corp.contoso.com', 'Head office Exchange']]);
  });

  it('refuses a duplicate (any case), an empty name, control characters and another connection’s id, with exit 2, changing nothing', async () => {
    const { store } = await fixtureStore();
    const before = await cliJson<ListRow[]>(['connections', 'list', '--json', '--store', store]);
    const cases: Array<[string, string]> = [
      ['CONTOSO.sharepoint.com', "Another server connection is already named 'CONTOSO.sharepoint.com' (c-2)"],
      ['   ', 'Give the connection a name'],
      ['evil\u001b[2Jname', 'may not hold control or invisible formatting characters'],
      ['c-1', "'c-1' is the id of another connection; choose another name."],
      ['x'.repeat(101), 'Keep the name to 100 characters or fewer'],
    ];
    for (const [name, words] of cases) {
      const result = await runCli(['connections', 'rename', 'c-4', name, '--store', store]);
      expect(result.code, name).toBe(2);
      expect(result.stdout, name).toBe('');
      expect(result.stderr, name).toContain(words);
      // eslint-disable-next-line no-control-regex -- the refusal must not echo an escape sequence
      expect(result.stderr).not.toMatch(/\u001b/);
    }
    const unknown = await runCli(['connections', 'rename', 'c-99', 'Anything', '--store', store]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("No server connection 'c-99'. See 'backup-panel connections list' for ids and names.");
    expect(await cliJson<ListRow[]>(['connections', 'list', '--json', '--store', store])).toEqual(before);
  });
});

describe('connections list shows what tells connections apart', () => {
  it('--json has tenant, cloud, client id, credential kind and expiry; the table has a TENANT column', async () => {
    const { store } = await fixtureStore();
    const rows = await cliJson<ListRow[]>(['connections', 'list', '--json', '--store', store]);
    const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
    expect(byId['c-1']).toMatchObject({ tenant: 'contoso.onmicrosoft.com', cloud: 'global', credentialKind: 'basic' });
    expect(byId['c-2']).toMatchObject({ tenant: 'contoso.onmicrosoft.com', credentialKind: 'basic' });
    expect(byId['c-5']).toMatchObject({ tenant: 'fabrikam.onmicrosoft.com' });
    expect(byId['c-3']).toMatchObject({ credentialKind: 'basic' });
    expect(byId['c-3']?.tenant).toBeUndefined();
    expect(byId['c-1']?.clientId).toBeUndefined();

    const table = await runCli(['connections', 'list', '--store', store]);
    expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+TYPE\s+CONNECTION NAME\s+LOCATION\s+AUTHENTICATION\s+TENANT\s+USED BY$/);
    expect(table.stdout).toMatch(/c-5\s+Exchange\s+backup@fabrikam\.onmicrosoft\.com \[obsolete\]\s+Microsoft 365\s+legacy\s+fabrikam\.onmicrosoft\.com\s+Fabrikam mailboxes/);
  });
});
