import { render } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import Logo from './Logo.svelte';

describe('Logo', () => {
  it('draws a ring of eight seats and stays out of the accessibility tree by default', () => {
    const { container } = render(Logo);
    const svg = container.querySelector('svg')!;
    expect(svg.querySelectorAll('circle')).toHaveLength(8);
    expect(svg.getAttribute('aria-hidden')).toBe('true');
    expect(svg.getAttribute('role')).toBeNull();
  });

  it('is a named image when given a label', () => {
    const { getByRole } = render(Logo, { label: 'Circle' });
    const svg = getByRole('img', { name: 'Circle' });
    expect(svg.getAttribute('aria-hidden')).toBeNull();
  });
});
