/**
 * `npm run bench`: every performance figure of the project in one table. Prints, asserts nothing.
 * Each suite is a module exporting a function that returns rows; a suite that fails is reported
 * and the others still run.
 */
export interface BenchRow {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly target?: string;
}

type Suite = { readonly title: string; readonly load: () => Promise<() => Promise<BenchRow[]>> };

const suites: Suite[] = [
  { title: 'Store (10,000 connections, 20,000 jobs)', load: async () => (await import('./store.js')).benchStore },
  { title: 'Manage server connections, rendered in-process (10,000 rows)', load: async () => (await import('./tui.js')).benchTui },
  { title: 'Jobs tab, rendered in-process (20,000 jobs)', load: async () => (await import('./tui-jobs.js')).benchTuiJobs },
  { title: 'Browse a storage in the panel, rendered in-process (a 10,000-item folder)', load: async () => (await import('./browse.js')).benchBrowse },
  { title: 'The program in a pseudo-terminal (start-up, keys, memory)', load: async () => (await import('./terminal.js')).benchTerminal },
  { title: 'Storages (src/repository/: write, size, incremental, browse, check, 1 GB memory)', load: async () => (await import('./storage.js')).benchStorage },
  { title: 'Sandbox tenant as a data source (loopback, client in the same process)', load: async () => (await import('./sandbox.js')).benchSandbox },
  { title: 'Backup engine against the sandbox (full rate, unchanged incremental, size, 1 GB memory)', load: async () => (await import('./engine.js')).benchEngine },
];

function format(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(value < 10 ? 2 : 1);
}

const only = process.argv.slice(2);
const lines: string[] = [];
for (const suite of suites) {
  if (only.length && !only.some((o) => suite.title.toLowerCase().includes(o.toLowerCase()))) continue;
  lines.push(`\n${suite.title}`);
  try {
    const rows = await (await suite.load())();
    const width = Math.max(...rows.map((r) => r.name.length));
    for (const row of rows) {
      lines.push(`  ${row.name.padEnd(width)}  ${`${format(row.value)} ${row.unit}`.padStart(12)}${row.target ? `   target ${row.target}` : ''}`);
    }
  } catch (error) {
    lines.push(`  failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
  process.stdout.write(lines.splice(0).join('\n') + '\n');
}
