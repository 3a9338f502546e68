"""Generic resource semantics over storage, the same for every kind (CRUD, conflicts, watch cache)."""
