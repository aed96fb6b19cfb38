/**
 * Test data for a client's consents and accounting of disclosures, shaped
 * like what Rust sends. Only the tests import this.
 */
import type { Consent, Disclosure } from '../../../lib/api';

export function consent(id: number, overrides: Partial<Consent> = {}): Consent {
  return {
    id,
    clientId: 7,
    recipient: 'Northside Community Clinic',
    purpose: 'Coordination of care after discharge',
    scopeFrom: '2024-01-01',
    scopeTo: '2024-06-30',
    signedOn: '2024-02-01',
    expiresOn: '2024-12-31',
    revokedOn: null,
    createdBy: { id: 2, fullName: 'Inès Duarte' },
    createdAt: '2024-02-01T10:00:00Z',
    state: 'active',
    ...overrides,
  };
}

export function disclosure(id: number, overrides: Partial<Disclosure> = {}): Disclosure {
  return {
    id,
    clientId: 7,
    releasedAt: '2024-03-05T16:30:00Z',
    kind: 'member_record',
    recipient: 'Northside Community Clinic',
    purpose: 'Coordination of care after discharge',
    coveredFrom: '2024-01-01',
    coveredTo: '2024-02-29',
    releasedBy: { id: 2, fullName: 'Inès Duarte' },
    sha256: 'ab'.repeat(32),
    consentId: 3,
    ...overrides,
  };
}
