"""Plain Python core: schema, offsets, DTOs, errors, settings, paths."""
