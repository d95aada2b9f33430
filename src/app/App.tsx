import { Box, useApp, useInput, useStdin, useStdout } from 'ink';
import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { safeText } from '../text/safe-text.js';
import type { ServiceContext } from '../services/index.js';
import { ConfirmDialog } from '../components/dialog/ConfirmDialog.js';
import { dialogWidth } from '../text/dialog-lines.js';
import { MenuDialog } from '../components/dialog/MenuDialog.js';
import { MessageDialog } from '../components/dialog/MessageDialog.js';
import { RenameDialog } from '../components/dialog/RenameDialog.js';
import { ProgressDialog } from '../components/dialog/ProgressDialog.js';
import { Footer } from '../components/footer/Footer.js';
import { HelpOverlay } from '../components/help/HelpOverlay.js';
import { TooSmall } from '../components/layout/TooSmall.js';
import { Banner } from '../components/status/Banner.js';
import { Header } from '../components/status/Header.js';
import { NoticeLine } from '../components/status/NoticeLine.js';
import { StatusLine } from '../components/status/StatusLine.js';
import { AlertsScreen } from '../screens/AlertsScreen.js';
import { ConnectionsScreen } from '../screens/ConnectionsScreen.js';
import { Dashboard } from '../screens/Dashboard.js';
import { JobsScreen } from '../screens/JobsScreen.js';
import { JobDetailScreen } from '../screens/JobDetailScreen.js';
import { formData, storageUsers, visibleAlerts, visibleEntries, visibleJobs, visibleStorages } from '../model/state/list-bindings.js';
import { BrowseScreen } from '../screens/BrowseScreen.js';
import { StoragesScreen } from '../screens/StoragesScreen.js';
import { AuditScreen } from '../screens/AuditScreen.js';
import { visibleAudit } from '../model/state/audit.js';
import { FormScreen } from '../screens/form/FormScreen.js';
import { NotificationOptions } from '../screens/NotificationOptions.js';
import { WizardScreen } from '../screens/wizard/WizardScreen.js';
import { measureStep } from './measure.js';
import { AppController, type Snapshot } from './container/controller.js';
import type { DemoAppHooks } from './container/options.js';
import { alertsLayout, bannerLines, bodyHeight, frameHeight, isTooSmall, MIN_SIZE, normaliseSize, notificationsLayout, tableLayout, connectionsLayout } from '../model/layout.js';
import { useTerminalSize } from './terminal/use-terminal-size.js';
import type { Theme } from '../theme/index.js';
import { createTheme, ThemeProvider, useTheme } from '../theme/index.js';
import { footerHints, helpContent, toneColor } from './view-model.js';
import { QUIT_QUESTION_TOO_SMALL } from '../model/state/texts.js';
import { paneOffset, scrolledPane } from '../model/state/scroll.js';

export interface AppProps {
  readonly ctx: ServiceContext;
  readonly color: boolean;
  readonly ascii: boolean;
  readonly host: string;
  readonly banner?: string | undefined;
  /** Started with --demo: the wizard says that the sandbox tenant approves sign-ins by itself. */
  readonly demo?: boolean | undefined;
  /** The demo's ready app for Manual registration (and its tenant's stand-in for the admin center). */
  readonly demoApp?: DemoAppHooks | undefined;
  /** How often the store file is checked for other sessions' saves (ms). */
  readonly pollMs?: number;
  /** Draws the whole screen again (Ctrl-L). */
  readonly onRedraw?: (() => void) | undefined;
}

const TABS = [
  { key: '1', label: 'Dashboard', short: 'Dash', view: 'dashboard' },
  { key: '2', label: 'Connections', short: 'Conn', view: 'connections' },
  { key: '3', label: 'Bad news', short: 'News', view: 'alerts' },
  { key: '4', label: 'Jobs', short: 'Jobs', view: 'jobs' },
  { key: '5', label: 'Storages', short: 'Stor', view: 'storages' },
  { key: '6', label: 'Audit', short: 'Audit', view: 'audit' },
] as const;

