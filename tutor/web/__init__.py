"""The app in a browser (`tutor serve`)."""
