/** Facts about the computer the window runs on, for wording only. */

/** Whether this is a Mac (where Cmd takes Ctrl's place in shortcuts). */
export function isApple(): boolean {
  if (typeof navigator === 'undefined') return false;
  return /Mac|iPhone|iPad/i.test(navigator.platform || navigator.userAgent);
}

/** The lock shortcut as people on this computer would write it. */
export function lockShortcut(): { label: string; aria: string } {
  return isApple() ? { label: '⌘L', aria: 'Meta+L' } : { label: 'Ctrl+L', aria: 'Control+L' };
}

/** Whether a key press is the lock shortcut: Ctrl+L, or Cmd+L on a Mac. */
export function isLockShortcut(event: KeyboardEvent): boolean {
  if (event.altKey || event.shiftKey) return false;
  if (!(event.ctrlKey || event.metaKey)) return false;
  return event.key === 'l' || event.key === 'L' || event.code === 'KeyL';
}
