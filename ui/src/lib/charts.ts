/**
 * What Circle's two uPlot charts (a goal's ratings, a measure's totals)
 * share: dates as the practice says them, colours from the design tokens,
 * and a chart that follows its holder's width and is torn down with it.
 */
import uPlot from 'uplot';
import { formatDayMonth } from './datetime';
import { displayLocale } from './locale.svelte';

/** "3 Mar" ("Mar 3" in en-US) for a local date: the practice's locale, or the one given. */
export function dayMonth(date: Date, locale?: string): string {
  const iso = `${String(date.getFullYear()).padStart(4, '0')}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
  return formatDayMonth(iso, locale ?? displayLocale());
}

/** A design token's value as the element sees it, or `fallback` (jsdom has none). */
export function cssVar(element: Element, name: string, fallback: string): string {
  return getComputedStyle(element).getPropertyValue(name).trim() || fallback;
}

/**
 * Draws the chart into `target` and keeps it as wide as `target`; returns
 * what undoes it (for a Svelte `$effect` to return).
 */
export function mountChart(opts: uPlot.Options, data: uPlot.AlignedData, target: HTMLElement): () => void {
  const chart = new uPlot(opts, data, target);
  let observer: ResizeObserver | null = null;
  if (typeof ResizeObserver !== 'undefined') {
    observer = new ResizeObserver((entries) => {
      const width = Math.floor(entries[entries.length - 1]?.contentRect.width ?? 0);
      if (width > 0 && width !== chart.width) chart.setSize({ width, height: opts.height });
    });
    observer.observe(target);
  }
  return () => {
    observer?.disconnect();
    chart.destroy();
  };
}
