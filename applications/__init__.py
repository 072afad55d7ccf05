"""Citizens' applications behind the dialogue and the REST API: submission, status, certificates, documents,
department connectors."""
