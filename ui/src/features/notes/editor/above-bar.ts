/**
 * Keeps a focused field clear of the note's save bar. Where the window has
 * room, the bar is pinned to the bottom of the screen (`position: sticky`),
 * and the browser, bringing a focused field into view, only makes sure it is
 * inside the window: it can land under the bar. This scrolls it up above the
 * bar instead (its top, at least, when it is taller than the room left).
 */

/** The room kept between the field and the bar, in CSS pixels. */
const CLEARANCE = 16;

/** How far the page must scroll down so `field` sits above `bar` (0 = it does). */
export function overlapWithBar(field: DOMRect, barTop: number, viewportTop = 0): number {
  const under = field.bottom + CLEARANCE - barTop;
  if (under <= 0) return 0;
  // Never push the field's top out of the window.
  return Math.max(0, Math.min(under, field.top - viewportTop - CLEARANCE));
}

/** The `focusin` handler: scrolls the page when the focused field is under the pinned bar. */
export function keepAboveBar(event: FocusEvent, bar: HTMLElement | undefined): void {
  const field = event.target;
  if (!(field instanceof HTMLElement) || !bar || bar.contains(field)) return;
  if (getComputedStyle(bar).position !== 'sticky') return;
  const by = overlapWithBar(field.getBoundingClientRect(), bar.getBoundingClientRect().top);
  if (by > 0) window.scrollBy({ top: by });
}
