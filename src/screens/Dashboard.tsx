import { Box, Text } from 'ink';
import type { Alert } from '../domain/index.js';
import { safeText } from '../text/safe-text.js';
import type { DashboardSummary } from '../services/dashboard-summary.js';
import type { CardId } from '../model/state/types.js';
import type { Theme } from '../theme/index.js';
import { useTheme } from '../theme/index.js';
import { Card } from '../components/card/Card.js';
import { cell, fit, wordWrap } from '../text/cells.js';
import { alertCounts, alertGlyph } from './alert-style.js';
import type { ServiceView } from '../model/state/backup-types.js';
import type { LiveRun } from '../services/live-runs.js';
import type { JobRow } from '../services/index.js';
import { when } from './figures.js';

export interface DashboardProps {
  readonly summary: DashboardSummary;
  /** The backup service (undefined until first read). */
  readonly service: ServiceView | undefined;
  /** The cycles running now, wherever started, by job id. */
  readonly live: Readonly<Record<string, LiveRun>>;
  /** For the names of the running and the next due job. */
  readonly jobs: readonly JobRow[];
  readonly focus: CardId;
  readonly width: number;
  readonly height: number;
}

interface AlertLine {
  readonly text: string;
  readonly color: string | undefined;
}

/**
 * Bad news lines within `budget`: every alert in full when they all fit; otherwise the first in
 * full, the others one line each, and a count of what did not fit. Only alerts that can be shown
 * are wrapped: thousands of obsolete connections must not cost thousands of wraps per frame.
 */
export function badNewsLines(alerts: readonly Alert[], width: number, budget: number, theme: Theme): AlertLine[] {
  if (alerts.length === 0) return [{ text: 'Nothing needs attention.', color: theme.status.success }];
  const wrapped = (alert: Alert): AlertLine[] => {
    const { glyph, color } = alertGlyph(alert, theme);
    return wordWrap(safeText(alert.message), width - 2).map((line, i) => ({ text: `${i === 0 ? glyph : ' '} ${line}`, color: i === 0 ? color : undefined }));
  };
  const full: AlertLine[] = [];
  for (const alert of alerts) {
    full.push(...wrapped(alert));
    if (full.length > budget) break;
  }
  if (full.length <= budget) return full;

  const out: AlertLine[] = [];
  const first = wrapped(alerts[0] as Alert);
  // Room for the first alert in full, one more line, and the "+N more" line.
  if (first.length + 2 <= budget) out.push(...first);
  let shown = out.length ? 1 : 0;
  while (shown < alerts.length && out.length + (shown === alerts.length - 1 ? 1 : 2) <= budget) {
    const alert = alerts[shown] as Alert;
    const { glyph, color } = alertGlyph(alert, theme);
    out.push({ text: `${glyph} ${fit(safeText(alert.message), width - 2, theme.glyphs.ellipsis)}`, color });
    shown += 1;
  }
  if (shown < alerts.length) out.push({ text: `+${alerts.length - shown} more: Enter opens Bad news`, color: theme.text.muted });
  return out;
}

function Counts({ rows, width }: { readonly rows: ReadonlyArray<{ label: string; count: number; color?: string | undefined }>; readonly width: number }) {
  const theme = useTheme();
  return (
    <>
      {rows.map((r) => (
        <Text key={r.label} color={r.color}>
          {cell(r.label, Math.max(1, width - 6), theme.glyphs.ellipsis)}
          {String(r.count).padStart(6)}
        </Text>
      ))}
    </>
  );
}

function connectionRows(summary: DashboardSummary, theme: Theme) {
  return [
    ...summary.connections.byType.map((t) => ({ label: t.label, count: t.count })),
    { label: '[obsolete]', count: summary.connections.obsolete, color: summary.connections.obsolete ? theme.status.warning : undefined },
  ];
}

