import { describe, expect, it } from 'vitest';
import {
  BOOK_HERE,
  ROW_BUTTON,
  moveInGrid,
  parsePlaceKey,
  placeKey,
  resolveCursor,
  type GridShape,
} from './gridKeys';

// Two rooms, three days. Garden Room holds two bookings on the second day;
// Blue Room one on the third. Each cell ends with its "book here".
const shape: GridShape = {
  counts: [
    [1, 3, 1],
    [1, 1, 2],
  ],
  headers: [false, false],
};

const key = (name: string, ctrl = false) => ({ key: name, ctrl });

describe('moveInGrid', () => {
  it('moves by day with ← and →, keeping the place in the cell where it can', () => {
    expect(moveInGrid(key('ArrowRight'), { row: 0, col: 0, item: 0 }, shape)).toEqual({
      spot: { row: 0, col: 1, item: 0 },
    });
    // From the second booking of a full cell to a cell with only its "book here".
    expect(moveInGrid(key('ArrowRight'), { row: 0, col: 1, item: 2 }, shape)).toEqual({
      spot: { row: 0, col: 2, item: 0 },
    });
    expect(moveInGrid(key('ArrowLeft'), { row: 1, col: 2, item: 1 }, shape)).toEqual({
      spot: { row: 1, col: 1, item: 0 },
    });
  });

  it('stays put at the edges of the week', () => {
    expect(moveInGrid(key('ArrowLeft'), { row: 0, col: 0, item: 0 }, shape)).toEqual({
      spot: { row: 0, col: 0, item: 0 },
    });
    expect(moveInGrid(key('ArrowRight'), { row: 1, col: 2, item: 1 }, shape)).toEqual({
      spot: { row: 1, col: 2, item: 1 },
    });
    expect(moveInGrid(key('ArrowUp'), { row: 0, col: 1, item: 0 }, shape)).toEqual({
      spot: { row: 0, col: 1, item: 0 },
    });
    expect(moveInGrid(key('ArrowDown'), { row: 1, col: 2, item: 1 }, shape)).toEqual({
      spot: { row: 1, col: 2, item: 1 },
    });
  });

  it("goes down a day's column through each cell's bookings, then into the next row", () => {
    const seen = [{ row: 0, col: 1, item: 0 }];
    for (let i = 0; i < 4; i++) {
      seen.push(moveInGrid(key('ArrowDown'), seen[seen.length - 1], shape)!.spot);
    }
    expect(seen).toEqual([
      { row: 0, col: 1, item: 0 },
      { row: 0, col: 1, item: 1 },
      { row: 0, col: 1, item: 2 },
      { row: 1, col: 1, item: 0 },
      { row: 1, col: 1, item: 0 },
    ]);
    // And back up: into the cell above at its last place ("book here").
    expect(moveInGrid(key('ArrowUp'), { row: 1, col: 1, item: 0 }, shape)).toEqual({
      spot: { row: 0, col: 1, item: 2 },
    });
  });

  it('goes to the first and last day with Home and End, and to the corners with Ctrl', () => {
    expect(moveInGrid(key('Home'), { row: 1, col: 2, item: 1 }, shape)).toEqual({
      spot: { row: 1, col: 0, item: 0 },
    });
    expect(moveInGrid(key('End'), { row: 0, col: 0, item: 0 }, shape)).toEqual({
      spot: { row: 0, col: 2, item: 0 },
    });
    expect(moveInGrid(key('Home', true), { row: 1, col: 2, item: 1 }, shape)).toEqual({
      spot: { row: 0, col: 0, item: 0 },
    });
    expect(moveInGrid(key('End', true), { row: 0, col: 0, item: 0 }, shape)).toEqual({
      spot: { row: 1, col: 2, item: 0 },
    });
  });

  it('changes the week with PageUp and PageDown, same row and day', () => {
    expect(moveInGrid(key('PageDown'), { row: 1, col: 2, item: 1 }, shape)).toEqual({
      spot: { row: 1, col: 2, item: 0 },
      week: 1,
    });
    expect(moveInGrid(key('PageUp'), { row: 0, col: 1, item: 2 }, shape)).toEqual({
      spot: { row: 0, col: 1, item: 0 },
      week: -1,
    });
  });

  it("reaches a row's own button (a clinician's Hours…) with ← from the first day", () => {
    const clinicians: GridShape = { ...shape, headers: [true, true] };
    expect(moveInGrid(key('ArrowLeft'), { row: 1, col: 0, item: 0 }, clinicians)).toEqual({
      spot: { row: 1, col: -1, item: 0 },
    });
    expect(moveInGrid(key('ArrowUp'), { row: 1, col: -1, item: 0 }, clinicians)).toEqual({
      spot: { row: 0, col: -1, item: 0 },
    });
    expect(moveInGrid(key('ArrowRight'), { row: 0, col: -1, item: 0 }, clinicians)).toEqual({
      spot: { row: 0, col: 0, item: 0 },
    });
  });

  it('leaves other keys alone (Tab, Enter, Space, letters)', () => {
    for (const other of ['Tab', 'Enter', ' ', 'a', 'Escape']) {
      expect(moveInGrid(key(other), { row: 0, col: 0, item: 0 }, shape)).toBeNull();
    }
  });
});

