"""The floor of mitra: one Settings, the database (models, migrations) and security. Imports nothing of the project."""
