"""The email channel (4.2): one importer fed by the IMAP poller and the provider's webhook."""
