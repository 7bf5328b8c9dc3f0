"""entente."""
