import { describe, expect, it, vi } from 'vitest';
import { ApiError } from './api';
import { Loader } from './loader.svelte';

vi.mock('./api/bindings', () => ({ commands: {}, events: {} }));

/** A read whose answer the test gives, when it chooses. */
function later<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { read: () => promise, resolve, reject };
}

const refusal = new ApiError({ kind: 'forbidden', message: 'You may not see this.', field: null });

describe('Loader', () => {
  it('keeps what the read returned, and says when it is loading', async () => {
    const loader = new Loader<string>();
    const answer = later<string>();
    const done = loader.load(answer.read);
    expect(loader.loading).toBe(true);
    expect(loader.value).toBeNull();
    answer.resolve('Ada');
    expect(await done).toBe(true);
    expect(loader.value).toBe('Ada');
    expect(loader.loading).toBe(false);
    expect(loader.error).toBeNull();
  });

  it('drops a stale answer that arrives after a newer one', async () => {
    const loader = new Loader<string>();
    const first = later<string>();
    const second = later<string>();
    const older = loader.load(first.read);
    const newer = loader.load(second.read);
    second.resolve('Bo');
    expect(await newer).toBe(true);
    first.resolve('Ada');
    expect(await older).toBe(false);
    expect(loader.value).toBe('Bo');
    expect(loader.loading).toBe(false);
  });

  it('drops a stale failure too, and stays loading for the newest request', async () => {
    const loader = new Loader<string>();
    const first = later<string>();
    const second = later<string>();
    const older = loader.load(first.read);
    void loader.load(second.read);
    first.reject(refusal);
    expect(await older).toBe(false);
    expect(loader.error).toBeNull();
    expect(loader.loading).toBe(true);
  });

  it('keeps the error of the newest request, even when a stale answer succeeds', async () => {
    const loader = new Loader<string>();
    const first = later<string>();
    const second = later<string>();
    const older = loader.load(first.read);
    const newer = loader.load(second.read);
    second.reject(refusal);
    expect(await newer).toBe(false);
    first.resolve('Ada');
    await older;
    expect(loader.error).toBe('You may not see this.');
    expect(loader.failure).toBe(refusal);
    expect(loader.value).toBeNull();
    expect(loader.loading).toBe(false);
  });

  it('reloads quietly: the value and the error stay until the answer', async () => {
    const loader = new Loader<string>();
    await loader.load(() => Promise.resolve('Ada'));
    const failing = later<string>();
    const reload = loader.load(failing.read, { quiet: true });
    expect(loader.value).toBe('Ada');
    failing.reject(refusal);
    await reload;
    // The list stays on screen with the error beside it.
    expect(loader.value).toBe('Ada');
    expect(loader.error).toBe('You may not see this.');

    const retry = later<string>();
    const again = loader.load(retry.read, { quiet: true });
    expect(loader.error).toBe('You may not see this.');
    retry.resolve('Bo');
    await again;
    expect(loader.value).toBe('Bo');
    expect(loader.error).toBeNull();
  });

  it('starts afresh on a loud load', async () => {
    const loader = new Loader<string>();
    await loader.load(() => Promise.reject(refusal));
    expect(loader.error).toBe('You may not see this.');
    const next = later<string>();
    void loader.load(next.read);
    expect(loader.error).toBeNull();
    expect(loader.value).toBeNull();
  });

  it('clear forgets everything and drops the answer on its way', async () => {
    const loader = new Loader<string>();
    await loader.load(() => Promise.resolve('Ada'));
    const pending = later<string>();
    const reload = loader.load(pending.read, { quiet: true });
    loader.clear();
    expect(loader.value).toBeNull();
    expect(loader.loading).toBe(false);
    pending.resolve('Bo');
    expect(await reload).toBe(false);
    expect(loader.value).toBeNull();
  });

  it('cancel drops the answer on its way but keeps what is shown', async () => {
    const loader = new Loader<string>();
    await loader.load(() => Promise.resolve('Ada'));
    const pending = later<string>();
    const reload = loader.load(pending.read, { quiet: true });
    loader.cancel();
    pending.resolve('Bo');
    expect(await reload).toBe(false);
    expect(loader.value).toBe('Ada');
    expect(loader.loading).toBe(false);
  });
});
