import { describe, expect, it } from 'vitest';
import { isUsableLanguage, repairNavigatorLanguage, usableLanguage } from './language';

describe('the browser language', () => {
  it('accepts real language tags and refuses the POSIX locale', () => {
    expect(isUsableLanguage('en-GB')).toBe(true);
    expect(isUsableLanguage('de')).toBe(true);
    expect(isUsableLanguage('C')).toBe(false);
    expect(isUsableLanguage('')).toBe(false);
    expect(isUsableLanguage(undefined)).toBe(false);
  });

  it('falls back to a tag Intl can use', () => {
    expect(usableLanguage('fr-CA')).toBe('fr-CA');
    const fallback = usableLanguage('C');
    expect(isUsableLanguage(fallback)).toBe(true);
    expect(() => new Intl.NumberFormat(fallback)).not.toThrow();
  });

  it('repairs a navigator that says "C", so Intl no longer throws', () => {
    const nav = { language: 'C', languages: ['C', 'en-US'] } as unknown as Navigator;
    expect(() => new Intl.NumberFormat(nav.language)).toThrow(RangeError);
    repairNavigatorLanguage(nav);
    expect(() => new Intl.NumberFormat(nav.language)).not.toThrow();
    expect(nav.languages).toContain('en-US');
    expect(nav.languages).not.toContain('C');
  });

  it('leaves a usable language alone', () => {
    const nav = { language: 'en-GB', languages: ['en-GB'] } as unknown as Navigator;
    repairNavigatorLanguage(nav);
    expect(nav.language).toBe('en-GB');
  });
});
