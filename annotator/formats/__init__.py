"""Dataset formats: one module per format, pure functions over DTOs (no database, no Qt)."""
