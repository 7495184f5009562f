"""Models of this stage arrive with its issue; the app exists so the layout shows the lifecycle."""
