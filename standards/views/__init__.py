"""The registry's pages: public reading, maintenance by a group's staff and the secretariat, and import."""
