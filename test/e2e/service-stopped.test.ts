import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackupJob } from '../../src/services/index.js';
import { engineWorld, type EngineWorld } from '../engine/world.js';
import { closedActivityPeriod, ServiceProcess } from '../scheduler/service-process.js';
import { KEY, PanelSession } from './terminal.js';

/**
 * The permanent service-stopped alert (contracts §8.3) on a panel that is open in a real terminal:
 * it goes when the backup service starts and comes back when the service is killed (SIGKILL: no
 * clean stop is written, only its pid goes away).
 */
describe('the service-stopped alert on an open panel', () => {
  let world: EngineWorld;
  let store: string;
  let env: Record<string, string>;
  const cleanup: Array<() => void> = [];

  beforeAll(async () => {
    world = await engineWorld({ mailboxes: 1, messages: 2, largeMessages: 0, files: 0, largeFiles: 0 });
    await world.addConnection({ id: 'c-exo', service: 'exchange' });
    // A job the service keeps waiting (outside its activity period): the test is about liveness, not cycles.
    await createBackupJob(world.ctx, { name: 'Nightly', connection: 'c-exo', storage: world.storageId, sources: 'all', activity: closedActivityPeriod() });
    await world.store.close();
    store = join(world.dir, 'store.json');
    env = { BACKUP_PANEL_M365_ENDPOINT: world.sandbox.url };
  }, 120_000);

  afterAll(async () => {
    for (const c of cleanup) c();
    await world?.sandbox.close();
  });

  it('goes away when the service starts and comes back within seconds when it is killed', async () => {
    const panel = new PanelSession(['--store', store], { env });
    cleanup.push(() => panel.kill());
    await panel.waitFor((p) => p.text().includes('? help') && p.flowed().includes('The backup service is not running'));
    expect(panel.text()).toContain('Bad news');

    const service = new ServiceProcess(['--store', store], env);
    cleanup.push(() => service.kill());
    await service.line(/backup service \S+ started/);
    await panel.waitFor((p) => !p.flowed().includes('The backup service is not running'));

    service.kill('SIGKILL');
    await service.exited();
    await panel.waitFor((p) => /The backup service is not running \(last seen \d{4}-\d\d-\d\d \d\d:\d\d UTC\)/.test(p.flowed()));

    // Like every category, it can be muted in Notification options.
    await panel.press('3');
    await panel.waitFor('Bad news: 1 permanent');
    await panel.press('n');
    await panel.waitFor('[x] Backup service not running');
    await panel.press(KEY.down, KEY.down, KEY.down, KEY.down, KEY.space);
    await panel.waitFor('[ ] Backup service not running');
    await panel.press(KEY.enter);
    await panel.waitForGone('Backup service not running');
    await panel.waitFor((p) => !p.flowed().includes('The backup service is not running'));
  });
});
