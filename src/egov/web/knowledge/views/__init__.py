"""Pages of the knowledge app, one module per area; each module lists its routes in ``urls``."""
