import { describe, expect, it } from 'vitest';
import { overlapWithBar } from './above-bar';

function rect(top: number, height: number): DOMRect {
  return { top, bottom: top + height, height, left: 0, right: 100, width: 100, x: 0, y: top, toJSON: () => ({}) };
}

describe('overlapWithBar', () => {
  it('leaves a field above the bar where it is', () => {
    expect(overlapWithBar(rect(100, 80), 700)).toBe(0);
  });

  it('scrolls a field under the bar up above it, with room to spare', () => {
    // Bar from 700 down; the field ends at 740: 40 under, plus 16 clearance.
    expect(overlapWithBar(rect(660, 80), 700)).toBe(56);
  });

  it('keeps the top of a field taller than the room in the window', () => {
    expect(overlapWithBar(rect(300, 900), 700)).toBe(284);
  });
});
