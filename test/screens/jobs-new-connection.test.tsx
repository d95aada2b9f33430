import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createStorage } from '../../src/services/index.js';
import { cleanup } from '../app/helpers/render.js';
import { focusField, KEYS, start, typeText, verified, type WizardRun } from '../wizard/helpers.js';

let run: WizardRun | undefined;
afterEach(async () => {
  cleanup();
  await run?.fixture.close();
  run = undefined;
});

describe('New backup job: a new server connection on the way', () => {
  it("'New server connection…' runs the connection wizard over the job wizard, which resumes with the new connection chosen", async () => {
    run = await start();
    const { screen, fixture } = run;
    const before = new Set(fixture.store.current().connections.map((c) => c.id));
    await createStorage(fixture.ctx, { name: 'Main', path: join(dirname(fixture.store.path), 'storage'), retentionDays: 30 });
    await screen.press('4');
    await screen.press('n');
    await screen.press(KEYS.enter);
    await screen.waitFor((f) => f.includes('New backup job'));
    await typeText(screen, 'On-prem mail');
    await screen.press(KEYS.enter);
    await screen.waitFor((f) => f.includes('Job continuity'));
    await screen.press(KEYS.enter);
    await screen.waitFor((f) => f.includes('New server connection…'));
    await screen.press(KEYS.end);
    await screen.press(KEYS.enter);
    expect(screen.frame()).toContain('Exchange connection');
    await screen.press(KEYS.enter);
    await screen.waitFor((f) => f.includes('New Exchange connection') && f.includes('Server location'));
    await screen.press(KEYS.right);
    await screen.press(KEYS.enter);
    await focusField(screen, 'Server name or IP');
    await typeText(screen, 'ex01.corp.contoso.com');
    await screen.press(KEYS.enter);
    await screen.waitFor((f) => f.includes('Account'));
    await typeText(screen, 'CORP\\svc-backup');
    await focusField(screen, 'Password');
    await typeText(screen, 'S3rv1ce-Backup');
    await screen.press(KEYS.enter);
    expect(await verified(screen)).toContain('Enter: Summary');
    await screen.press(KEYS.enter);
    await screen.waitFor((f) => f.includes('Nothing has been saved yet. Enter: Finish.'));
    await screen.press(KEYS.enter);
    // Back in the job wizard, on its connection step, the new connection under the cursor.
    const resumed = await screen.waitFor((f) => f.includes('New backup job') && /›\s+ex01\.corp\.contoso\.com/.test(f));
    expect(resumed).toContain('Server connection');
    const created = fixture.store.current().connections.find((c) => !before.has(c.id));
    expect(created).toBeDefined();
    for (const step of ['Sources', 'Target storage', 'Activity period', 'Summary']) {
      await screen.press(KEYS.enter);
      await screen.waitFor((f) => f.includes(step));
    }
    await screen.press(KEYS.enter);
    await screen.waitFor((f) => f.includes("Job 'On-prem mail' created"));
    expect(fixture.store.current().jobs.find((j) => j.name === 'On-prem mail')).toMatchObject({ connectionId: created!.id });
  }, 120_000);
});
