// The design tokens' colours against each other, computed the way WCAG 2.2
// defines contrast: status words and muted text stay readable (4.5:1, AA
// for normal text) on every surface and every soft tint a notice or a row
// can sit on, and form control edges stay visible (3:1, non-text contrast).
// A token changed to a paler shade fails here before anyone squints at it.
// And motion stops for someone whose system asks for less.
import { describe, expect, it } from 'vitest';
import tokensCss from './tokens.css?raw';

function tokens(css: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const match of css.matchAll(/--([a-z0-9-]+):\s*(#[0-9a-fA-F]{6})\s*;/g)) {
    found.set(match[1], match[2].toLowerCase());
  }
  return found;
}

/** WCAG relative luminance of "#rrggbb". */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((at) => {
    const channel = parseInt(hex.slice(at, at + 2), 16) / 255;
    return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

const colour = tokens(tokensCss);

function token(name: string): string {
  const value = colour.get(name);
  if (!value) throw new Error(`tokens.css has no --${name}`);
  return value;
}

const SURFACES = ['color-page', 'color-surface', 'color-surface-muted'];
const TINTS = ['color-accent-soft', 'color-danger-soft', 'color-warning-soft', 'color-success-soft', 'color-info-soft'];
const WORDS = ['color-text', 'color-text-muted', 'color-danger', 'color-warning', 'color-success', 'color-info', 'color-accent'];

describe('design token contrast (WCAG 2.2 AA)', () => {
  it('reads every token it checks', () => {
    for (const name of [...SURFACES, ...TINTS, ...WORDS]) expect(token(name)).toMatch(/^#[0-9a-f]{6}$/);
  });

  for (const word of WORDS) {
    for (const ground of [...SURFACES, ...TINTS]) {
      it(`${word} text on ${ground} is at least 4.5:1`, () => {
        expect(contrast(token(word), token(ground))).toBeGreaterThanOrEqual(4.5);
      });
    }
  }

  for (const button of ['color-accent', 'color-accent-hover', 'color-accent-active', 'color-danger', 'color-danger-hover']) {
    it(`button text on ${button} is at least 4.5:1`, () => {
      expect(contrast(token('color-text-on-accent'), token(button))).toBeGreaterThanOrEqual(4.5);
    });
  }

  for (const ground of SURFACES) {
    it(`form control edges and the focus ring on ${ground} are at least 3:1`, () => {
      expect(contrast(token('color-border-strong'), token(ground))).toBeGreaterThanOrEqual(3);
      expect(contrast(token('focus-ring-color'), token(ground))).toBeGreaterThanOrEqual(3);
    });
  }

  it('gives each status a symbol of its own, so colour is never the only signal', () => {
    const symbols = [...tokensCss.matchAll(/--status-([a-z]+)-symbol:\s*"([^"]+)"/g)].map((m) => [m[1], m[2]]);
    expect(symbols.map(([status]) => status).sort()).toEqual(['danger', 'info', 'success', 'warning']);
    expect(new Set(symbols.map(([, symbol]) => symbol)).size).toBe(4);
  });
});

describe('motion', () => {
  it('is off when the system asks for reduced motion', () => {
    const reduced = /@media \(prefers-reduced-motion: reduce\)\s*\{\s*:root\s*\{([^}]*)\}/.exec(tokensCss);
    expect(reduced?.[1]).toMatch(/--duration-fast:\s*0ms/);
  });
});