function jobRows(summary: DashboardSummary, running: number, theme: Theme) {
  const r = summary.jobs.byResult;
  return [
    { label: 'Running', count: running, color: running ? theme.status.info : undefined },
    { label: 'Succeeded', count: r.succeeded, color: r.succeeded ? theme.status.success : undefined },
    { label: 'Warning', count: r.warning, color: r.warning ? theme.status.warning : undefined },
    { label: 'Failed', count: r.failed, color: r.failed ? theme.status.error : undefined },
    { label: 'Never run', count: r.never },
  ];
}

/** Whether the service runs, and since when (UTC, as the store keeps times). */
export function serviceLine(service: ServiceView | undefined, hasJobs: boolean, theme: Theme): { text: string; color: string | undefined } {
  if (!service) return { text: `Backup service: checking${theme.glyphs.ellipsis}`, color: theme.text.muted };
  if (service.running) return { text: `Backup service: running since ${when(service.since)} UTC${service.pid ? ` (pid ${service.pid})` : ''}`, color: theme.status.success };
  const seen = service.lastSeen ? `last seen ${when(service.lastSeen)} UTC` : 'never started for this store';
  return { text: `Backup service: not running (${seen})${hasJobs ? '; jobs run only when started by hand' : ''}`, color: hasJobs ? theme.status.warning : theme.text.muted };
}

const nameOf = (jobs: readonly JobRow[], id: string) => safeText(jobs.find((j) => j.id === id)?.name ?? id);

/** Under the counts: the running cycle's progress (source, items, rate), else the next cycle due. */
export function jobsActivity(props: Pick<DashboardProps, 'service' | 'live' | 'jobs'>, theme: Theme): { text: string; color: string | undefined } | undefined {
  const runs = Object.values(props.live);
  const run = runs[0];
  const sep = theme.glyphs.separator;
  if (run) {
    const p = run.progress;
    const figures = p ? `${p.items} items${sep}${p.rate}/s${p.current ? `${sep}${safeText(p.current)}` : ''}` : 'starting';
    const more = runs.length > 1 ? ` (+${runs.length - 1} more)` : '';
    return { text: `${run.stopping ? 'Stopping' : 'Running'} '${nameOf(props.jobs, run.jobId)}'${more}: ${figures}`, color: theme.status.info };
  }
  const due = props.service?.nextDue;
  if (!due) return undefined;
  const why = due.waitingFor === 'activity-period' ? ' (activity period)' : '';
  return { text: `Next: '${nameOf(props.jobs, due.jobId)}' ${when(due.at)} UTC${why}`, color: theme.text.muted };
}

const HOW_TO_START =
  'There are no jobs yet. Define the server connection a job will use (Manage server connections), then create a backup job for it.';

/** Four cards; below 70×16 of body they collapse into one line each. */
export function Dashboard(props: DashboardProps) {
  const { summary, focus, width, height } = props;
  const theme = useTheme();
  const noJobs = summary.jobs.total === 0;
  const badge = alertCounts(summary.alerts.permanent, summary.alerts.events, theme.glyphs.separator);
  if (height < 17 || width < 70) return <CompactDashboard {...props} />;

  const service = serviceLine(props.service, !noJobs, theme);
  const activity = jobsActivity(props, theme);
  const running = Object.keys(props.live).length;
  // One more line while a cycle runs or one is due: its progress, or when.
  const bottomHeight = activity ? 9 : 8;
  const cards = noJobs ? 3 : 2;
  const cardWidth = Math.floor(width / cards);
  const inner = cardWidth - 4;
  const badNewsBudget = Math.max(1, height - bottomHeight - 4);
  const lines = badNewsLines(summary.alerts.list, width - 4, badNewsBudget, theme);
  const jobsInner = noJobs ? inner : width - cardWidth - 4;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text color={service.color}>{` ${fit(service.text, width - 2, theme.glyphs.ellipsis)}`}</Text>
      <Card title="Bad news" badge={badge} focused={focus === 'alerts'} width={width} height={height - bottomHeight - 1}>
        {lines.map((line, i) => (
          <Text key={i} color={line.color}>
            {line.text}
          </Text>
        ))}
      </Card>
      <Box height={bottomHeight}>
        <Card title="Defined server connections" badge={String(summary.connections.total)} focused={focus === 'connections'} width={cardWidth} height={bottomHeight}>
          <Counts rows={connectionRows(summary, theme)} width={inner} />
        </Card>
        <Card title="Jobs" badge={String(summary.jobs.total)} focused={focus === 'jobs'} width={noJobs ? cardWidth : width - cardWidth} height={bottomHeight}>
          <Counts rows={jobRows(summary, running, theme)} width={jobsInner} />
          {activity ? <Text color={activity.color}>{fit(activity.text, jobsInner, theme.glyphs.ellipsis)}</Text> : null}
        </Card>
        {noJobs ? (
          <Card title="How to start" focused={focus === 'start'} width={width - 2 * cardWidth} height={bottomHeight}>
            {wordWrap(HOW_TO_START, width - 2 * cardWidth - 4)
              .slice(0, bottomHeight - 3)
              .map((line, i) => (
                <Text key={i}>{line}</Text>
              ))}
          </Card>
        ) : null}
      </Box>
    </Box>
  );
}

