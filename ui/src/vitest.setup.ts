/**
 * What jsdom lacks and the app's libraries expect of a browser. uPlot reads
 * `matchMedia` (for the device pixel ratio) as soon as it loads; jsdom has
 * none, so a quiet one that matches nothing stands in.
 */
if (typeof window !== 'undefined' && typeof window.matchMedia !== 'function') {
  window.matchMedia = (query: string): MediaQueryList => ({
    matches: false,
    media: query,
    onchange: null,
    addEventListener: () => {},
    removeEventListener: () => {},
    addListener: () => {},
    removeListener: () => {},
    dispatchEvent: () => false,
  });
}
