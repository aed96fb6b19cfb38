/**
 * Reading a part of a client's chart. Rust refuses a clinician outside the
 * client's groups (when the practice limits scope); for the chart that is
 * not an error but a calm sentence, so it is its own outcome here.
 */
import { ApiError, errorMessage, unwrap, type CommandError, type Result } from '../../../lib/api';

export type ChartLoad<T> =
  | { kind: 'loaded'; value: T }
  | { kind: 'outOfScope' }
  | { kind: 'failed'; message: string };

export async function loadChart<T>(
  read: () => Promise<Result<T, CommandError>>,
): Promise<ChartLoad<T>> {
  try {
    return { kind: 'loaded', value: unwrap(await read()) };
  } catch (error) {
    if (error instanceof ApiError && error.kind === 'forbidden') return { kind: 'outOfScope' };
    return { kind: 'failed', message: errorMessage(error) };
  }
}
