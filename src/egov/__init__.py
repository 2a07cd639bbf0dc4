"""egov-observatory: the UN E-Government Survey measured, self-assessed and learned from."""
