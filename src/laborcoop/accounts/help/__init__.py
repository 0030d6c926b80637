"""The help pages (帮助): one short Chinese guide per role, its menu section built from accounts.navigation."""
