/**
 * The week grid by keyboard. The grid is one Tab stop (a roving tabindex):
 * Tab enters it on the cell last visited (today's, first time), and the
 * keys below move within it. Each cell holds its bookings in time order
 * and, last, its "book here" button; each of those is a place focus can be.
 *
 *   ← →            the day before / after, same row (in the one-day view,
 *                  the day shown changes); ← from the first day goes to the
 *                  row's own button (a clinician's Hours…) where it has one
 *   ↑ ↓            the booking above / below in the day's column: through
 *                  the cell's bookings, its "book here", then on into the
 *                  next room's (or clinician's) cell
 *   Home / End     the first / last day shown, same row
 *   Ctrl+Home/End  the first cell of the first row / the last of the last
 *   PageUp/Down    the week before / after, same row and weekday
 *   Enter / Space  what a click does: open the booking, or book the slot
 */

/** A place in the grid: row, day column (-1: the row's own button) and item in the cell. */
export interface GridSpot {
  row: number;
  col: number;
  item: number;
}

/**
 * What the grid holds: `counts[row][col]` is how many places a cell has
 * (its bookings and its "book here", so at least 1); `headers[row]` says
 * whether the row's header holds a button.
 */
export interface GridShape {
  counts: readonly (readonly number[])[];
  headers: readonly boolean[];
}

/** Where a key goes: a place in this week, or a place in the week before or after. */
export type GridMove = { spot: GridSpot; week?: undefined } | { spot: GridSpot; week: -1 | 1 };

/** The key's name and whether Ctrl (or ⌘) was held. */
export interface GridKey {
  key: string;
  ctrl?: boolean;
}

function count(shape: GridShape, row: number, col: number): number {
  return Math.max(1, shape.counts[row]?.[col] ?? 1);
}

/**
 * Where `key` moves focus from `at`; `null` when the key is not the grid's
 * (Tab, Enter, letters…) and should do what it does anyway. A move that
 * would leave the grid stays where it is.
 */
export function moveInGrid(key: GridKey, at: GridSpot, shape: GridShape): GridMove | null {
  const rows = shape.counts.length;
  const cols = rows > 0 ? shape.counts[0].length : 0;
  if (rows === 0 || cols === 0) return null;
  const stay: GridMove = { spot: at };
  const clampItem = (row: number, col: number, item: number) =>
    Math.min(item, count(shape, row, col) - 1);

  switch (key.key) {
    case 'ArrowRight': {
      if (at.col === -1) return { spot: { row: at.row, col: 0, item: 0 } };
      if (at.col >= cols - 1) return stay;
      const col = at.col + 1;
      return { spot: { row: at.row, col, item: clampItem(at.row, col, at.item) } };
    }
    case 'ArrowLeft': {
      if (at.col === -1) return stay;
      if (at.col === 0) return shape.headers[at.row] ? { spot: { row: at.row, col: -1, item: 0 } } : stay;
      const col = at.col - 1;
      return { spot: { row: at.row, col, item: clampItem(at.row, col, at.item) } };
    }
    case 'ArrowDown': {
      if (at.col === -1) {
        for (let row = at.row + 1; row < rows; row++) {
          if (shape.headers[row]) return { spot: { row, col: -1, item: 0 } };
        }
        return stay;
      }
      if (at.item < count(shape, at.row, at.col) - 1) {
        return { spot: { ...at, item: at.item + 1 } };
      }
      if (at.row >= rows - 1) return stay;
      return { spot: { row: at.row + 1, col: at.col, item: 0 } };
    }
    case 'ArrowUp': {
      if (at.col === -1) {
        for (let row = at.row - 1; row >= 0; row--) {
          if (shape.headers[row]) return { spot: { row, col: -1, item: 0 } };
        }
        return stay;
      }
      if (at.item > 0) return { spot: { ...at, item: at.item - 1 } };
      if (at.row === 0) return stay;
      const row = at.row - 1;
      return { spot: { row, col: at.col, item: count(shape, row, at.col) - 1 } };
    }
    case 'Home':
      return key.ctrl
        ? { spot: { row: 0, col: 0, item: 0 } }
        : { spot: { row: at.row, col: 0, item: 0 } };
    case 'End':
      return key.ctrl
        ? { spot: { row: rows - 1, col: cols - 1, item: 0 } }
        : { spot: { row: at.row, col: cols - 1, item: 0 } };
    case 'PageUp':
    case 'PageDown':
      return {
        spot: { row: at.row, col: Math.max(at.col, 0), item: 0 },
        week: key.key === 'PageUp' ? -1 : 1,
      };
    default:
      return null;
  }
}

/** The key of a cell's "book here" button among its places. */
export const BOOK_HERE = 'book';
/** The key of a row header's button. */
export const ROW_BUTTON = 'row';

/** One place's address in the DOM (`data-grid-key`): row id, day and what it is. */
export function placeKey(rowId: number, day: string, item: string): string {
  return `${rowId}|${day}|${item}`;
}

/** A place named by row id, day ("" for the row header) and item key. */
export interface GridCursor {
  rowId: number;
  day: string;
  item: string;
}

/** Reads a `data-grid-key` back. */
export function parsePlaceKey(key: string): GridCursor | null {
  const [row, day, ...rest] = key.split('|');
  const rowId = Number(row);
  if (!Number.isInteger(rowId) || rest.length === 0) return null;
  return { rowId, day, item: rest.join('|') };
}

/**
 * Where Tab enters the grid: the place last visited while it is still
 * there; a booking that moved, in its new cell (same row first); else the
 * first place of the visited cell, or of today's (the first day's) cell in
 * the first row.
 */
export function resolveCursor(
  cursor: GridCursor | null,
  rowIds: readonly number[],
  days: readonly string[],
  itemsOf: (rowId: number, day: string) => readonly string[],
  today: string,
): GridCursor | null {
  if (rowIds.length === 0 || days.length === 0) return null;
  const places = (rowId: number, day: string) => [...itemsOf(rowId, day), BOOK_HERE];
  if (cursor && rowIds.includes(cursor.rowId)) {
    if (cursor.item === ROW_BUTTON) return cursor;
    if (days.includes(cursor.day) && places(cursor.rowId, cursor.day).includes(cursor.item)) {
      return cursor;
    }
    if (cursor.item !== BOOK_HERE) {
      const rowsFirst = [cursor.rowId, ...rowIds.filter((id) => id !== cursor.rowId)];
      for (const rowId of rowsFirst) {
        for (const day of days) {
          if (itemsOf(rowId, day).includes(cursor.item)) return { rowId, day, item: cursor.item };
        }
      }
    }
    if (days.includes(cursor.day)) {
      return { rowId: cursor.rowId, day: cursor.day, item: places(cursor.rowId, cursor.day)[0] };
    }
  }
  const rowId = cursor && rowIds.includes(cursor.rowId) ? cursor.rowId : rowIds[0];
  const day = days.includes(today) ? today : days[0];
  return { rowId, day, item: places(rowId, day)[0] };
}
