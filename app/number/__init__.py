"""The Number page: its widget, its views and what it keeps."""
