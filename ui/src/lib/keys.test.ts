import { describe, expect, it } from 'vitest';
import { isTabKey } from './keys';

describe('isTabKey', () => {
  it('knows Tab, and Shift+Tab as WebKitGTK names it', () => {
    expect(isTabKey(new KeyboardEvent('keydown', { key: 'Tab', code: 'Tab' }))).toBe(true);
    expect(
      isTabKey(new KeyboardEvent('keydown', { key: 'Unidentified', code: 'Tab', shiftKey: true })),
    ).toBe(true);
  });

  it('knows other keys are not Tab', () => {
    expect(isTabKey(new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter' }))).toBe(false);
    expect(isTabKey(new KeyboardEvent('keydown', { key: 'Unidentified', code: 'KeyQ' }))).toBe(false);
  });
});
