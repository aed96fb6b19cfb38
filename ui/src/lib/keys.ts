/**
 * Keys as the engines name them. WebKitGTK (Circle's window on Linux) names
 * Shift+Tab "Unidentified": X11 sends it as ISO_Left_Tab, which WebKit does
 * not map to "Tab". Its `code` is still "Tab". Code that handles Tab
 * (a dialog keeping focus inside, a field letting it through) asks here.
 */
export function isTabKey(event: KeyboardEvent): boolean {
  return event.key === 'Tab' || (event.key === 'Unidentified' && event.code === 'Tab');
}
