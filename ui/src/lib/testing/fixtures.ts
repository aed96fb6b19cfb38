/**
 * Test data shaped like what Rust sends. Names are made up and deliberately
 * not Circle's own, so a screen that shows them proves it used the command.
 */
import type { AppInfo, CommandError, Result, SignedInInfo, Strength } from '../api';

export function appInfo(overrides: Partial<AppInfo> = {}): AppInfo {
  return {
    productName: 'Circle Test Build',
    version: '9.8.7-test.3',
    vaultDir: '/srv/clinic/vault',
    vaultExists: true,
    isDemo: false,
    ...overrides,
  };
}

export function person(overrides: Partial<SignedInInfo> = {}): SignedInInfo {
  return {
    staffId: 1,
    username: 'dana.reyes',
    fullName: 'Dana Reyes',
    role: 'owner',
    roleLabel: 'Owner',
    practiceName: 'Harbour Light Counselling',
    timezone: 'Europe/Dublin',
    locale: 'en-IE',
    idleLockMinutes: 10,
    mustChangePassphrase: false,
    hasClinicalAccess: true,
    capabilities: ['scheduling', 'readWriteNotes', 'sign', 'coSign', 'administer', 'chooseFacilitators'],
    ...overrides,
  };
}

export function frontDesk(overrides: Partial<SignedInInfo> = {}): SignedInInfo {
  return person({
    staffId: 4,
    username: 'sam.okafor',
    fullName: 'Sam Okafor',
    role: 'frontDesk',
    roleLabel: 'Front desk',
    hasClinicalAccess: false,
    capabilities: ['scheduling'],
    ...overrides,
  });
}

export function strength(score: number, advice: string | null = null): Strength {
  return { score, acceptable: advice === null && score >= 2, advice };
}

export function ok<T>(data: T): Result<T, CommandError> {
  return { status: 'ok', data };
}

export function refused<T = never>(
  kind: CommandError['kind'],
  message: string,
  field: string | null = null,
): Result<T, CommandError> {
  return { status: 'error', error: { kind, message, field } };
}