/**
 * The root: owns the container (state + effects) and draws the frame. Views below it get data
 * and callbacks as props; none of them touches the store, the network or a timer.
 */
export function App({ ctx, color, ascii, host, banner, demo, demoApp, pollMs, onRedraw }: AppProps) {
  const { exit } = useApp();
  const { stdout } = useStdout();
  const { isRawModeSupported } = useStdin();
  const size = useTerminalSize(stdout);
  const safeBanner = useMemo(() => (banner ? safeText(banner) : undefined), [banner]);
  const theme = useMemo(() => createTheme({ color, ascii }), [color, ascii]);
  // The wizard's scroll keys move over its step as drawn, in the theme it is drawn in.
  const themeRef = useRef(theme);
  themeRef.current = theme;
  const [controller] = useState(
    () =>
      new AppController({
        ctx,
        size: normaliseSize(stdout.columns, stdout.rows),
        banner: safeBanner,
        host,
        demo: demo === true,
        demoApp,
        ...(pollMs !== undefined ? { pollMs } : {}),
        onQuit: () => exit(0),
        onRedraw,
        measureStep: (snapshot) => measureStep(snapshot, themeRef.current),
      }),
  );
  useEffect(() => {
    controller.start();
    return () => controller.dispose();
  }, [controller]);
  useEffect(() => controller.resize(size), [controller, size]);
  // Without a TTY (raw mode unsupported) useInput would throw; the CLI refuses to start then anyway.
  useInput((input, key) => controller.handleInput(input, key), { isActive: isRawModeSupported === true });
  const snapshot = useSyncExternalStore(controller.subscribe, controller.getSnapshot);
  const storePath = useMemo(() => safeText(ctx.store.path), [ctx.store.path]);
  return (
    <ThemeProvider value={theme}>
      <Frame snapshot={snapshot} theme={theme} host={safeText(host)} storePath={storePath} />
    </ThemeProvider>
  );
}

interface FrameProps {
  readonly snapshot: Snapshot;
  readonly theme: Theme;
  readonly host: string;
  readonly storePath: string;
}

function Frame({ snapshot, theme, host, storePath }: FrameProps) {
  const { state } = snapshot;
  const { size } = state;
  if (isTooSmall(size)) {
    const asking = state.modal?.kind === 'confirm' && state.modal.onYes.kind === 'quit';
    return <TooSmall columns={size.columns} rows={size.rows} minColumns={MIN_SIZE.columns} minRows={MIN_SIZE.rows} question={asking ? QUIT_QUESTION_TOO_SMALL : undefined} />;
  }
  const width = size.columns;
  const banner = state.banner;
  const lines = bannerLines(banner, size);
  const activeView = state.view === 'notifications' ? 'alerts' : state.view === 'job' ? 'jobs' : state.view === 'browse' ? 'storages' : state.view;
  return (
    <Box flexDirection="column" width={width} height={frameHeight(size)} overflowY="hidden">
      <Header tabs={TABS.map((t) => ({ key: t.key, label: t.label, short: t.short, active: t.view === activeView }))} width={width} />
      <StatusLine storePath={storePath} host={host} readOnly={state.readOnly} width={width} />
      {banner && lines ? <Banner text={banner} lines={lines} width={width} /> : null}
      <Box height={bodyHeight(size, banner)} width={width} flexDirection="column" overflowY="hidden">
        <Body snapshot={snapshot} />
      </Box>
      <NoticeLine text={state.notice?.text} color={state.notice ? toneColor(state.notice.tone, theme) : undefined} width={width} />
      <Footer hints={footerHints(state, theme)} width={width} />
    </Box>
  );
}

