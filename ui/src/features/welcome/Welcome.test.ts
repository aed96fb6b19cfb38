import { render, screen } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppInfo, CommandError, Result } from '../../lib/api';
import { UNEXPECTED_MESSAGE } from '../../lib/api';
import Welcome from './Welcome.svelte';

// The generated bindings are the IPC boundary; everything above them is real.
const appInfo = vi.hoisted(() => vi.fn<() => Promise<Result<AppInfo, CommandError>>>());
vi.mock('../../lib/api/bindings', () => ({ commands: { appInfo } }));

function info(overrides: Partial<AppInfo> = {}): AppInfo {
  // Deliberately not Circle's real name or version: the screen must show
  // what the command returned.
  return {
    productName: 'Circle Test Build',
    version: '9.8.7-test.3',
    vaultDir: '/home/frontdesk/.local/share/care.circle.desktop/vault',
    vaultExists: false,
    ...overrides,
  };
}

function ok(data: AppInfo): Result<AppInfo, CommandError> {
  return { status: 'ok', data };
}

describe('Welcome', () => {
  beforeEach(() => {
    appInfo.mockReset();
  });

  it('shows a quiet starting state until the app info arrives', () => {
    appInfo.mockReturnValue(new Promise(() => {}));
    render(Welcome);

    expect(screen.getByRole('status').textContent).toBe('Starting…');
    expect(screen.queryByTestId('product-name')).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('shows the product name and version the command returned', async () => {
    appInfo.mockResolvedValue(ok(info()));
    render(Welcome);

    const name = await screen.findByTestId('product-name');
    expect(name.textContent).toBe('Circle Test Build');
    expect(screen.getByTestId('product-version').textContent).toBe('9.8.7-test.3');
    expect(appInfo).toHaveBeenCalledTimes(1);
  });

  it('frames a first run when there is no vault yet', async () => {
    appInfo.mockResolvedValue(ok(info({ vaultExists: false, vaultDir: '/srv/clinic/vault' })));
    render(Welcome);

    const heading = await screen.findByTestId('welcome-heading');
    expect(heading.tagName).toBe('H1');
    expect(heading.textContent).toBe('Welcome');
    expect(screen.getByTestId('vault-dir').textContent).toBe('/srv/clinic/vault');
    expect(screen.getByText(/encrypted vault on this computer/)).toBeTruthy();
    expect(screen.queryByText('Unlock Circle')).toBeNull();
    // No controls that would do nothing yet.
    expect(screen.queryAllByRole('button')).toHaveLength(0);
    expect(screen.queryAllByRole('textbox')).toHaveLength(0);
  });

  it('frames unlocking when the vault already exists', async () => {
    appInfo.mockResolvedValue(ok(info({ vaultExists: true, vaultDir: '/srv/clinic/vault' })));
    render(Welcome);

    const heading = await screen.findByTestId('welcome-heading');
    expect(heading.textContent).toBe('Unlock Circle');
    expect(screen.getByTestId('vault-dir').textContent).toBe('/srv/clinic/vault');
    expect(screen.queryByText(/will be created/)).toBeNull();
    expect(screen.queryAllByRole('button')).toHaveLength(0);
    expect(screen.queryAllByRole('textbox')).toHaveLength(0);
  });

  it("shows a command error's message in an alert", async () => {
    appInfo.mockResolvedValue({
      status: 'error',
      error: {
        kind: 'io',
        message: 'Circle could not read or write a file. Check the disk has space and try again.',
        field: null,
      },
    });
    render(Welcome);

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain(
      'Circle could not read or write a file. Check the disk has space and try again.',
    );
    expect(screen.queryByTestId('product-name')).toBeNull();
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('shows a plain sentence when the call itself fails', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    appInfo.mockRejectedValue(new TypeError("Cannot read properties of undefined (reading 'invoke')"));
    render(Welcome);

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain(UNEXPECTED_MESSAGE);
    expect(alert.textContent).not.toContain('invoke');
    expect(log).toHaveBeenCalled();
    log.mockRestore();
  });
});
