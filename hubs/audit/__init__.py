"""The security log: who did what, when and from where, by internal id only."""