function Body({ snapshot }: { readonly snapshot: Snapshot }) {
  const { state, data } = snapshot;
  const { size, banner, modal } = state;
  const width = size.columns;
  const height = bodyHeight(size, banner);
  const theme = useTheme();
  if (modal) {
    const dWidth = dialogWidth(width);
    switch (modal.kind) {
      case 'help':
        return <HelpOverlay sections={helpContent(state, theme)} scroll={modal.scroll} width={width} height={height} />;
      case 'confirm':
        return <ConfirmDialog title={modal.title} text={modal.text} yesLabel={modal.yesLabel} noLabel={modal.noLabel} choice={modal.choice} tone={toneColor(modal.tone, theme)} width={dWidth} maxLines={height} scroll={modal.scroll} />;
      case 'menu':
        return <MenuDialog title={modal.title} items={modal.items.map((i) => i.label)} cursor={modal.cursor} width={Math.min(dWidth, 44)} />;
      case 'rename':
        return (
          <RenameDialog
            title="Rename server connection"
            about={modal.about}
            value={modal.value}
            error={modal.error}
            warning={modal.warning}
            errorColor={theme.status.error}
            warningColor={theme.status.warning}
            width={dWidth}
          />
        );
      case 'message':
        return <MessageDialog title={modal.title} text={modal.text} tone={toneColor(modal.tone, theme)} width={dWidth} maxLines={height} scroll={modal.scroll} />;
      case 'progress':
        return (
          <ProgressDialog
            title={modal.title}
            running={modal.running}
            results={modal.results}
            done={modal.done}
            cancelling={modal.cancelling}
            outcome={modal.outcome ? { text: modal.outcome.text, color: toneColor(modal.outcome.tone, theme) } : undefined}
            width={dWidth}
            maxLines={height}
            scroll={modal.scroll}
          />
        );
    }
  }
  if (state.wizard) return <WizardScreen wizard={state.wizard} width={width} height={height} />;
  if (state.form) return <FormScreen form={state.form} data={formData(state, data)} width={width} height={height} {...(scrolledPane(state) ? { scroll: paneOffset(state) } : {})} />;
  switch (state.view) {
    case 'dashboard':
      return <Dashboard summary={data.summary} service={state.service} live={state.live.runs} jobs={data.jobs} focus={state.card} width={width} height={height} />;
    case 'connections':
      return (
        <ConnectionsScreen
          rows={data.visibleConnections}
          total={data.connections.length}
          list={state.lists.connections}
          filter={state.filter}
          layout={connectionsLayout(size, banner)}
          order={state.connectionsOrder}
          lines={data.connectionLines}
          width={width}
        />
      );
    case 'jobs':
      return <JobsScreen rows={visibleJobs(state, data)} total={data.jobs.length} list={state.jobsPane.list} live={state.live.runs} layout={tableLayout(size, banner)} width={width} />;
    case 'job': {
      const row = data.jobs.find((r) => r.id === state.jobsPane.detail);
      return row ? <JobDetailScreen row={row} live={state.live.runs[row.id]} width={width} height={height} scroll={paneOffset(state)} /> : null;
    }
    case 'storages':
      return (
        <StoragesScreen
          rows={visibleStorages(state, data)}
          total={data.doc.storages?.length ?? 0}
          list={state.storagesPane.list}
          figures={state.storagesPane.figures}
          loading={state.storagesPane.loading}
          usedBy={storageUsers(data)}
          layout={tableLayout(size, banner)}
          width={width}
        />
      );
    case 'browse':
      return state.browse ? <BrowseScreen browse={state.browse} rows={visibleEntries(state)} layout={tableLayout(size, banner)} width={width} /> : null;
    case 'alerts':
      return <AlertsScreen alerts={visibleAlerts(state, data)} total={data.alerts.length} permanent={data.summary.alerts.permanent} mutedCount={data.categories.filter((c) => c.muted).length} list={state.alertsPane.list} layout={alertsLayout(size, banner)} width={width} />;
    case 'audit':
      return <AuditScreen rows={visibleAudit(state)} pane={state.auditPane} layout={tableLayout(size, banner)} width={width} />;
    case 'notifications':
      return (
        <NotificationOptions
          categories={data.categories}
          muted={state.notifications?.muted ?? []}
          list={state.lists.notifications}
          layout={notificationsLayout(size, banner)}
          width={width}
        />
      );
  }
}
