import type { Command } from 'commander';
import { ALERT_CATEGORY_LABELS, displayText } from '../domain/index.js';
import { alertJson, dismissAlert, listAlerts, muteCategory, parseCategory, serviceLiveness, unmuteCategory } from '../services/index.js';
import { EXIT } from './exit-codes.js';
import type { Io } from './output.js';
import { formatTable, println, toSafeJson } from './output.js';
import { runWithStore, type StoreOptions } from './runtime.js';
import { addStoreOptions } from './store-options.js';

export function registerAlerts(program: Command, io: Io, setExit: (code: number) => void): void {
  const alerts = program.command('alerts').description('Bad news: list, mute or unmute categories, dismiss events');

  addStoreOptions(
    alerts
      .command('list')
      .description('list alerts (muted categories are left out unless --all)')
      .option('--json', 'one JSON document on stdout')
      .option('--all', 'include alerts of muted categories'),
  ).action(async (opts: StoreOptions & { json?: boolean; all?: boolean }) => {
    setExit(
      await runWithStore(io, opts, async ({ ctx }) => {
        const list = listAlerts(ctx.store.current(), ctx.now(), { all: opts.all === true, service: await serviceLiveness(ctx), audience: 'cli' });
        if (opts.json) println(io.stdout, toSafeJson(list.map(alertJson)));
        else if (list.length === 0) println(io.stdout, 'No alerts.');
        else
          io.stdout.write(
            formatTable(list, [
              { header: 'ID', value: (a) => a.id, max: 48 },
              { header: 'SEVERITY', value: (a) => a.severity },
              { header: 'KIND', value: (a) => (a.permanent ? 'permanent' : 'event') },
              { header: 'CREATED', value: (a) => a.createdAt.slice(0, 16).replace('T', ' ') },
              { header: 'MESSAGE', value: (a) => a.message, max: 400 },
            ]),
          );
        return EXIT.ok;
      }),
    );
  });

  for (const [name, muted] of [
    ['mute', true],
    ['unmute', false],
  ] as const) {
    addStoreOptions(alerts.command(`${name} <category>`).description(`${name} an alert category (${Object.keys(ALERT_CATEGORY_LABELS).join(', ')})`)).action(
      async (value: string, opts: StoreOptions) => {
        setExit(
          // A setting that makes sense on a new store: the one write here that may create it.
          await runWithStore(io, { ...opts, create: true }, async ({ ctx }) => {
            const category = parseCategory(value);
            const changed = muted ? await muteCategory(ctx, category) : await unmuteCategory(ctx, category);
            const label = ALERT_CATEGORY_LABELS[category];
            println(io.stdout, changed ? `${muted ? 'Muted' : 'Unmuted'}: ${label} (${category}).` : `${label} (${category}) was already ${muted ? 'muted' : 'shown'}.`);
            return EXIT.ok;
          }),
        );
      },
    );
  }

  addStoreOptions(alerts.command('dismiss <id>').description('dismiss an event alert (permanent alerts cannot be dismissed)')).action(
    async (id: string, opts: StoreOptions) => {
      setExit(
        await runWithStore(io, opts, async ({ ctx }) => {
          await dismissAlert(ctx, id);
          println(io.stdout, `Dismissed alert '${displayText(id, { maxLength: 80 })}'.`);
          return EXIT.ok;
        }),
      );
    },
  );
}