function CompactDashboard(props: DashboardProps) {
  const { summary, focus, width, height } = props;
  const theme = useTheme();
  const service = serviceLine(props.service, summary.jobs.total > 0, theme);
  const activity = jobsActivity(props, theme);
  const running = Object.keys(props.live).length;
  const sep = theme.glyphs.separator;
  const noJobs = summary.jobs.total === 0;
  const title = (id: CardId, text: string) => (
    <Text color={focus === id ? theme.ui.focus : theme.text.heading} bold={theme.emphasis}>
      {focus === id ? `${theme.glyphs.pointer} ` : '  '}
      {text}
    </Text>
  );
  const c = summary.connections;
  const types = c.byType.filter((t) => t.count > 0).map((t) => `${t.label} ${t.count}`);
  const j = summary.jobs.byResult;
  const jobs = [...(running ? [`${running} running`] : []), `${j.succeeded} succeeded`, `${j.warning} warning`, `${j.failed} failed`, `${j.never} never run`];
  const fixedLines = 4 + (activity ? 1 : 0) + (noJobs ? 2 : 0);
  const lines = badNewsLines(summary.alerts.list, width - 2, Math.max(1, height - fixedLines), theme);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text color={service.color}>{`  ${fit(service.text, width - 2, theme.glyphs.ellipsis)}`}</Text>
      <Text wrap="truncate-end">
        {title('alerts', 'Bad news')}
        <Text color={theme.text.muted}>{`  ${alertCounts(summary.alerts.permanent, summary.alerts.events, sep)}`}</Text>
      </Text>
      {lines.map((line, i) => (
        <Text key={i} color={line.color}>
          {`  ${fit(line.text, width - 2, theme.glyphs.ellipsis)}`}
        </Text>
      ))}
      <Text wrap="truncate-end">
        {title('connections', 'Defined server connections')}
        <Text>{fit(`  ${c.total}${sep}${c.obsolete} [obsolete]${sep}${types.join(', ')}`, Math.max(1, width - 29), theme.glyphs.ellipsis)}</Text>
      </Text>
      <Text wrap="truncate-end">
        {title('jobs', 'Jobs')}
        <Text>{fit(`  ${summary.jobs.total}${sep}${jobs.join(', ')}`, Math.max(1, width - 7), theme.glyphs.ellipsis)}</Text>
      </Text>
      {activity ? <Text color={activity.color}>{`  ${fit(activity.text, width - 2, theme.glyphs.ellipsis)}`}</Text> : null}
      {noJobs ? (
        <>
          {title('start', 'How to start')}
          <Text>{`  ${fit(HOW_TO_START, width - 3, theme.glyphs.ellipsis)}`}</Text>
        </>
      ) : null}
    </Box>
  );
}
