"""Writes of the knowledge app, one module per area: items here, and the capacity-building
records (workshops, projects, programmes) and the seed content beside them."""
