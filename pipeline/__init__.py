"""A document pipeline for a Swedish municipal drafting committee (fullmäktigeberedning)."""
