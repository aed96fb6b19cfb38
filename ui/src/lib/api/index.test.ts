import { describe, expect, it, vi } from 'vitest';
import { ApiError, UNEXPECTED_MESSAGE, errorMessage, unwrap } from './index';
import type { CommandError, Result } from './index';

describe('unwrap', () => {
  it('returns the data of an ok result', () => {
    const result: Result<number, CommandError> = { status: 'ok', data: 42 };
    expect(unwrap(result)).toBe(42);
  });

  it('throws an ApiError carrying kind, message and field', () => {
    const result: Result<number, CommandError> = {
      status: 'error',
      error: { kind: 'invalid', message: 'Choose a username.', field: 'username' },
    };

    let caught: unknown;
    try {
      unwrap(result);
    } catch (e) {
      caught = e;
    }

    expect(caught).toBeInstanceOf(ApiError);
    expect(caught).toBeInstanceOf(Error);
    const error = caught as ApiError;
    expect(error.kind).toBe('invalid');
    expect(error.message).toBe('Choose a username.');
    expect(error.field).toBe('username');
    expect(error.name).toBe('ApiError');
  });

  it('keeps a missing field as null', () => {
    expect(() =>
      unwrap({ status: 'error', error: { kind: 'wrongPassphrase', message: 'Wrong.', field: null } }),
    ).toThrow(expect.objectContaining({ kind: 'wrongPassphrase', field: null }));
  });
});

describe('errorMessage', () => {
  it("uses a command error's own message", () => {
    const error = new ApiError({ kind: 'locked', message: 'Circle is locked.', field: null });
    expect(errorMessage(error)).toBe('Circle is locked.');
  });

  it('hides the text of anything else behind a plain sentence', () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(errorMessage(new Error('SQLITE_CORRUPT at /home/jane/notes'))).toBe(UNEXPECTED_MESSAGE);
    expect(log).toHaveBeenCalled();
    log.mockRestore();
  });
});
