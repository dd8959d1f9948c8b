"""SQLite storage: connection, schema and migrations, rows with versions, audit, attachments."""