describe('resolveCursor', () => {
  const days = ['2030-03-25', '2030-03-26', '2030-03-27'];
  const cells: Record<string, string[]> = {
    '1|2030-03-26': ['session-5', 'appointment-7'],
    '2|2030-03-27': ['appointment-9'],
  };
  const itemsOf = (rowId: number, day: string) => cells[`${rowId}|${day}`] ?? [];

  it("enters on today's cell in the first row the first time, else the first day", () => {
    expect(resolveCursor(null, [1, 2], days, itemsOf, '2030-03-26')).toEqual({
      rowId: 1,
      day: '2030-03-26',
      item: 'session-5',
    });
    expect(resolveCursor(null, [1, 2], days, itemsOf, '2031-01-01')).toEqual({
      rowId: 1,
      day: '2030-03-25',
      item: BOOK_HERE,
    });
  });

  it('keeps the place last visited, and follows a booking that moved', () => {
    const at = { rowId: 1, day: '2030-03-26', item: 'appointment-7' };
    expect(resolveCursor(at, [1, 2], days, itemsOf, '2030-03-25')).toEqual(at);
    const moved = { ...at, item: 'appointment-9' };
    expect(resolveCursor(moved, [1, 2], days, itemsOf, '2030-03-25')).toEqual({
      rowId: 2,
      day: '2030-03-27',
      item: 'appointment-9',
    });
    // Gone altogether (cancelled and hidden): the first place of the same cell.
    const gone = { ...at, item: 'appointment-99' };
    expect(resolveCursor(gone, [1, 2], days, itemsOf, '2030-03-25')).toEqual({
      rowId: 1,
      day: '2030-03-26',
      item: 'session-5',
    });
  });

  it('keeps a row button, and starts again when the row is gone', () => {
    const hours = { rowId: 2, day: '', item: ROW_BUTTON };
    expect(resolveCursor(hours, [1, 2], days, itemsOf, '2030-03-25')).toEqual(hours);
    expect(resolveCursor({ ...hours, rowId: 9 }, [1, 2], days, itemsOf, '2030-03-25')).toEqual({
      rowId: 1,
      day: '2030-03-25',
      item: BOOK_HERE,
    });
  });

  it('has nowhere to go in an empty grid', () => {
    expect(resolveCursor(null, [], days, itemsOf, '2030-03-25')).toBeNull();
  });
});

describe('place keys', () => {
  it('read back what they say', () => {
    const key = placeKey(12, '2030-03-26', 'session-5');
    expect(parsePlaceKey(key)).toEqual({ rowId: 12, day: '2030-03-26', item: 'session-5' });
    expect(parsePlaceKey('nonsense')).toBeNull();
  });
});
