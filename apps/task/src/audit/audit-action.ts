/** Metadata key naming a route's audit action (set by @Audited). */
export const AUDIT_ACTION = 'platform:audit-action';
