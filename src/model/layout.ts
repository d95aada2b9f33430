import { wordWrap } from '../text/cells.js';

/**
 * Line accounting for every screen, in one place: the reducer needs the same page size the
 * screens draw, and the frame must stay below the terminal's height (a frame as tall as the
 * terminal makes Ink clear the whole screen on every update: flicker, most visibly in tmux).
 */
export interface Size {
  readonly columns: number;
  readonly rows: number;
}

export const MIN_SIZE: Size = { columns: 60, rows: 15 };
const FALLBACK: Size = { columns: 80, rows: 24 };

/** Sizes below 20×5 come from terminals that report none (serial consoles, `script`): use 80×24. */
export function normaliseSize(columns: number | undefined, rows: number | undefined): Size {
  return {
    columns: columns && columns >= 20 ? columns : FALLBACK.columns,
    rows: rows && rows >= 5 ? rows : FALLBACK.rows,
  };
}

export function isTooSmall(size: Size): boolean {
  return size.columns < MIN_SIZE.columns || size.rows < MIN_SIZE.rows;
}

/** The root box is one line shorter than the terminal. */
export function frameHeight(size: Size): number {
  return size.rows - 1;
}

export const MAX_BANNER_LINES = 2;

export function bannerLines(banner: string | undefined, size: Size): number {
  if (!banner) return 0;
  return Math.min(MAX_BANNER_LINES, wordWrap(banner, size.columns).length);
}

/** Header, status line, banner, notice line and footer around every screen's body. */
export function bodyHeight(size: Size, banner: string | undefined): number {
  return Math.max(1, frameHeight(size) - 4 - bannerLines(banner, size));
}

export interface TableLayout {
  /** Data rows drawn. */
  readonly rows: number;
  /** Lines under the table for the selected row's details. */
  readonly detail: number;
}

/** Title line + column header + rows + details of the selected row. */
export function tableLayout(size: Size, banner: string | undefined): TableLayout {
  const body = bodyHeight(size, banner);
  const detail = 2;
  return { rows: Math.max(1, body - 2 - detail), detail };
}

/** Manage server connections: a third detail line tells two connections apart (id, tenant, cloud). */
export function connectionsLayout(size: Size, banner: string | undefined): TableLayout {
  const body = bodyHeight(size, banner);
  const detail = 3;
  return { rows: Math.max(1, body - 2 - detail), detail };
}

/** Title line + one line per alert + a rule + the selected alert in full. */
export function alertsLayout(size: Size, banner: string | undefined): TableLayout {
  const body = bodyHeight(size, banner);
  const detail = Math.min(6, Math.max(2, body - 9));
  return { rows: Math.max(1, body - 2 - detail), detail };
}

/** Title + explanation + one line per category + a note. */
export function notificationsLayout(size: Size, banner: string | undefined): TableLayout {
  const body = bodyHeight(size, banner);
  return { rows: Math.max(1, body - 3), detail: 1 };
}

/** The job and storage wizards: title, step indicator, step title and button line around the step area. */
export const FORM_CHROME_LINES = 4;

/** Rows a wizard's picker list shows: the step area less its other fields, a filter line and a detail line. */
export function formPickRows(size: Size, banner: string | undefined): number {
  const area = bodyHeight(size, banner) - FORM_CHROME_LINES;
  return Math.max(3, area - 6);
}
