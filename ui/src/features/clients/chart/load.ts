/**
 * Reading a part of a client's chart. Rust refuses a clinician outside the
 * client's groups (when the practice limits scope); for the chart that is
 * not an error but a calm sentence, so the cards tell it apart.
 */
import { ApiError } from '../../../lib/api';

/** A chart read's failure that means "not one of your clients", not "something broke". */
export function isOutOfScope(failure: unknown): boolean {
  return failure instanceof ApiError && failure.kind === 'forbidden';
}
