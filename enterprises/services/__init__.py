"""Every change of state in enterprises, one function per use case, split by topic."""
