"""The audit trail pages: who did what, for admins (AUDIT_VIEW). The rows are written by every app through
`laborcoop.core.audit`; this app only reads and shows them."""
