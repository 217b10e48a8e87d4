"""The foundation every domain package may import: config, extensions, database base, audit."""
