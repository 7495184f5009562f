"""What each resource of the API says: only what the portal's public pages show, under English field names."""
