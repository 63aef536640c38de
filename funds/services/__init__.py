"""Every change in the fund, one function per use case, each in its own transaction."""
