/**
 * Progress channels for long commands (key rotation, later backups and
 * exports). Screens never import `@tauri-apps/*`; they ask for a channel
 * here and pass it to the command, which reports each step on it.
 */
import { Channel } from '@tauri-apps/api/core';

export type { Channel };

/** A channel that calls `onMessage` for every message Rust sends on it. */
export function progressChannel<T>(onMessage: (message: T) => void): Channel<T> {
  return new Channel<T>(onMessage);
}
